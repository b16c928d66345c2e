import FPAuditKit
import Foundation
import XCTest
import _TestSupport

/// ``Audit/reduce(original:rewritten:judged:)``: the failing rule, judged on replayed candidates.
final class AuditReduceTests: XCTestCase {
    func subject(_ path: String) throws -> VerificationSubject {
        try VerificationSubject.read(path: fixtureURL(path).path)
    }

    func strict() throws -> Policy { try PolicyLoader.load(path: fixtureURL("Policies/strict.yaml").path) }

    func testReducesUnderThePolicyAndReplaysTheSameRule() async throws {
        var options = AuditOptions()
        options.settings.samples = 64
        let audit = Audit(policy: try strict(), options: options)
        let reduction = try await audit.reduce(
            original: try subject("Fixtures/json/reciprocal-multiply/original.json"),
            rewritten: try subject("Fixtures/json/reciprocal-multiply/rewritten.json"))
        XCTAssertEqual(reduction.rule, "bits-lost")
        XCTAssertEqual(reduction.output, "z")
        XCTAssertEqual(reduction.result.verdict, .fail)
        XCTAssertTrue(reduction.result.replay)
        XCTAssertEqual(reduction.finding.rule, "bits-lost")
        XCTAssertGreaterThan(try XCTUnwrap(reduction.finding.value), 0.5)
        XCTAssertEqual(reduction.pair.inputs.names, ["x", "y"])
        XCTAssertEqual(reduction.fullNodeCount, reduction.pair.nodeCount, "nothing to cut in x / y")
    }

    func testAPassingPairIsRefused() async throws {
        var options = AuditOptions()
        options.settings.samples = 16
        let audit = Audit(policy: PolicyLoader.builtinDefault, options: options)
        do {
            _ = try await audit.reduce(
                original: try subject("Fixtures/json/log1p-naive/original.json"),
                rewritten: try subject("Fixtures/json/log1p-naive/original.json"))
            XCTFail("expected notFailing")
        } catch let error as ReduceError {
            XCTAssertEqual(error, .notFailing(verdict: "pass", policy: "default"))
            XCTAssertEqual(error.exitCode, 2)
        }
    }
}
