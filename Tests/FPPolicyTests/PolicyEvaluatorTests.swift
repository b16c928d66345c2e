import FPGraph
import XCTest

@testable import FPPolicy
@testable import FPVerify

final class PolicyEvaluatorTests: XCTestCase {
    private let waived = """
        waivers:
          - rule: r
            match: {output: "y*"}
            reason: known cancellation
            approved_by: ALICE
            expires: 2026-06-30
        """

    func testFindingsCarryValueThresholdAndMessage() throws {
        let p = try policy(require: "bits_lost.max <= 2")
        let outcome = PolicyEvaluator(policy: p).run(
            result([metrics(bitsLostMax: 3), metrics(name: "z", bitsLostMax: 1)]))
        XCTAssertEqual(outcome.checks.map(\.held), [false, true])
        XCTAssertEqual(outcome.checks[1].value, 1)
        XCTAssertEqual(
            outcome.findings,
            [
                Finding(
                    rule: "r", severity: .error, output: "y",
                    message: "r: requires bits_lost.max <= 2 (measured 3, needs <= 2)", value: 3, threshold: 2)
            ])
        XCTAssertEqual(outcome.verdict, .fail)
    }

    func testWaiverAppliesUntilItsExpiryDay() throws {
        let p = try policy(require: "bits_lost.max <= 2", extra: waived)
        let r = result([metrics(bitsLostMax: 3)])
        let before = PolicyEvaluator(policy: p, today: day("2026-06-30")).evaluate(r)
        XCTAssertEqual(before.verdict, .pass)
        XCTAssertEqual(before.findings.count, 1)
        XCTAssertEqual(before.findings[0].waiver, "waived by ALICE until 2026-06-30: known cancellation")

        let after = PolicyEvaluator(policy: p, today: day("2026-07-01")).run(r)
        XCTAssertEqual(after.verdict, .fail)
        XCTAssertNil(after.findings[0].waiver)
        XCTAssertEqual(after.expiredWaivers.first?.waiver.approvedBy, "ALICE")
        XCTAssertEqual(
            after.findings[1],
            Finding(
                rule: "waiver-expired", severity: .info, output: "y",
                message: "waiver for rule r (approved by ALICE: known cancellation) expired on 2026-06-30"))
    }

    func testWaiverScopeByOutputPassAndGraph() throws {
        let p = try policy(
            require: "bits_lost.max <= 2",
            extra: """
                waivers:
                  - {rule: r, match: {output: y, pass: "fusion*", graph: abcdef}, reason: x, approved_by: B, expires: 2099-01-01}
                """)
        let e = PolicyEvaluator(policy: p, today: day("2026-01-01"))
        let r = result([metrics(bitsLostMax: 3), metrics(name: "z", bitsLostMax: 3)])
        XCTAssertEqual(e.evaluate(r, pass: "fusion.1").findings.map { $0.waiver != nil }, [true, false])
        XCTAssertEqual(e.evaluate(r, pass: "layout").findings.map { $0.waiver != nil }, [false, false])
        XCTAssertEqual(e.evaluate(r).findings.map { $0.waiver != nil }, [false, false])  // no pass given
        let other = result([metrics(bitsLostMax: 3)], hash: "99ff")
        XCTAssertEqual(e.evaluate(other, pass: "fusion").findings.map { $0.waiver != nil }, [false])
    }

    func testRuleScopes() throws {
        let p = try PolicyLoader.load(
            yaml: """
                name: s
                rules:
                  - {id: norm, severity: error, scope: {outputs: "*norm*"}, require: bits_lost.max <= 1}
                  - {id: low, severity: warning, scope: {dtypes: [bf16]}, require: bits_lost.max <= 1}
                  - {id: pass, severity: error, scope: {passes: "fus*"}, require: bits_lost.max <= 1}
                  - {id: graph, severity: error, scope: {graphs: ["*/model.json"]}, require: bits_lost.max <= 1}
                  - {id: hash, severity: error, scope: {graphs: abcdef01}, require: bits_lost.max <= 1}
                  - {id: run, severity: warning, require: samples.measured > 1000}
                """, path: "s.yaml")
        let r = result([metrics(name: "layer_norm", bitsLostMax: 2), metrics(name: "h", dtype: .bf16, bitsLostMax: 2)])
        let e = PolicyEvaluator(policy: p)
        let plain = e.run(r).checks.map { "\($0.rule)/\($0.output ?? "-")" }
        XCTAssertEqual(
            plain, ["norm/layer_norm", "low/h", "graph/layer_norm", "graph/h", "hash/layer_norm", "hash/h", "run/-"])
        let traced = e.run(r, pass: "fusion", graphName: "other").checks.map { "\($0.rule)/\($0.output ?? "-")" }
        XCTAssertEqual(
            traced, ["norm/layer_norm", "low/h", "pass/layer_norm", "pass/h", "hash/layer_norm", "hash/h", "run/-"])
    }

    func testVerdictAndFailOn() {
        func f(_ s: Severity, waived: Bool = false) -> Finding {
            Finding(rule: "r", severity: s, output: nil, message: "", waiver: waived ? "w" : nil)
        }
        XCTAssertEqual(PolicyEvaluator.verdict([]), .pass)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.info)]), .pass)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.info), f(.warning)]), .warn)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.warning), f(.error)]), .fail)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.warning), f(.error, waived: true)]), .warn)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.warning)], failOn: .warning), .fail)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.warning, waived: true)], failOn: .warning), .pass)
        XCTAssertEqual(PolicyEvaluator.verdict([f(.info)], failOn: .warning), .pass)
    }
}
