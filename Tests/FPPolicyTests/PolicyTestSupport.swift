import FPGraph
import Foundation
import XCTest

@testable import FPPolicy
@testable import FPVerify

/// Metrics of one output, with the figures policies usually judge.
func metrics(
    name: String = "y", dtype: DType = .f32, bitsLostMax: Double = 0, bitsLostMean: Double = 0,
    worseShare: Double = 0, semanticULPs: Double = 0, newNonfinite: Int = 0,
    originalBits: Summary = .empty, rewrittenBits: Summary = .empty,
    originalNonfinite: Int = 0, rewrittenNonfinite: Int = 0
) -> OutputMetrics {
    func side(_ bits: Summary, _ nonfinite: Int) -> SideMetrics {
        SideMetrics(
            bits: bits, ulps: Summary(max: 3, mean: 1, p50: 1, p95: 2, p99: 3), relativeMax: 1e-7,
            relativeMean: 2e-8, absoluteMax: 0.25, nonfinite: nonfinite)
    }
    return OutputMetrics(
        name: name, type: ArrayType(dtype, [4]), original: side(originalBits, originalNonfinite),
        rewritten: side(rewrittenBits, rewrittenNonfinite),
        bitsLost: BitsLost(max: bitsLostMax, mean: bitsLostMean, shareOfSamplesWorseThan1Bit: worseShare),
        newNonfinite: newNonfinite,
        semantic: SemanticDeviation(
            maxULPs: semanticULPs, samplesCompared: 100,
            samplesDiffering: semanticULPs > 0 ? 3 : 0),
        worst: nil)
}

/// Sample counts of a run.
func counts(measured: Int = 100, unstable: Int = 0, rewrittenUnstable: Int = 0, flips: Int = 0) -> SampleCounts {
    SampleCounts(
        requested: 100, measured: measured, referenceUnstable: unstable,
        rewrittenReferenceUnstable: rewrittenUnstable, branchFlips: flips, maxPrecisionUsed: 128)
}

/// A verification result over hand-made metrics.
func result(
    _ outputs: [OutputMetrics], samples: SampleCounts = counts(),
    rewrittenPath: String = "graphs/model.json", hash: String = "abcdef0123456789"
) -> VerificationResult {
    var r = VerificationResult(
        original: GraphIdentity(path: "graphs/original.json", fileSHA256: "00", canonicalHash: "1234"),
        rewritten: GraphIdentity(path: rewrittenPath, fileSHA256: "11", canonicalHash: hash),
        config: VerificationConfig(), parameters: [], distributions: [], outputs: outputs,
        samples: samples, hotspots: nil, findings: [], verdict: .pass, replay: false)
    PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&r)
    return r
}

/// Parses a require expression (file `<expr>`, line 1, column 1).
func expr(_ text: String) throws -> PolicyExpression {
    try PolicyExpression.parse(text, origin: PolicyLocation(file: "<expr>", line: 1, column: 1), keyPath: "require")
}

/// A minimal policy around one rule's `require`.
func policy(require: String, severity: String = "error", extra: String = "") throws -> Policy {
    try PolicyLoader.load(
        yaml: """
            name: t
            rules:
              - id: r
                severity: \(severity)
                require: "\(require)"
            \(extra)
            """, path: "t.yaml")
}

/// The error message loading `yaml` produces (fails the test when it loads).
func loadError(
    _ yaml: String, path: String = "policy.yaml", file: StaticString = #filePath,
    line: UInt = #line
) -> String? {
    do {
        _ = try PolicyLoader.load(yaml: yaml, path: path)
        XCTFail("expected the policy to be rejected", file: file, line: line)
        return nil
    } catch let error as PolicyError {
        return error.description
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return nil
    }
}

/// Midnight UTC of a `YYYY-MM-DD` day.
func day(_ text: String) -> Date {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return f.date(from: text)!
}
