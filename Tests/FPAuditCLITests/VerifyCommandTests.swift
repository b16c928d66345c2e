import Foundation
import XCTest
import _TestSupport

final class VerifyCommandTests: XCTestCase {
    let pair = "Fixtures/json/log1p-naive"

    func testTextReportShowsTheTableFindingsAndVerdict() async {
        let run = await fpaudit([
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
            "--samples", "64", "--quiet",
        ])
        XCTAssertEqual(run.code, 1)
        XCTAssert(run.out.contains("output y: f32[16]"), run.out)
        XCTAssert(run.out.contains("accuracy-regression"), run.out)
        XCTAssert(run.out.contains("excess bits p50"), run.out)
        XCTAssert(run.out.hasSuffix("verdict: FAIL\n"), run.out)
    }

    func testJSONReportHasTheDocumentedKeys() async throws {
        let run = await fpaudit([
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
            "--samples", "32", "--seed", "9", "--format", "json",
        ])
        let r = run.json
        XCTAssertEqual(r["schema"] as? String, "fpaudit.report/v1")
        let config = try XCTUnwrap(r["config"] as? [String: Any])
        XCTAssertEqual(config["samples"] as? Int, 32)
        XCTAssertEqual(config["seed"] as? Int, 9)
        XCTAssertEqual(config["exec"] as? String, "declared")
        XCTAssertEqual(config["precision"] as? String, "auto")
        let original = try XCTUnwrap(r["original"] as? [String: Any])
        XCTAssertEqual((original["sha256"] as? String)?.count, 64)
        XCTAssertEqual((original["canonical_hash"] as? String)?.count, 64)
        let output = try XCTUnwrap((r["outputs"] as? [[String: Any]])?.first)
        for key in ["name", "dtype", "shape", "original", "rewritten", "bits_lost", "semantic", "worst"] {
            XCTAssertNotNil(output[key], key)
        }
        let bits = try XCTUnwrap((output["original"] as? [String: Any])?["bits"] as? [String: Any])
        XCTAssertEqual(Set(bits.keys), ["max", "mean", "p50", "p95", "p99"])
        // 32 samples x 16 elements, in 33 one-bit bins of f32 error.
        let histogram = try XCTUnwrap((output["rewritten"] as? [String: Any])?["bits_histogram"] as? [Int])
        XCTAssertEqual(histogram.count, 33)
        XCTAssertEqual(histogram.reduce(0, +), 32 * 16)
        XCTAssertGreaterThan(histogram[20...].reduce(0, +), 0, "log(1+x) loses most of f32's bits")
        XCTAssertEqual(r["verdict"] as? String, "fail")
    }

    func testResultsDoNotDependOnTheNumberOfWorkers() async {
        let args = [
            "verify", repoPath("Fixtures/json/variance-onepass/original.json"),
            repoPath("Fixtures/json/variance-onepass/rewritten.json"), "--samples", "50", "--format", "json",
        ]
        let one = await fpaudit(args + ["--workers", "1"])
        let two = await fpaudit(args + ["--workers", "2"])
        let three = await fpaudit(args + ["--workers", "3"])
        XCTAssertEqual(one.out, two.out)
        XCTAssertEqual(one.out, three.out)
        XCTAssertFalse(one.out.isEmpty)
    }

    func testDifferentSeedsSampleDifferentInputs() async {
        let args = [
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
            "--samples", "8", "--format", "json",
        ]
        let a = await fpaudit(args + ["--seed", "1"])
        let b = await fpaudit(args + ["--seed", "2"])
        XCTAssertNotEqual(a.out, b.out)
    }

