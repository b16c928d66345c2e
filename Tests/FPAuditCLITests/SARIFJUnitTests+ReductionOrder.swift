import FPEval
import FPPolicy
import FPReport
import FPVerify
import Foundation
import XCTest

/// A changed reduction order in SARIF: the finding's hotspot carries its cause class.
extension SARIFJUnitTests {
    /// A sum of x[3, 2] over both dimensions (original), or of its columns and then their sum (rewritten).
    func splitSum(rewritten: Bool) throws -> VerificationSubject {
        let sums =
            rewritten
            ? """
            {"name": "cols", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0], "reducer": "add"},
            {"name": "y", "op": "reduce", "operands": ["cols", "zero"], "dimensions": [0], "reducer": "add"}
            """
            : """
            {"name": "y", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0, 1], "reducer": "add"}
            """
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [3, 2]}],
             "nodes": [{"name": "zero", "op": "constant", "dtype": "f32", "value": 0}, \(sums)],
             "outputs": ["y"]}
            """
        return try VerificationSubject.read(data: Data(json.utf8), path: rewritten ? "r.json" : "o.json")
    }

    func testSARIFNamesAChangedReductionOrder() async throws {
        // The first column 3/8·u, 1, 3/8·u absorbs both small terms; the original's row-major sum does not.
        let u = 0x1p-23
        var result = try await Verifier(
            original: splitSum(rewritten: false), rewritten: splitSum(rewritten: true),
            config: VerificationConfig(samples: 1, workers: 1)
        ).run(replay: [.floats([0.375 * u, 0.375 * u, 1, 0, 0.375 * u, 0])])
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
