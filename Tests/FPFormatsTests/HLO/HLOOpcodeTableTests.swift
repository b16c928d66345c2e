import FPGraph
import Foundation
import XCTest
import _TestSupport

@testable import FPFormats

/// fpaudit's table of XLA opcodes is XLA's own list, name by name, and a
/// module is refused with every instruction fpaudit cannot read at once.
final class HLOOpcodeTableTests: XCTestCase {
    func testTheTableIsXLAsListNameByName() throws {
        let text = try String(contentsOf: fixtureURL("Fixtures/hlo/xla-opcodes.txt"), encoding: .utf8)
        let names = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(names.count, 136)
        XCTAssertEqual(HLOOpcodes.xla, names, "the same opcodes, in the header's order")
        XCTAssertEqual(Set(names).count, names.count)
    }

    func testEveryOpcodeIsReadOrRefusedWithAReason() {
        for (opcode, refusal) in HLOOpcodes.xlaOpcodes {
            XCTAssertEqual(HLOOpcodes.isSupported(opcode), refusal == nil, opcode)
        }
        // Every opcode fpaudit reads is one XLA defines.
        XCTAssertEqual(HLOOpcodes.supported.subtracting(HLOOpcodes.xla), [])
        XCTAssertEqual(HLOOpcodes.refusal("custom-call-start"), .async)
        XCTAssertEqual(HLOOpcodes.refusal("all-reduce"), .collective)
        XCTAssertNil(HLOOpcodes.refusal("add"))
    }

    func testTopKIsReadUnderXLAsSpelling() throws {
        let module = entryModule(["%x = f32[8]{0} parameter(0)", "ROOT %t = (f32[2]{0}, s32[2]{0}) topk(%x), k=2"])
        let g = try hlo(module).graph
        XCTAssertEqual(g.entry.nodes[g.entry.root].operation, .topK(k: 2, largest: true))
        let typo = entryModule(["%x = f32[8]{0} parameter(0)", "ROOT %t = (f32[2]{0}, s32[2]{0}) top-k(%x), k=2"])
        guard let error = thrownError({ _ = try hlo(typo) }) else { return XCTFail("accepted") }
        XCTAssertTrue("\(error)".contains("did you mean 'topk'"), "\(error)")
    }

    func testTotalOrderComparesAreRead() throws {
        let module = entryModule([
            "%x = f32[4]{0} parameter(0)", "%y = f32[4]{0} parameter(1)",
            "ROOT %c = pred[4]{0} compare(%x, %y), direction=LT, type=TOTALORDER",
        ])
        let g = try hlo(module).graph
        XCTAssertEqual(g.entry.nodes[g.entry.root].operation, .compare(.lt, totalOrder: true))
    }

    func testEveryUnreadableInstructionIsListedInOneError() {
        let module = entryModule([
            "%x = f32[8]{0} parameter(0)",
            "%i = s32[2,1]{1,0} parameter(1)",
            "%g = f32[8]{0} all-reduce(%x), to_apply=%add",
            "%s = s32[2,1]{1,0} get-dimension-size(%i), dimensions={0}",
            "%m = f32[8]{0} multiplyy(%x, %x)",
            "ROOT %c = f32[8]{0} custom-call(%m), custom_call_target=\"foo\"",
        ])
        guard let error = thrownError({ _ = try hlo(module, file: "many.hlo") }) as? FormatError else {
            return XCTFail("accepted")
        }
        let text = error.description
        XCTAssertTrue(text.hasPrefix("many.hlo:5:"), text)
        XCTAssertTrue(text.contains("4 instructions use opcodes fpaudit cannot read:"), text)
        let lines = text.split(separator: "\n").dropFirst()
        XCTAssertEqual(lines.count, 4, text)
        XCTAssertTrue(
            lines[lines.startIndex].contains("many.hlo:5:") && lines.first!.contains("'all-reduce'")
                && lines.first!.contains("collective"), text)
        XCTAssertTrue(
            lines.contains {
                $0.contains("many.hlo:6:") && $0.contains("'get-dimension-size'") && $0.contains("dynamic shapes")
            }, text)
        XCTAssertTrue(
            lines.contains { $0.contains("many.hlo:7:") && $0.contains("did you mean 'multiply'") }, text)
        XCTAssertTrue(
            lines.contains {
                $0.contains("many.hlo:8:") && $0.contains("'custom-call'") && $0.contains("defined by the backend")
            }, text)
        XCTAssertEqual(error.location?.line, 5)
    }
}

/// docs/hlo-import.md lists every XLA opcode as the table decides it.
final class HLOOpcodeDocumentationTests: XCTestCase {
    func testTheDocumentListsEveryOpcodeAsTheTableDecides() throws {
        let text = try String(contentsOf: fixtureURL("docs/hlo-import.md"), encoding: .utf8)
        var rows: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, cells[0].hasPrefix("`"), cells[0].hasSuffix("`") else { continue }
            rows[String(cells[0].dropFirst().dropLast())] = cells[1]
        }
        for (opcode, refusal) in HLOOpcodes.xlaOpcodes {
            guard let row = rows[opcode] else {
                XCTFail("docs/hlo-import.md has no row for '\(opcode)'")
                continue
            }
            XCTAssertEqual(row == "read", refusal == nil, "\(opcode): \(row)")
        }
    }
}