    func testSaveWorstThenReplayReproducesTheWorstCase() async throws {
        try await withTemporaryDirectory { dir in
            let worst = dir.file("worst.json").path
            let first = await fpaudit([
                "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
                "--samples", "40", "--format", "json", "--save-worst", worst,
            ])
            let lost =
                ((first.json["outputs"] as? [[String: Any]])?.first?["bits_lost"] as? [String: Any])?["max"] as? Double
            let replay = await fpaudit([
                "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
                "--format", "json", "--replay", worst,
            ])
            XCTAssertEqual(replay.err, "")
            let replayed =
                ((replay.json["outputs"] as? [[String: Any]])?.first?["bits_lost"] as? [String: Any])?["max"] as? Double
            XCTAssertNotNil(lost)
            XCTAssertEqual(lost, replayed)
            XCTAssertEqual((replay.json["samples"] as? [String: Any])?["requested"] as? Int, 1)
            // A whole report replays too: its worst case.
            let report = dir.file("report.json").path
            try Data(first.out.utf8).write(to: URL(fileURLWithPath: report))
            let fromReport = await fpaudit([
                "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
                "--format", "json", "--replay", report,
            ])
            XCTAssertEqual(fromReport.err, "")
            let again =
                ((fromReport.json["outputs"] as? [[String: Any]])?.first?["bits_lost"] as? [String: Any])?["max"]
                as? Double
            XCTAssertEqual(again, lost)
        }
    }

    func testInputOverrideChangesTheDistribution() async {
        let run = await fpaudit([
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
            "--samples", "16", "--input", "x=uniform(1,2)", "--format", "json",
        ])
        let inputs = (run.json["config"] as? [String: Any])?["inputs"] as? [String: String]
        XCTAssertEqual(inputs?["x"], "uniform(1, 2)")
        // log(1+x) for x in [1,2) is accurate: at most a couple of ulps.
        let lost = ((run.json["outputs"] as? [[String: Any]])?.first?["bits_lost"] as? [String: Any])?["max"] as? Double
        XCTAssertLessThan(lost ?? 99, 2.1)
    }

    func testDoubleModeRemovesThePrecisionEffectOfABF16RoundTrip() async {
        let dir = "Fixtures/json/bf16-roundtrip"
        let run = await fpaudit([
            "verify", repoPath("\(dir)/original.json"), repoPath("\(dir)/rewritten.json"),
            "--samples", "64", "--exec", "double", "--format", "json",
        ])
        XCTAssertEqual(run.json["verdict"] as? String, "pass", run.out)
        XCTAssertEqual(run.code, 0)
    }
}

/// The report says where the accuracy goes: the node with the largest local error.
final class HotspotTests: XCTestCase {
    func hotspots(_ fixture: String) async -> [[String: Any]] {
        let dir = "Fixtures/json/\(fixture)"
        let run = await fpaudit([
            "verify", repoPath("\(dir)/original.json"), repoPath("\(dir)/rewritten.json"),
            "--samples", "64", "--format", "json",
        ])
        return ((run.json["hotspots"] as? [String: Any])?["rewritten"] as? [[String: Any]]) ?? []
    }

    /// E[x^2] - E[x]^2: the final subtraction cancels catastrophically.
    func testOnePassVarianceLosesItsBitsInTheFinalSubtraction() async {
        let top = await hotspots("variance-onepass").first
        XCTAssertEqual(top?["op"] as? String, "subtract")
        XCTAssertGreaterThan(top?["local_bits"] as? Double ?? 0, 10)
        XCTAssertNotNil(top?["location"] as? String)
    }

    /// An inserted f32 -> bf16 convert loses up to 16 bits locally.
    func testBF16RoundTripLosesItsBitsInTheConvert() async {
        let top = await hotspots("bf16-roundtrip").first
        XCTAssertEqual(top?["op"] as? String, "convert")
        XCTAssertGreaterThan(top?["local_bits"] as? Double ?? 0, 10)
    }

    /// log(1 + x) for tiny x: the add rounds 1 + x.
    func testNaiveLog1pLosesItsBitsInTheAddOrTheLog() async {
        let top = await hotspots("log1p-naive")
        XCTAssertGreaterThan(top.first?["local_bits"] as? Double ?? 0, 10)
    }
}

