import XCTest
import _TestSupport

@testable import FPTrace

final class XLADumpDirectoryTests: XCTestCase {
    func testFileNamesGiveModuleOrderAndPass() {
        XCTAssertEqual(XLADumpDirectory.parse("module_0006.jit_f.before_optimizations.txt")?.order, -1)
        let step = XLADumpDirectory.parse(
            "module_0006.jit_f.0007.simplification.after_algsimp.before_simplify-sorts.txt")
        XCTAssertEqual(step?.module, "module_0006.jit_f")
        XCTAssertEqual(step?.order, 7)
        XCTAssertEqual(step?.pass, "simplification/algsimp")
        let copies = XLADumpDirectory.parse(
            "module_0000.jit_g.0021.copy-insertion.after_adding_copies_to_resolve_interference.txt")
        XCTAssertEqual(copies?.pass, "copy-insertion/adding_copies_to_resolve_interference")
        XCTAssertEqual(XLADumpDirectory.parse("module_0006.jit_f.cpu_after_optimizations.txt")?.order, Int.max)
        XCTAssertNil(XLADumpDirectory.parse("module_0006.jit_f.cpu_after_optimizations-buffer-assignment.txt"))
        XCTAssertNil(XLADumpDirectory.parse("module_0006.jit_f.ir-no-opt.ll"))
    }

    func testARealDumpIsOrderedFromBeforeToAfterOptimizations() throws {
        let dir = try XLADumpDirectory(path: fixtureURL("Fixtures/xla/softmax/dump").path)
        let (name, snapshots) = try dir.snapshots(module: nil)
        XCTAssertEqual(name, "module_0000.jit_softmax")
        XCTAssertEqual(snapshots.first?.pass, "before_optimizations")
        XCTAssertEqual(snapshots.last?.pass, "cpu_after_optimizations")
        XCTAssertGreaterThan(snapshots.count, 10)
        XCTAssertTrue(snapshots.contains { $0.pass.hasSuffix("/algsimp") })
        XCTAssertEqual(try dir.snapshots(module: "jit_softmax").name, name)
        XCTAssertThrowsError(try dir.snapshots(module: "jit_nope")) { error in
            XCTAssertEqual(error as? TraceError, .unknownModule("jit_nope", available: [name]))
        }
    }

    func testNotADumpDirectory() {
        XCTAssertThrowsError(try XLADumpDirectory(path: fixtureURL("Fixtures/json").path)) { error in
            guard case TraceError.noModules = error else { return XCTFail("\(error)") }
        }
    }

    func testManifestStepsResolveRelativeToTheManifest() throws {
        let steps = try TraceManifest.read(path: fixtureURL("Fixtures/trace/affine/trace.json").path)
        XCTAssertEqual(steps.map(\.pass), ["input", "rename", "algsimp", "bf16-activations"])
        XCTAssertTrue(steps[0].path.hasSuffix("Fixtures/trace/affine/step0-input.json"))
    }

    func testMalformedManifestIsALocatedError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write(#"[{"pass": "a", "graph": "a.json"}, {"pass": "b"}]"#, to: "trace.json").path
        XCTAssertThrowsError(try TraceManifest.read(path: path)) { error in
            XCTAssert("\(error)".contains("step 1 at 1:36"), "\(error)")
        }
    }
}
