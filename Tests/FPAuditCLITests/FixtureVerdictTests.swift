import Foundation
import XCTest
import _TestSupport

/// Runs `fpaudit verify` on every pair in Fixtures/json and checks the verdict
/// and the figures against the ranges in its expect.json, which were derived
/// independently (Fixtures/json/derive_expectations.py: numpy float32, glibc
/// libm through ctypes and mpmath, with its own sampler).
final class FixtureVerdictTests: XCTestCase {
    func fixtureNames() throws -> [String] {
        let root = repoPath("Fixtures/json")
        return try FileManager.default.contentsOfDirectory(atPath: root).sorted().filter {
            FileManager.default.fileExists(atPath: "\(root)/\($0)/expect.json")
        }
    }

    func testThereAreAtLeastTenFixturesHalfOfThemBad() throws {
        let names = try fixtureNames()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        let verdicts = try names.map { name -> String in
            let data = try Data(contentsOf: URL(fileURLWithPath: repoPath("Fixtures/json/\(name)/expect.json")))
            return (try JSONSerialization.jsonObject(with: data) as! [String: Any])["verdict"] as! String
        }
        XCTAssertGreaterThanOrEqual(verdicts.filter { $0 == "fail" }.count, 5)
        XCTAssertGreaterThanOrEqual(verdicts.filter { $0 == "pass" }.count, 5)
    }

    func testEveryFixtureMatchesItsExpectation() async throws {
        for name in try fixtureNames() {
            let dir = repoPath("Fixtures/json/\(name)")
            let expectData = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/expect.json"))
            let expect = try JSONSerialization.jsonObject(with: expectData) as! [String: Any]
            let run = await fpaudit([
                "verify", "\(dir)/original.json", "\(dir)/rewritten.json",
                "--format", "json", "--quiet",
            ])
            XCTAssertEqual(run.err, "", name)
            let report = run.json
            let verdict = expect["verdict"] as! String
            XCTAssertEqual(report["verdict"] as? String, verdict, "\(name): verdict")
            XCTAssertEqual(run.code, verdict == "fail" ? 1 : 0, "\(name): exit code")
            let outputs = (report["outputs"] as? [[String: Any]]) ?? []
            let expectedOutputs = expect["outputs"] as! [String: [String: Any]]
            for (outputName, ranges) in expectedOutputs {
                guard let o = outputs.first(where: { $0["name"] as? String == outputName }) else {
                    XCTFail("\(name): no output \(outputName)")
                    continue
                }
                checkFigures(o, ranges, "\(name).\(outputName)")
                if let minimum = ranges["rewritten_nonfinite_min"] as? Double {
                    XCTAssertGreaterThanOrEqual(number(o, "rewritten", "nonfinite"), minimum, "\(name): nonfinite")
                }
            }
        }
    }

    /// The JAX-made pairs of Fixtures/rewrites: two Python functions lowered
    /// separately (so the interfaces are paired by position), verified with the
    /// manifest's inputs; verdicts and figures derived independently
    /// (Fixtures/rewrites/derive_expectations.py).
    func testEveryJAXRewritePairMatchesItsExpectation() async throws {
        let root = repoPath("Fixtures/rewrites")
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(root)/manifest.json"))) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(manifest.count, 30)
        var classes: [String: Set<String>] = [:]
        for pair in manifest {
            let name = try XCTUnwrap(pair["name"] as? String)
            let expect = try XCTUnwrap(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: "\(root)/\(name)/expect.json"))) as? [String: Any])
            let verdict = try XCTUnwrap(expect["verdict"] as? String)
            XCTAssertEqual(verdict, pair["verdict"] as? String, "\(name): manifest and expect.json agree")
            classes[pair["class"] as? String ?? "?", default: []].insert(verdict)
            let inputs = (pair["inputs"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.flatMap {
                ["--input", "\($0.key)=\($0.value)"]
            }
            let run = await fpaudit(
                [
                    "verify", "\(root)/\(name)/original.hlo.txt", "\(root)/\(name)/rewritten.hlo.txt",
                    "--format", "json", "--quiet", "--no-log",
                ] + inputs)
            XCTAssertEqual(run.err, "", name)
            XCTAssertEqual(run.json["verdict"] as? String, verdict, "\(name): verdict")
            XCTAssertEqual(run.code, verdict == "fail" ? 1 : 0, "\(name): exit code")
            let outputs = run.json["outputs"] as? [[String: Any]] ?? []
            let expected = expect["outputs"] as? [[String: Any]] ?? []
            XCTAssertEqual(outputs.count, expected.count, "\(name): outputs")
            for (k, (o, ranges)) in zip(outputs, expected).enumerated() { checkFigures(o, ranges, "\(name).#\(k)") }
        }
        // Every class of rewrite is there, each with the verdict it should have.
        XCTAssertEqual(classes["improvement"], ["pass"])
        XCTAssertEqual(classes["rounding-noise"], ["pass"])
        XCTAssertEqual(classes["identical"], ["pass"])
        XCTAssertEqual(classes["small-loss"], ["warn"])
        XCTAssertEqual(classes["regression"], ["fail"])
    }

    /// Checks a report output's figures against the `[lo, hi]` ranges an expect.json gives for them.
    func checkFigures(
        _ o: [String: Any], _ ranges: [String: Any], _ label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let points = number(o, "comparison", "points")
        let figures: [String: Double] = [
            "original_bits_max": number(o, "original", "bits", "max"),
            "rewritten_bits_max": number(o, "rewritten", "bits", "max"),
            "original_bits_mean": number(o, "original", "bits", "mean"),
            "rewritten_bits_mean": number(o, "rewritten", "bits", "mean"),
            "bits_lost_max": number(o, "bits_lost", "max"),
            "bits_lost_mean": number(o, "bits_lost", "mean"),
            "semantic_max_ulps": number(o, "semantic", "max_ulps"),
            "excess_quantiles": ["p50", "p95", "p99"].map { number(o, "comparison", "excess_bits", $0) }.max()!,
            "excess_mean": number(o, "comparison", "excess_bits", "mean"),
            "excess_max": number(o, "comparison", "excess_bits", "max"),
            "budget_bits": number(o, "comparison", "budget_bits"),
            "worse_points_share": number(o, "comparison", "worse_points") / points,
            "better_points_share": number(o, "comparison", "better_points") / points,
            "changed_points_share": number(o, "comparison", "changed_points") / points,
            "new_nonfinite_fraction": number(o, "new_nonfinite") / points,
        ]
        for (key, value) in figures {
            guard let range = ranges[key] as? [Double] ?? (ranges[key] as? Double).map({ [$0, $0] }) else { continue }
            XCTAssert(
                value >= range[0] - 1e-6 && value <= range[1] + 1e-6,
                "\(label).\(key) = \(value), expected in \(range)", file: file, line: line)
        }
    }

    private func number(_ object: [String: Any], _ path: String...) -> Double {
        var current: Any? = object
        for key in path { current = (current as? [String: Any])?[key] }
        if let d = current as? Double { return d }
        if let s = current as? String { return s == "inf" ? .infinity : (s == "-inf" ? -.infinity : .nan) }
        return .nan
    }
}