final class TraceAndDiffCommandTests: XCTestCase {
    func testTraceOfAManifestNamesTheFirstFailingStepAndExitsOne() async {
        let run = await fpaudit(["trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "64"])
        XCTAssertEqual(run.code, 1, run.err)
        XCTAssert(run.out.contains("first failing step: 3, pass bf16-activations"), run.out)
        XCTAssert(run.out.contains("unchanged"), run.out)
    }

    func testTraceJSONHoldsOneReportPerVerifiedStep() async throws {
        let run = await fpaudit([
            "trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "32", "--format", "json",
        ])
        XCTAssertEqual(run.json["schema"] as? String, "fpaudit.trace/v1")
        let steps = try XCTUnwrap(run.json["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["status"] as? String }, ["unchanged", "verified", "verified"])
        XCTAssertEqual((steps[1]["report"] as? [String: Any])?["schema"] as? String, "fpaudit.report/v1")
        XCTAssertEqual((run.json["first_failure"] as? [String: Any])?["pass"] as? String, "bf16-activations")
    }

    func testDiffListsChangedAddedAndRemovedNodes() async {
        let run = await fpaudit([
            "diff", repoPath("Fixtures/trace/affine/step0-input.json"),
            repoPath("Fixtures/trace/affine/step3-bf16.json"),
        ])
        XCTAssertEqual(run.code, 0)
        XCTAssert(run.out.contains("+ xb (convert)"), run.out)
        XCTAssert(run.out.contains("- y (divide)"), run.out)
    }

    func testTraceOfAMissingPathIsBadInput() async {
        let run = await fpaudit(["trace", "/nonexistent/dump"])
        XCTAssertEqual(run.code, 2)
    }
}

/// Policies on the command line: --policy, --fail-on, policy check/explain, waivers.
final class PolicyCommandTests: XCTestCase {
    let pair = ["Fixtures/json/reciprocal-multiply/original.json", "Fixtures/json/reciprocal-multiply/rewritten.json"]

    func verify(_ extra: [String]) async -> CLIResult {
        await fpaudit(["verify"] + pair.map(repoPath) + ["--samples", "64", "--format", "json"] + extra)
    }

    func testDefaultPolicyWarnsStrictFailsAndFailOnWarningFails() async {
        let plain = await verify([])
        XCTAssertEqual(plain.json["verdict"] as? String, "warn")
        XCTAssertEqual(plain.code, 0)
        XCTAssertEqual((plain.json["policy"] as? [String: Any])?["name"] as? String, "default")
        let strict = await verify(["--policy", repoPath("Policies/strict.yaml")])
        XCTAssertEqual(strict.json["verdict"] as? String, "fail")
        XCTAssertEqual(strict.code, 1)
        XCTAssertEqual(((strict.json["policy"] as? [String: Any])?["canonical_hash"] as? String)?.count, 64)
        let checks = strict.json["checks"] as? [[String: Any]] ?? []
        XCTAssertTrue(checks.contains { $0["held"] as? Bool == false && $0["value"] != nil })
        let failOn = await verify(["--fail-on", "warning"])
        XCTAssertEqual(failOn.code, 1)
    }

    func testAWaiverKeepsTheFindingVisibleButPassesTheRun() async throws {
        try await withTemporaryDirectory { dir in
            let policy = try dir.write(
                """
                name: waived
                version: 1
                extends: \(repoPath("Policies/strict.yaml"))
                waivers:
                  - rule: bits-lost
                    match: { output: "z" }
                    reason: the reciprocal is accepted on this model
                    approved_by: numerics-team
                    expires: 2999-12-31
                """, to: "waived.yaml")
            let run = await self.verify(["--policy", policy.path])
            let findings = run.json["findings"] as? [[String: Any]] ?? []
            XCTAssertTrue(
                findings.contains {
                    $0["rule"] as? String == "bits-lost" && ($0["waiver"] as? String)?.contains("numerics-team") == true
                },
                run.out)
            XCTAssertNotEqual(run.json["verdict"] as? String, "fail", run.out)
        }
    }

    func testPolicyCheckAndExplain() async throws {
        let ok = await fpaudit(["policy", "check", repoPath("Policies/ml-inference.yaml")])
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssert(ok.out.contains("ok: policy"), ok.out)
        let explained = await fpaudit(["policy", "explain", repoPath("Policies/ml-inference.yaml")])
        XCTAssertEqual(explained.code, 0)
        XCTAssert(explained.out.contains("rules:"), explained.out)
        try await withTemporaryDirectory { dir in
            let bad = try dir.write(
                "name: x\nversion: 1\nrules:\n  - id: a\n    severity: error\n    require: rewriten.bits.p99 < 2\n",
                to: "bad.yaml")
            let run = await fpaudit(["policy", "check", bad.path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(
                run.err.contains("bad.yaml:6:14: error: rules[0].require: unknown metric 'rewriten.bits.p99'"), run.err)
        }
    }

    func testTracesAreJudgedPerStepByThePolicy() async {
        let run = await fpaudit([
            "trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "32", "--format", "json",
            "--policy", repoPath("Policies/strict.yaml"),
        ])
        let steps = run.json["steps"] as? [[String: Any]] ?? []
        let report = steps.last?["report"] as? [String: Any]
        XCTAssertEqual((report?["policy"] as? [String: Any])?["name"] as? String, "strict")
        XCTAssertEqual(report?["verdict"] as? String, "fail")
    }
}

final class PolicyFixedDataTests: XCTestCase {
    /// A policy pins `w` to the values of a .npy file and samples `x` by a glob.
    func testDataInputsAreUsedInEverySample() async {
        let dir = "Fixtures/json/bf16-roundtrip"
        let run = await fpaudit([
            "verify", repoPath("\(dir)/original.json"), repoPath("\(dir)/rewritten.json"),
            "--samples", "16", "--format", "json", "--save-worst", "/dev/null",
            "--policy", repoPath("Fixtures/policy/fixed-weights.yaml"),
        ])
        XCTAssertEqual(run.err, "")
        let inputs = (run.json["config"] as? [String: Any])?["inputs"] as? [String: String]
        XCTAssertEqual(inputs?["w"], "data(w.npy)")
        XCTAssertEqual(inputs?["x"], "uniform(-4, 4)")
        let worst =
            ((run.json["outputs"] as? [[String: Any]])?.first?["worst"] as? [String: Any])?["inputs"] as? [String: Any]
        let w = (worst?["w"] as? [String: Any])?["data"] as? [String]
        XCTAssertEqual(w?.first, "0x1p-1")
        XCTAssertEqual(w?.last, "0x1.fp-1")  // 0.5 + 15/32
    }
}

final class ArtifactCommandTests: XCTestCase {
    func testVerifyAndTraceWriteSARIFAndJUnit() async throws {
        try await withTemporaryDirectory { dir in
            let sarif = dir.file("out.sarif").path
            let junit = dir.file("out.xml").path
            let pair = "Fixtures/json/log1p-naive"
            let run = await fpaudit([
                "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"),
                "--samples", "16", "--sarif", sarif, "--junit", junit, "--html", dir.file("r.html").path,
                "--quiet",
            ])
            XCTAssertEqual(run.code, 1)
            let html = try String(contentsOfFile: dir.file("r.html").path, encoding: .utf8)
            XCTAssert(html.contains("<svg") && html.contains("FAIL"), String(html.prefix(500)))
            XCTAssert(html.contains("Structural diff +") && html.contains("bits-histogram"), "diff and histogram shown")
            let log =
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarif))) as? [String: Any]
            XCTAssertEqual(log?["version"] as? String, "2.1.0")
            let results = ((log?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
            XCTAssertTrue(
                results.contains {
                    $0["ruleId"] as? String == "accuracy-regression" && $0["level"] as? String == "error"
                })
            let xml = try String(contentsOfFile: junit, encoding: .utf8)
            XCTAssert(xml.contains("<testsuites") && xml.contains("<failure"), xml)

            let trace = await fpaudit([
                "trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "16",
                "--sarif", sarif, "--junit", junit, "--quiet",
            ])
            XCTAssertEqual(trace.code, 1)
            let traceXML = try String(contentsOfFile: junit, encoding: .utf8)
            XCTAssert(traceXML.contains("bf16-activations"), traceXML)
        }
    }
}
