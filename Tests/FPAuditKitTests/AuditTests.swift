import FPAuditKit
import Foundation
import XCTest
import _TestSupport

/// The library pipeline: ``Audit`` measures, judges and drafts log entries
/// as the command line does, from subjects that carry their own bytes.
final class AuditTests: XCTestCase {
    func subject(_ path: String) throws -> VerificationSubject {
        try VerificationSubject.read(path: fixtureURL(path).path)
    }

    func testVerifyJudgesUnderThePolicyAndDraftsAReplayableEntry() async throws {
        var options = AuditOptions()
        options.settings.samples = 64
        options.pass = "algsimp"
        let session = AuditSession(context: RunContext.capture(environment: [:], arguments: ["test"]))
        let audit = Audit(policy: PolicyLoader.builtinDefault, options: options, session: session)
        let a = try subject("Fixtures/json/reciprocal-multiply/original.json")
        let b = try subject("Fixtures/json/reciprocal-multiply/rewritten.json")
        let pair = try await audit.verify(original: a, rewritten: b)
        XCTAssertEqual(pair.result.policy?.name, PolicyLoader.builtinDefault.name, "judged")
        XCTAssertEqual(pair.result.verdict, .warn)
        XCTAssertFalse(pair.result.checks.isEmpty)
        let draft = try XCTUnwrap(pair.draft)
        XCTAssertEqual(draft.record.command, .verify)
        XCTAssertEqual(draft.record.pass, "algsimp")
        XCTAssertEqual(draft.record.verdict, .warn)
        XCTAssertEqual(draft.record.config.verification.samples, 64)
        XCTAssertEqual(draft.record.outputs.map(\.name), pair.result.outputs.map(\.name))
        XCTAssertNil(draft.record.outputs[0].worst?.inputs, "the worst inputs stay in the stored report")
        XCTAssertNotNil(pair.result.outputs[0].worst?.inputs)
        // The graph blobs are the bytes that were verified, not a second read of the files.
        let graphBlobs = draft.blobs.filter { $0.kind == .graph }.map(\.data)
        XCTAssertEqual(graphBlobs, [a.bytes, b.bytes].compactMap { $0 })
        let report = try XCTUnwrap(draft.blobs.first { $0.kind == .report })
        XCTAssertEqual(report.data, try ReportJSON.encode(pair.result))
    }

    func testWithoutASessionThereIsNoDraft() async throws {
        var options = AuditOptions()
        options.settings.samples = 8
        let pair = try await Audit(policy: PolicyLoader.builtinDefault, options: options).verify(
            original: try subject("Fixtures/json/div-by-four/original.json"),
            rewritten: try subject("Fixtures/json/div-by-four/rewritten.json"))
        XCTAssertNil(pair.draft)
        XCTAssertEqual(pair.result.samples.requested, 8)
    }

    func testOptionsWinOverThePolicyWhichWinsOverTheDefaults() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                name: p
                version: 1
                settings:
                  samples: 77
                  precision: 256
                  exec: double
                inputs:
                  x: uniform(1, 2)
                rules: []
                """, path: "p.yaml")
        let parameters = try subject("Fixtures/json/reciprocal-multiply/original.json").graph.parameters
        let fromPolicy = try Audit(policy: policy).configuration(parameters: parameters)
        XCTAssertEqual(fromPolicy.samples, 77)
        XCTAssertEqual(fromPolicy.fixedPrecision, 256)
        XCTAssertEqual(fromPolicy.exec, .double)
        XCTAssertEqual(fromPolicy.inputs["x"]?.description, "uniform(1, 2)")
        var options = AuditOptions()
        options.settings.samples = 5
        options.settings.precision = .auto
        options.inputs = ["x": try Distribution.parse("normal(0, 1)")]
        let overridden = try Audit(policy: policy, options: options).configuration(parameters: parameters)
        XCTAssertEqual(overridden.samples, 5)
        XCTAssertNil(overridden.fixedPrecision, "an explicit auto wins over the policy's fixed precision")
        XCTAssertEqual(overridden.exec, .double, "unset options keep the policy's")
        XCTAssertEqual(overridden.inputs["x"]?.description, "normal(0, 1)")
    }

    func testPolicyDataFilesAreReadOnceAndBecomeFixedInputsAndBlobs() async throws {
        let policy = try PolicyLoader.load(path: fixtureURL("Fixtures/policy/fixed-weights.yaml").path)
        let rule = try XCTUnwrap(policy.inputs.first { $0.dataFile != nil })
        XCTAssertNotNil(rule.dataBytes, "the loader keeps the bytes it hashed")
        var options = AuditOptions()
        options.settings.samples = 4
        let session = AuditSession(context: RunContext.capture(environment: [:], arguments: []))
        let pair = try await Audit(policy: policy, options: options, session: session).verify(
            original: try subject("Fixtures/json/bf16-roundtrip/original.json"),
            rewritten: try subject("Fixtures/json/bf16-roundtrip/rewritten.json"))
        let draft = try XCTUnwrap(pair.draft)
        XCTAssertEqual(draft.record.config.fixed["w"]?.description, "data(w.npy)")
        XCTAssertEqual(draft.blobs.filter { $0.kind == .data }.map(\.data), [rule.dataBytes!])
        XCTAssertEqual(pair.result.distributions.first { $0.parameter == "w" }?.distribution, "data(w.npy)")
    }

    func testTraceDraftsOneEntryPerStepAndTheEndToEndPair() async throws {
        var options = AuditOptions()
        options.settings.samples = 8
        let session = AuditSession(context: RunContext.capture(environment: [:], arguments: []))
        let manifest = fixtureURL("Fixtures/trace/affine/trace.json").path
        let (name, snapshots) = try TraceSource.snapshots(manifest, module: nil)
        let traced = try await Audit(policy: PolicyLoader.builtinDefault, options: options, session: session)
            .trace(module: name, snapshots: snapshots)
        XCTAssertEqual(traced.drafts.count, snapshots.count)
        XCTAssertEqual(traced.drafts.map(\.record.trace?.kind), [.step, .step, .step, .endToEnd])
        XCTAssertEqual(traced.drafts[0].record.verdict, .unchanged)
        XCTAssertTrue(traced.failed)
        XCTAssertFalse(traced.undecided)
        XCTAssertEqual(Set(traced.drafts.map(\.record.run)).count, 1, "one run id for the invocation")
    }

    func testATraceNeedsTwoSnapshots() async throws {
        let one = [TraceSnapshot(pass: "input", path: fixtureURL("Fixtures/trace/affine/step0-input.json").path)]
        do {
            _ = try await Audit(policy: PolicyLoader.builtinDefault).trace(module: "m", snapshots: one)
            XCTFail("expected an error")
        } catch let error as TraceError {
            XCTAssertEqual(error, .tooFewSnapshots(module: "m", count: 1))
            XCTAssertEqual(error.exitCode, 2)
        }
    }
}
