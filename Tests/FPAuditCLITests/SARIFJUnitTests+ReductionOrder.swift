import FPEval
import FPPolicy
import FPReport
import FPVerify
import Foundation
import XCTest
import _TestSupport

/// A changed reduction order in SARIF: the finding's hotspot carries its cause class.
extension SARIFJUnitTests {
    func splitSum(rewritten: Bool) throws -> VerificationSubject {
        try VerificationSubject.read(
            data: Data(SplitSumFixture.graph(rewritten: rewritten).utf8), path: rewritten ? "r.json" : "o.json")
    }

    func testSARIFNamesAChangedReductionOrder() async throws {
        // The first column 3/8·u, 1, 3/8·u absorbs both small terms; the original's row-major sum does not.
        var result = try await Verifier(
            original: splitSum(rewritten: false), rewritten: splitSum(rewritten: true),
            config: VerificationConfig(samples: 1, workers: 1)
        ).run(replay: SplitSumFixture.inputs)
        let policy = try PolicyLoader.load(
            yaml: """
                name: strict
                version: "1"
                rules:
                  - id: bits-lost
                    description: the rewrite loses any bits
                    severity: error
                    require: bits_lost.max <= 0
                """, path: "strict.yaml")
        PolicyEvaluator(policy: policy).judge(&result)
        XCTAssertEqual(result.verdict, .fail)
        let data = try SARIFReport.encode(result)
        let finding = try XCTUnwrap(results(try json(data)).first { $0["ruleId"] as? String == "bits-lost" })
        let properties = try XCTUnwrap(finding["properties"] as? [String: Any])
        XCTAssertEqual(properties["node"] as? String, "cols")
        XCTAssertEqual(properties["cause"] as? String, "reduction-order")
        let text = try XCTUnwrap((finding["message"] as? [String: Any])?["text"] as? String)
        XCTAssertTrue(text.contains("a sum the original computes (y, 6 terms) in a different order"), text)
        try validateSARIF(data)
    }
}
