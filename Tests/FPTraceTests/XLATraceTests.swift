import FPFormats
import FPGraph
import FPPolicy
import FPTrace
import FPVerify
import XCTest
import _TestSupport

/// `trace` over every committed XLA dump: every snapshot loads, every changed
/// step is verified, and the passes that change arithmetic are named.
final class XLATraceTests: XCTestCase {
    func trace(_ model: String, samples: Int = 16) async throws -> TraceResult {
        let dir = try XLADumpDirectory(path: fixtureURL("Fixtures/xla/\(model)/dump").path)
        let (name, snapshots) = try dir.snapshots(module: nil)
        var result = await TraceRunner(config: VerificationConfig(samples: samples)).run(
            module: name, snapshots: snapshots)
        result.judge { r, pass in PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&r, pass: pass) }
        return result
    }

    func testEveryFixtureTraceRunsWithoutErrors() async throws {
        let models = try FileManager.default.contentsOfDirectory(atPath: fixtureURL("Fixtures/xla").path).sorted()
            .filter { FileManager.default.fileExists(atPath: fixtureURL("Fixtures/xla/\($0)/dump").path) }
        XCTAssertGreaterThanOrEqual(models.count, 8)
        // Real-size models are benchmark targets (BENCHMARKS.md), far too big for a debug-build test
        // (layer_768: 9.4e8 element operations per evaluation); every other model is traced.
        var skipped: [String] = []
        for model in models {
            let dump = fixtureURL("Fixtures/xla/\(model)/dump")
            let first = try XCTUnwrap(
                try FileManager.default.contentsOfDirectory(atPath: dump.path).first {
                    $0.hasSuffix(".before_optimizations.txt")
                })
            let graph = try GraphFile.read(contentsOf: dump.appendingPathComponent(first)).graph
            if graph.evaluationWork.elementOps > 1e8 {
                skipped.append(model)
                continue
            }
            // The flax LM traces verify 17 and 25 changed steps of a whole model (its training step's
            // gradients): 2 samples each keep this test to a minute in a debug build (see BENCHMARKS.md).
            let t = try await trace(model, samples: model.hasPrefix("lm_") ? 2 : 16)
            for s in t.steps + [t.endToEnd] {
                if case .error(let message) = s.outcome { XCTFail("\(model) \(s.pass): \(message)") }
            }
            XCTAssertTrue(t.steps.contains { $0.verdict != nil }, "\(model): some pass must change the graph")
        }
        XCTAssertEqual(skipped, ["layer_768"])
    }

    /// algsimp turns x / 16 into x * 0.0625: exact, so zero bits lost; it keeps x / y as a divide.
    func testAlgsimpRewritesTheDivideBySixteenExactly() async throws {
        let t = try await trace("divide_by_16", samples: 64)
        let algsimp = try XCTUnwrap(t.steps.first { $0.pass == "simplification/algsimp" && $0.verdict != nil })
        guard case .verified(let r) = algsimp.outcome else { return XCTFail("not verified") }
        XCTAssertEqual(r.verdict, .pass)
        XCTAssertTrue(r.outputs.allSatisfy { $0.bitsLost.max == 0 && $0.semantic.maxULPs == 0 })
        let diff = try XCTUnwrap(algsimp.diff)
        XCTAssertTrue(diff.removed.contains { $0.op == "divide" } || diff.changed.contains { $0.from.op == "divide" })
        XCTAssertTrue(diff.added.contains { $0.op == "multiply" } || diff.changed.contains { $0.to.op == "multiply" })
    }

    /// In softmax, algsimp turns exp / broadcast(sum) into exp * broadcast(1 / sum):
    /// the same real function, rounded twice.
    func testAlgsimpReciprocalInSoftmaxIsNamedAndKeepsTheRealFunction() async throws {
        let t = try await trace("softmax", samples: 128)
        let changed = t.steps.filter { $0.verdict != nil }
        XCTAssertTrue(changed.contains { $0.pass == "simplification/algsimp" }, changed.map(\.pass).description)
        for s in changed {
            guard case .verified(let r) = s.outcome else { continue }
            XCTAssertTrue(r.outputs.allSatisfy { $0.semantic.maxULPs <= 1 }, "\(s.pass) changed the real function")
        }
    }
}
