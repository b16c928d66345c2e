import Foundation
import XCTest
import _TestSupport

/// The tiered truth (binary64 intervals first, then double-double balls, MPFR
/// where neither decides) gives the same reports as MPFR alone, bit for bit,
/// on every fixture: only
/// what says how the truth was computed differs (`config.truth`,
/// `samples.truth_points`, `samples.max_precision_used`).
final class TieredTruthAgreementTests: XCTestCase {
    /// The report with what describes the truth's cost removed, as canonical JSON text.
    func figures(_ report: [String: Any]) throws -> String {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                var kept: [String: Any] = [:]
                for (key, v) in object where key != "truth_points" && key != "max_precision_used" {
                    // `truth` is the mode in a configuration (which has `precision_cap`);
                    // elsewhere (a worst point's truth) it is a figure.
                    if key == "truth" && object["precision_cap"] != nil { continue }
                    kept[key] = strip(v)
                }
                return kept
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let data = try JSONSerialization.data(withJSONObject: strip(report), options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The point counts of each tier in every report in `report` (a verify
    /// report, or a trace report's steps).
    func tierPoints(_ value: Any) -> TierPoints {
        var total = TierPoints()
        if let object = value as? [String: Any] {
            if let t = object["truth_points"] as? [String: Any] {
                total.interval += t["interval"] as? Int ?? 0
                total.ball += t["ball"] as? Int ?? 0
                total.mpfr += t["mpfr"] as? Int ?? 0
            }
            for v in object.values { total.add(tierPoints(v)) }
        } else if let array = value as? [Any] {
            for v in array { total.add(tierPoints(v)) }
        }
        return total
    }

    /// Points decided by each tier.
    struct TierPoints {
        var interval = 0
        var ball = 0
        var mpfr = 0
        mutating func add(_ o: TierPoints) {
            interval += o.interval
            ball += o.ball
            mpfr += o.mpfr
        }
    }

    /// Runs `arguments` with `--truth tiered` and `--truth mpfr` and compares the reports.
    func checkBothWays(_ arguments: [String], _ label: String) async throws -> TierPoints {
        let tiered = await fpaudit(arguments + ["--format", "json", "--quiet", "--no-log", "--truth", "tiered"])
        let mpfr = await fpaudit(arguments + ["--format", "json", "--quiet", "--no-log", "--truth", "mpfr"])
        XCTAssertEqual(tiered.code, mpfr.code, "\(label): exit codes")
        XCTAssertEqual(tiered.err, mpfr.err, "\(label): errors")
        let (a, b) = (try figures(tiered.json), try figures(mpfr.json))
        XCTAssertEqual(a, b, "\(label): the tiered and MPFR-only reports differ")
        XCTAssertEqual(tierPoints(mpfr.json).interval, 0, "\(label): --truth mpfr decides nothing with intervals")
        XCTAssertEqual(tierPoints(mpfr.json).ball, 0, "\(label): --truth mpfr decides nothing with balls")
        return tierPoints(tiered.json)
    }

    func testJSONFixturesGiveTheSameReportsBothWays() async throws {
        let root = repoPath("Fixtures/json")
        var total = TierPoints()
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted().filter {
            FileManager.default.fileExists(atPath: "\(root)/\($0)/original.json")
        }
        XCTAssertGreaterThanOrEqual(names.count, 10)
        for name in names {
            total.add(
                try await checkBothWays(
                    ["verify", "\(root)/\(name)/original.json", "\(root)/\(name)/rewritten.json"], name))
        }
        // The point of the tiers: most points never reach MPFR.
        XCTAssertGreaterThan(total.interval, 4 * total.mpfr, "intervals decided \(total)")
    }

    /// Constants written in decimal that are not values of their dtype (the
    /// truth uses the decimal, every tier enclosing it): GELU's constants in
    /// f32, rewritten as bf16 constants converted to f32.
    func testDecimalConstantsGiveTheSameReportsBothWays() async throws {
        func gelu(_ dtype: String) -> String {
            let convert =
                dtype == "f32"
                ? ""
                : #", {"name": "kf", "op": "convert", "operands": ["k0"], "dtype": "f32"}"#
                    + #", {"name": "cf", "op": "convert", "operands": ["c0"], "dtype": "f32"}"#
            let (k, c) = dtype == "f32" ? ("k0", "c0") : ("kf", "cf")
            return """
                {"parameters": [{"name": "x", "dtype": "f32", "shape": [16], "sample": "normal(0,2)"}],
                 "nodes": [{"name": "half", "op": "constant", "dtype": "f32", "value": 0.5},
                   {"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                   {"name": "k0", "op": "constant", "dtype": "\(dtype)", "value": 0.7978845608028654},
                   {"name": "c0", "op": "constant", "dtype": "\(dtype)", "value": "0.044715"}\(convert),
                   {"name": "x2", "op": "multiply", "operands": ["x", "x"]},
                   {"name": "x3", "op": "multiply", "operands": ["x2", "x"]},
                   {"name": "cx3", "op": "multiply", "operands": ["\(c)", "x3"]},
                   {"name": "inner", "op": "add", "operands": ["x", "cx3"]},
                   {"name": "z", "op": "multiply", "operands": ["\(k)", "inner"]},
                   {"name": "t", "op": "tanh", "operands": ["z"]},
                   {"name": "u", "op": "add", "operands": ["one", "t"]},
                   {"name": "hx", "op": "multiply", "operands": ["half", "x"]},
                   {"name": "y", "op": "multiply", "operands": ["hx", "u"]}],
                 "outputs": ["y"]}
                """
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let original = try dir.write(gelu("f32"), to: "original.json")
        let rewritten = try dir.write(gelu("bf16"), to: "rewritten.json")
        let arguments = ["verify", original.path, rewritten.path, "--samples", "256"]
        let points = try await checkBothWays(arguments, "decimal constants")
        XCTAssertGreaterThan(points.interval + points.ball, 0, "tiers decided \(points)")
        // The bf16 constants' rounding is measured, and named.
        let report = await fpaudit(arguments + ["--format", "json", "--quiet", "--no-log"])
        XCTAssertTrue(
            Self.kinds(report.json).contains("constant-rounding"), "\(Self.kinds(report.json).sorted())")
    }

    /// Every cause kind in a report.
    static func kinds(_ value: Any) -> Set<String> {
        if let object = value as? [String: Any] {
            var found = Set(object.values.flatMap { kinds($0) })
            if object["description"] != nil, let kind = object["kind"] as? String { found.insert(kind) }
            return found
        }
        if let array = value as? [Any] { return Set(array.flatMap { kinds($0) }) }
        return []
    }

    func testJAXRewritePairsGiveTheSameReportsBothWays() async throws {
        let root = repoPath("Fixtures/rewrites")
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(root)/manifest.json"))) as? [[String: Any]])
        var total = TierPoints()
        for pair in manifest {
            let name = try XCTUnwrap(pair["name"] as? String)
            let inputs = (pair["inputs"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.flatMap {
                ["--input", "\($0.key)=\($0.value)"]
            }
            total.add(
                try await checkBothWays(
                    ["verify", "\(root)/\(name)/original.hlo.txt", "\(root)/\(name)/rewritten.hlo.txt"] + inputs,
                    name))
        }
        XCTAssertGreaterThan(total.interval, total.mpfr, "intervals decided \(total)")
    }

    /// Every traced XLA fixture (the BERT-size layer aside: its work estimate is
    /// refused at these settings), at 8 samples.
    func testXLATracesGiveTheSameReportsBothWays() async throws {
        let root = repoPath("Fixtures/xla")
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted().filter {
            $0 != "layer_768" && FileManager.default.fileExists(atPath: "\(root)/\($0)/dump")
        }
        XCTAssertGreaterThanOrEqual(names.count, 10)
        var total = TierPoints()
        for name in names {
            total.add(try await checkBothWays(["trace", "\(root)/\(name)/dump", "--samples", "8"], name))
        }
        // The balls decide points the intervals leave (and so are compared with
        // MPFR here): on these traces, about twice what MPFR still takes.
        XCTAssertGreaterThan(total.ball, total.mpfr, "balls decided \(total)")
        XCTAssertGreaterThan(total.interval + total.ball, 3 * total.mpfr, "tiers decided \(total)")
    }
}
