import FPTrace
import FPVerify
import Foundation
import XCTest
import _TestSupport

@testable import FPPolicy

/// Each shipped policy over every `Fixtures/json/*` pair (128 samples, seed 1).
///
/// Expected verdicts and why:
/// - default: the verdicts of the fixtures' `expect.json`.
/// - strict: judges pointwise, so warn becomes fail and so do rewrites the
///   default calls rounding noise: `reciprocal-multiply` (1-ulp double
///   rounding, 1 bit lost at some points) and `sum-pairwise-f64` (better on
///   average, 1 ulp worse at some points) exceed 0.5 bit; `log1p-restore`
///   loses nothing anywhere (an improvement), so it still passes; the exact
///   rewrites pass.
/// - ml-inference: `reciprocal-multiply` (f32) passes: its small systematic
///   loss is info there; `sum-pairwise-f64` passes as under the default (not
///   systematically worse). Every fail stays a fail.
final class ShippedPolicyGoldenTests: XCTestCase {
    static let expected: [String: (default: Verdict, strict: Verdict, ml: Verdict)] = [
        "bf16-dot": (.fail, .fail, .fail),
        "bf16-roundtrip": (.fail, .fail, .fail),
        "div-by-four": (.pass, .pass, .pass),
        "double-to-add": (.pass, .pass, .pass),
        "expm1-naive": (.fail, .fail, .fail),
        "gelu-wrong-constant": (.fail, .fail, .fail),
        "log1p-naive": (.fail, .fail, .fail),
        "log1p-restore": (.pass, .pass, .pass),
        "reciprocal-multiply": (.warn, .fail, .pass),
        "softmax-naive": (.fail, .fail, .fail),
        "sum-pairwise-exact": (.pass, .pass, .pass),
        "sum-pairwise-f64": (.pass, .fail, .pass),
        "transpose-roundtrip": (.pass, .pass, .pass),
        "variance-onepass": (.fail, .fail, .fail),
    ]

    func testShippedPoliciesOverFixtures() async throws {
        let policies = try ["default", "strict", "ml-inference"].map {
            try PolicyLoader.load(path: fixtureURL("Policies/\($0).yaml").path)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtureURL("json").path)
            .filter { FileManager.default.fileExists(atPath: fixtureURL("json/\($0)/expect.json").path) }.sorted()
        XCTAssertEqual(Set(names), Set(Self.expected.keys))
        for name in names {
            func subject(_ side: String) throws -> VerificationSubject {
                let url = fixtureURL("json/\(name)/\(side).json")
                return try VerificationSubject.read(
                    data: Data(contentsOf: url), path: "Fixtures/json/\(name)/\(side).json")
            }
            let verifier = try Verifier(
                original: subject("original"), rewritten: subject("rewritten"),
                config: VerificationConfig(samples: 128, seed: 1))
            let result = try await verifier.run()
            let want = Self.expected[name]!
            let got = policies.map { PolicyEvaluator(policy: $0).evaluate(result, graphName: name).verdict }
            XCTAssertEqual(got, [want.default, want.strict, want.ml], name)
            let builtin = PolicyEvaluator(policy: PolicyLoader.builtinDefault).evaluate(result, graphName: name).verdict
            XCTAssertEqual(got[0], builtin, "\(name): built-in default vs Policies/default.yaml")
        }
    }
}
