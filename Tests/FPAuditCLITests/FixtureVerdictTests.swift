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
            let run = await fpaudit(["verify", "\(dir)/original.json", "\(dir)/rewritten.json",
                                     "--format", "json", "--quiet"])
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
                let figures: [String: Double] = [
                    "original_bits_max": number(o, "original", "bits", "max"),
                    "rewritten_bits_max": number(o, "rewritten", "bits", "max"),
                    "bits_lost_max": number(o, "bits_lost", "max"),
                    "bits_lost_mean": number(o, "bits_lost", "mean"),
                    "semantic_max_ulps": number(o, "semantic", "max_ulps"),
                ]
                for (key, value) in figures {
                    guard let range = ranges[key] as? [Double] else { continue }
                    XCTAssert(value >= range[0] - 1e-9 && value <= range[1] + 1e-9,
                              "\(name).\(outputName).\(key) = \(value), expected in \(range)")
                }
                if let minimum = ranges["rewritten_nonfinite_min"] as? Double {
                    XCTAssertGreaterThanOrEqual(number(o, "rewritten", "nonfinite"), minimum, "\(name): nonfinite")
                }
            }
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
