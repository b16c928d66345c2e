import FPPolicy
import FPTrace
import FPVerify
import Foundation
import XCTest
import _TestSupport

final class TraceRunnerTests: XCTestCase {
    /// input → rename (same graph) → algsimp (x/4 → x*0.25, exact) → bf16 round trip (fails).
    func testTheAffineTraceNamesTheFailingPass() async throws {
        let steps = try TraceManifest.read(path: fixtureURL("Fixtures/trace/affine/trace.json").path)
        let runner = TraceRunner(config: VerificationConfig(samples: 128))
        var result = await runner.run(module: "affine", snapshots: steps)
        result.judge { r, pass in PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&r, pass: pass) }
        XCTAssertEqual(result.steps.count, 3)
        guard case .unchanged = result.steps[0].outcome else { return XCTFail("rename must be unchanged") }
        XCTAssertEqual(result.steps[1].verdict, .pass)
        if case .verified(let r) = result.steps[1].outcome {
            XCTAssertEqual(r.outputs[0].bitsLost.max, 0, "a multiply by 0.25 is exact")
            XCTAssertTrue(r.outputs[0].semantic.equivalent)
        }
        XCTAssertEqual(result.steps[2].verdict, .fail)
        XCTAssertEqual(result.firstFailure, 2)
        XCTAssertEqual(result.endToEnd.verdict, .fail)
        // The first snapshot's distributions are used throughout: x ~ uniform(-2,2), b ~ uniform(4,8),
        // so the bf16 round trip of x costs about 8 bits of x, well under 16 bits of y.
        if case .verified(let r) = result.steps[2].outcome {
            XCTAssertEqual(r.distributions.map(\.distribution), ["uniform(-2, 2)", "uniform(0.5, 1)", "uniform(4, 8)"])
            XCTAssertLessThan(r.outputs[0].bitsLost.max, 17)
        }
    }

    /// Fewer than two snapshots is an error step, never a crash; each file is read once and kept.
    func testOneSnapshotIsAnErrorStepAndFilesAreKept() async throws {
        let path = fixtureURL("Fixtures/trace/affine/step0-input.json").path
        let runner = TraceRunner(config: VerificationConfig(samples: 4))
        let one = await runner.run(module: "m", snapshots: [TraceSnapshot(pass: "input", path: path)])
        XCTAssertTrue(one.steps.isEmpty)
        guard case .error(let message) = one.endToEnd.outcome else { return XCTFail("expected an error step") }
        XCTAssertTrue(message.contains("at least two"), message)
        let none = await runner.run(module: "m", snapshots: [])
        guard case .error = none.endToEnd.outcome else { return XCTFail("expected an error step") }

        let loaded = LoadedSnapshots(
            [
                TraceSnapshot(pass: "a", path: path), TraceSnapshot(pass: "b", path: path),
                TraceSnapshot(pass: "c", path: "/nonexistent.json"),
            ])
        XCTAssertEqual(loaded.files.count, 1, "one read per distinct readable path")
        XCTAssertEqual(loaded.files[path], try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertNotNil(loaded.first)
        XCTAssertThrowsError(try loaded.subjects["/nonexistent.json"]?.get())
    }

    /// Progress counts the samples of the whole trace: the verified steps and the end-to-end pair.
    func testProgressCountsEverySampleOfTheTrace() async throws {
        let steps = try TraceManifest.read(path: fixtureURL("Fixtures/trace/affine/trace.json").path)
        let seen = ProgressLog()
        _ = await TraceRunner(config: VerificationConfig(samples: 20, workers: 2)).run(
            module: "affine", snapshots: steps
        ) {
            seen.append($0)
        }
        let events = seen.events
        // rename changes nothing; algsimp, bf16 and end-to-end run 20 samples each.
        XCTAssertTrue(events.allSatisfy { $0.samplesTotal == 60 && $0.steps == 4 })
        XCTAssertEqual(Set(events.map(\.step)), [1, 2, 3, 4])
        XCTAssertEqual(events.last?.samplesDone, 60)
        XCTAssertEqual(events.last?.pass, "end-to-end")
        XCTAssertEqual(events.filter { $0.step == 1 }.map(\.samplesDone), [0], "the unchanged step runs no samples")
        for step in 2...4 {
            let done = events.filter { $0.step == step }.map(\.samplesDone)
            XCTAssertEqual(done.first, (step - 2) * 20)
            XCTAssertEqual(done.max(), (step - 1) * 20)
        }
    }
}

/// Collects progress events from worker threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [TraceProgress] = []
    func append(_ p: TraceProgress) {
        lock.lock()
        list.append(p)
        lock.unlock()
    }
    var events: [TraceProgress] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
