import Foundation
import XCTest
import _TestSupport

/// Bad input is a located error with exit code 2, never a crash.
final class BadInputTests: XCTestCase {
    let good = "Fixtures/json/log1p-naive/original.json"

    func testMissingFile() async {
        let run = await fpaudit(["verify", "/nonexistent/a.json", repoPath(good)])
        XCTAssertEqual(run.code, 2)
        XCTAssert(run.err.contains("/nonexistent/a.json: error: cannot read file"), run.err)
    }

    func testMalformedJSONNamesLineAndColumn() async throws {
        try await withTemporaryDirectory { dir in
            let bad = try dir.write(
                "{\n  \"parameters\": [\n    {\"name\": \"x\" \"dtype\": \"f32\"}\n  ]\n}\n", to: "bad.json")
            let run = await fpaudit(["verify", bad.path, repoPath(good)])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("bad.json:3:18: error:"), run.err)
        }
    }

    func testUnknownOpNamesTheNode() async throws {
        try await withTemporaryDirectory { dir in
            let text = """
                {"parameters": [{"name": "x", "dtype": "f32", "shape": [2]}],
                 "nodes": [{"name": "y", "op": "expp", "operands": ["x"]}],
                 "outputs": ["y"]}
                """
            let bad = try dir.write(text, to: "unknown.json")
            let run = await fpaudit(["verify", bad.path, bad.path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("unknown.json:2:"), run.err)
            XCTAssert(run.err.contains("expp"), run.err)
        }
    }

    func testMismatchedInterfacesAreRefused() async {
        let run = await fpaudit(["verify", repoPath(good), repoPath("Fixtures/json/softmax-naive/original.json")])
        XCTAssertEqual(run.code, 2)
        XCTAssert(run.err.contains("do not match"), run.err)
    }

    func testBadInputSpec() async {
        let run = await fpaudit(["verify", repoPath(good), repoPath(good), "--input", "x=gaussian(0,1)"])
        XCTAssertEqual(run.code, 2)
        XCTAssert(run.err.contains("gaussian"), run.err)
        let unknown = await fpaudit(["verify", repoPath(good), repoPath(good), "--input", "zz=normal(0,1)"])
        XCTAssertEqual(unknown.code, 2)
        XCTAssert(unknown.err.contains("'zz'"), unknown.err)
    }

    func testUsageErrorsExitWith2() async {
        let run = await fpaudit(["verify", repoPath(good)])
        XCTAssertEqual(run.code, 2)
        let option = await fpaudit(["verify", repoPath(good), repoPath(good), "--bogus"])
        XCTAssertEqual(option.code, 2)
        let precision = await fpaudit(["verify", repoPath(good), repoPath(good), "--precision", "12"])
        XCTAssertEqual(precision.code, 2)
    }

    func testHugeTensorIsRefusedBeforeAllocating() async throws {
        try await withTemporaryDirectory { dir in
            let text = """
                {"parameters": [{"name": "x", "dtype": "f32", "shape": [100000, 100000]}],
                 "nodes": [{"name": "y", "op": "exp", "operands": ["x"]}],
                 "outputs": ["y"]}
                """
            let big = try dir.write(text, to: "big.json")
            let run = await fpaudit(["verify", big.path, big.path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("over the limit"), run.err)
        }
    }

    func testHelpExitsZero() async {
        let run = await fpaudit(["--help"])
        XCTAssertEqual(run.code, 0)
        XCTAssert(run.out.contains("verify"))
    }
}

/// Malformed HLO through the command line: exit 2 and a located message.
final class MalformedHLOCommandTests: XCTestCase {
    func testEveryMalformedHLOFileExitsTwoWithItsLocation() async throws {
        let dir = repoPath("Fixtures/hlo/malformed")
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/expected.json"))) as! [String: Any]
        XCTAssertGreaterThanOrEqual(expected.count, 30)
        for (file, entry) in expected.sorted(by: { $0.key < $1.key }) {
            let path = "\(dir)/\(file)"
            let location = (entry as? [String: Any])?["location"] as? String ?? "?"
            let run = await fpaudit(["verify", path, path, "--samples", "1"])
            XCTAssertEqual(run.code, 2, "\(file): \(run.err)")
            XCTAssert(run.err.contains("\(file):\(location):"), "\(file): expected \(location): \(run.err)")
            XCTAssert(run.err.contains("error:"), "\(file): \(run.err)")
        }
    }
}

/// HLO parameters answer to their HLO name, their JAX name and their position.
final class HLOParameterNamingTests: XCTestCase {
    func testEvalBindsInputsByTheJAXArgumentName() async {
        let dump = repoPath("Fixtures/xla/divide_by_16/dump/module_0000.jit_divide_by_16.before_optimizations.txt")
        let run = await fpaudit([
            "eval", dump, "--inputs", repoPath("Fixtures/xla/divide_by_16/inputs/set0.json"),
            "--format", "json",
        ])
        XCTAssertEqual(run.code, 0, run.err)
        XCTAssertNotNil(run.json["#0"])
    }
}

/// Hopeless work is refused before it starts, with the estimate and how to cut it.
final class WorkLimitTests: XCTestCase {
    func testAWorkEstimateAboveTheLimitIsRefusedBeforeAnyWork() async throws {
        try await withTemporaryDirectory { dir in
            let dot = """
                {"format": "fpaudit.graph/v1", "name": "big",
                 "parameters": [{"name": "a", "dtype": "f32", "shape": [4096, 4096]},
                                {"name": "b", "dtype": "f32", "shape": [4096, 4096]}],
                 "nodes": [{"name": "d", "op": "dot", "operands": ["a", "b"],
                            "lhs_contracting": [1], "rhs_contracting": [0]}],
                 "outputs": ["d"]}
                """
            let path = try dir.write(dot, to: "dot.json").path
            let log = dir.file("audit.db").path
            let started = Date()
            let run = await fpaudit(["verify", path, path, "--samples", "1", "--elements", "all", "--log", log])
            XCTAssertEqual(run.code, 2)
            XCTAssertLessThan(Date().timeIntervalSince(started), 30, "refused before the work")
            XCTAssert(run.err.contains("this run would take 4.1e11 element operations"), run.err)
            XCTAssert(run.err.contains("over the limit of 1.0e10 (--max-work); nothing was run"), run.err)
            XCTAssert(run.err.contains("fewer samples (--samples)"), run.err)
            XCTAssert(run.err.contains("fewer output elements per sample (--elements N)"), run.err)
            let list = await fpaudit(["log", "list", "--log", log])
            XCTAssert(list.out.contains("no entries"), list.out)
        }
    }

    /// By default a big output is measured on a box of 256 elements, and the
    /// estimate is that of the cut-down graphs: 16 rows and 16 columns of the dot.
    func testElementSamplingCutsTheEstimate() async throws {
        try await withTemporaryDirectory { dir in
            let dot = """
                {"parameters": [{"name": "a", "dtype": "f32", "shape": [4096, 4096]},
                                {"name": "b", "dtype": "f32", "shape": [4096, 4096]}],
                 "nodes": [{"name": "d", "op": "dot", "operands": ["a", "b"],
                            "lhs_contracting": [1], "rhs_contracting": [0]}],
                 "outputs": ["d"]}
                """
            let path = try dir.write(dot, to: "dot.json").path
            let run = await fpaudit(["verify", path, path, "--samples", "1", "--max-work", "1", "--no-log"])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("(1 samples × (1.0e6 + 1.0e6) per evaluation × 3 evaluations)"), run.err)
        }
    }

    func testMaxWorkLowersAndRaisesTheLimit() async {
        let a = repoPath("Fixtures/json/div-by-four/original.json")
        let b = repoPath("Fixtures/json/div-by-four/rewritten.json")
        let refused = await fpaudit(["verify", a, b, "--samples", "16", "--no-log", "--max-work", "1000"])
        XCTAssertEqual(refused.code, 2)
        XCTAssert(refused.err.contains("6.1e3 element operations (16 samples × (64 + 64)"), refused.err)
        let allowed = await fpaudit(["verify", a, b, "--samples", "16", "--no-log", "--max-work", "6144"])
        XCTAssertEqual(allowed.code, 0, allowed.err)
        let trace = await fpaudit(
            ["trace", repoPath("Fixtures/xla/softmax/dump"), "--no-log", "--samples", "16", "--max-work", "10"])
        XCTAssertEqual(trace.code, 2)
        XCTAssert(trace.err.contains("this run would take"), trace.err)
        let bad = await fpaudit(["verify", a, b, "--max-work", "0"])
        XCTAssertEqual(bad.code, 2)
    }
}
