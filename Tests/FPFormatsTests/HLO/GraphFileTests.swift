import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// `GraphFile` picks the reader by content, then by extension.
final class GraphFileTests: XCTestCase {
    private let json =
        #"{ "parameters": [{ "name": "x", "dtype": "f32", "shape": [4] }], "nodes": [{ "name": "y", "op": "exp", "operands": ["x"] }], "outputs": ["y"] }"#
    private let hloText =
        "HloModule m\nENTRY %main {\n  %x = f32[4]{0} parameter(0)\n  ROOT %y = f32[4]{0} exponential(%x)\n}\n"

    private func read(_ text: String, file: String) throws -> ParsedGraph {
        try GraphFile.read(data: Data(text.utf8), file: file)
    }

    func testContentDecides() throws {
        XCTAssertEqual(try read(json, file: "graph.txt").graph.entry.nodes.last?.operation, .unary(.exp))
        XCTAssertEqual(try read("\n\t " + json, file: "noext").graph.outputs.map(\.name), ["y"])
        XCTAssertEqual(try read(hloText, file: "graph.json").graph.entry.nodes.last?.operation, .unary(.exp))
        XCTAssertEqual(
            try read("\u{FEFF}// dumped by hand\n/* note */ " + hloText, file: "noext").graph.entryName, "main")
        XCTAssertEqual(try GraphFile.format(of: Data(json.utf8), file: "x"), .json)
        XCTAssertEqual(try GraphFile.format(of: Data(hloText.utf8), file: "x"), .hloText)
    }

    /// When the content does not decide, the extension picks the reader, whose
    /// located error then explains what is wrong.
    func testExtensionDecidesForUnclearContent() {
        assertError(at: (1, 1), containing: "expected 'HloModule' at the start of the module, found 'HLOModule'") {
            _ = try self.read("HLOModule m", file: "model.hlo")
        }
        assertError(at: (1, 1), containing: "expected 'HloModule'") {
            _ = try self.read("ENTRY %main {}", file: "dump.txt")
        }
        XCTAssertNotNil(thrownError { _ = try self.read("[1, 2]", file: "graph.json") } as? FormatError)
    }

    func testUnknownFormatIsAClearError() {
        guard let error = thrownError({ _ = try self.read("ENTRY main", file: "model.bin") }) as? FormatError else {
            return XCTFail("expected a FormatError")
        }
        XCTAssertEqual(error, .unrecognizedFormat(file: "model.bin", found: "'ENTRY main'"))
        XCTAssertTrue(
            "\(error)".hasPrefix("model.bin: error: cannot tell the graph format: the file starts with 'ENTRY main'"),
            "\(error)")
        XCTAssertEqual(
            thrownError { _ = try self.read("  \n", file: "empty") } as? FormatError,
            .unrecognizedFormat(file: "empty", found: "nothing (it is empty)"))
    }

    func testReadsFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("graphfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.txt")
        try Data(hloText.utf8).write(to: url)
        XCTAssertEqual(try GraphFile.read(contentsOf: url).graph.source, url.path)
        XCTAssertEqual(try HLOText.read(contentsOf: url).graph.parameters.map(\.name), ["x"])
    }
}
