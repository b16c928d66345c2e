import Foundation
import XCTest
import _TestSupport

/// `verify --match`, the integer defaults and constant folding as a user meets
/// them, and `eval --truth-format`.
final class InterfaceAndTruthCommandTests: XCTestCase {
    /// `x / y` with an output named after its op, as XLA names HLO instructions.
    func graph(output: String, op: String) -> String {
        let nodes =
            op == "divide"
            ? #"{"name": "\#(output)", "op": "divide", "operands": ["x", "y"]}"#
            : #"{"name": "one", "op": "constant", "dtype": "f32", "value": 1}, {"name": "r", "op": "divide", "operands": ["one", "y"]}, {"name": "\#(output)", "op": "multiply", "operands": ["x", "r"]}"#
        return """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [16], "sample": "uniform(1,2)"},
                            {"name": "y", "dtype": "f32", "shape": [16], "sample": "uniform(0.5,4)"}],
             "nodes": [\(nodes)], "outputs": ["\(output)"]}
            """
    }

    func testOutputsNamedAfterTheirOpsArePairedByPosition() async throws {
        try await withTemporaryDirectory { dir in
            let a = try dir.write(graph(output: "div.1", op: "divide"), to: "a.json")
            let b = try dir.write(graph(output: "mul.1", op: "multiply"), to: "b.json")
            let run = await fpaudit(["verify", a.path, b.path, "--samples", "64", "--no-log", "--quiet"])
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssertTrue(
                run.out.contains("interfaces matched parameters by name, outputs by position (--match auto)"), run.out)
            let json = await fpaudit(["verify", a.path, b.path, "--samples", "64", "--no-log", "--format", "json"])
            let config = try XCTUnwrap(json.json["config"] as? [String: Any])
            XCTAssertEqual(config["match"] as? String, "auto")
            XCTAssertEqual(config["interface"] as? [String: String], ["parameters": "name", "outputs": "position"])
            let named = await fpaudit(["verify", a.path, b.path, "--match", "name", "--no-log"])
            XCTAssertEqual(named.code, 2)
            XCTAssertTrue(
                named.err.contains("original has (div.1: f32[16]), rewritten has (mul.1: f32[16])"), named.err)
            let bad = await fpaudit(["verify", a.path, b.path, "--match", "names", "--no-log"])
            XCTAssertEqual(bad.code, 2, bad.err)
        }
    }

    func testTheLogRecordsTheMatching() async throws {
        try await withTemporaryDirectory { dir in
            let a = try dir.write(graph(output: "div.1", op: "divide"), to: "a.json")
            let b = try dir.write(graph(output: "mul.1", op: "multiply"), to: "b.json")
            let log = dir.file("audit.db").path
            let run = await fpaudit(["verify", a.path, b.path, "--samples", "16", "--quiet", "--log", log])
            XCTAssertEqual(run.code, 0, run.err)
            let show = await fpaudit(["log", "show", "1", "--log", log, "--format", "json"])
            XCTAssertTrue(show.out.contains("\"interface\""), show.out)
            let replay = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(replay.code, 0, replay.out)
        }
    }

    /// Folding `c1 * c2` into one f32 constant rounds it; where the product is
    /// then nearly cancelled the exact function moves by many ulps, but every
    /// f32 result is the same bits: the default policy passes it.
    func testABitIdenticalConstantFoldPasses() async throws {
        func fold(_ folded: Bool) -> String {
            let product =
                folded
                ? #"{"name": "c", "op": "constant", "dtype": "f32", "value": "0x1.47ae16p-3"}"#
                : #"{"name": "c1", "op": "constant", "dtype": "f32", "value": "0x1.99999ap-4"}, {"name": "c2", "op": "constant", "dtype": "f32", "value": "0x1.99999ap+0"}, {"name": "c", "op": "multiply", "operands": ["c1", "c2"]}"#
            return """
                {"parameters": [{"name": "x", "dtype": "f32", "shape": [32], "sample": "uniform(1,2)"}],
                 "nodes": [\(product),
                           {"name": "k", "op": "constant", "dtype": "f32", "value": "0x1.47ae14p-3"},
                           {"name": "a", "op": "multiply", "operands": ["x", "c"]},
                           {"name": "b", "op": "multiply", "operands": ["x", "k"]},
                           {"name": "y", "op": "subtract", "operands": ["a", "b"]}],
                 "outputs": ["y"]}
                """
        }
        try await withTemporaryDirectory { dir in
            let a = try dir.write(fold(false), to: "original.json")
            let b = try dir.write(fold(true), to: "folded.json")
            let run = await fpaudit(["verify", a.path, b.path, "--samples", "256", "--no-log", "--format", "json"])
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssertEqual(run.json["verdict"] as? String, "pass")
            XCTAssertEqual((run.json["findings"] as? [[String: Any]])?.count, 0)
            let output = try XCTUnwrap((run.json["outputs"] as? [[String: Any]])?.first)
            XCTAssertEqual((output["comparison"] as? [String: Any])?["changed_points"] as? Int, 0)
            let semantic = try XCTUnwrap((output["semantic"] as? [String: Any])?["max_ulps"] as? Double)
            XCTAssertGreaterThan(semantic, 1, "the real function moved")
        }
    }

    /// log1p(0x1.ad7f2ap-24), 40 significant digits. Independent value from
    /// mpmath: `mp.dps = 60; mp.nstr(mp.log1p(mp.mpf(float.fromhex("0x1.ad7f2ap-24"))), 40)`
    /// = 9.999999616860995878038059870084386182550e-8; as f64 0x1.ad7f2897b648ap-24.
    func testTruthFormatsPrintTheTruthBeyondTheOutputDtype() async throws {
        try await withTemporaryDirectory { dir in
            let inputs = try dir.write(
                """
                {"x": {"dtype": "f32", "shape": [16], "data": ["0x1.ad7f2ap-24", 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}}
                """, to: "in.json")
            let graph = repoPath("Fixtures/json/log1p-naive/original.json")
            let decimal = await fpaudit([
                "eval", graph, "--inputs", inputs.path, "--exec", "mpfr", "--truth-format", "decimal:40",
            ])
            XCTAssertEqual(decimal.code, 0, decimal.err)
            XCTAssertTrue(decimal.out.contains("[0] 9.999999616860995878038059870084386182550e-8\n"), decimal.out)
            XCTAssertTrue(decimal.out.contains("[1] 6.931471805599453094172321214581765680755e-1\n"), decimal.out)
            let f64 = await fpaudit([
                "eval", graph, "--inputs", inputs.path, "--exec", "mpfr", "--truth-format", "f64",
                "--format", "json",
            ])
            let entry = try XCTUnwrap(f64.json["y"] as? [String: Any])
            XCTAssertEqual(entry["dtype"] as? String, "f64")
            XCTAssertEqual((entry["data"] as? [String])?.first, "0x1.ad7f2897b648ap-24")
            for bad in [
                ["--truth-format", "decimal:0", "--exec", "mpfr"], ["--truth-format", "f64"],
                ["--truth-format", "decimal:20", "--exec", "mpfr", "--format", "json"],
            ] {
                let run = await fpaudit(["eval", graph, "--inputs", inputs.path] + bad)
                XCTAssertEqual(run.code, 2, "\(bad): \(run.err)")
            }
        }
    }
}
