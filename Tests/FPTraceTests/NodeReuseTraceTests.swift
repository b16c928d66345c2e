import FPFormats
import FPGraph
import FPTrace
import FPVerify
import XCTest
import _TestSupport

/// A trace's snapshots reuse the node values of the snapshot before them
/// (``FPVerify/SnapshotReuse``) and report exactly what a trace that
/// evaluates every node reports, on committed XLA pipelines, whole and
/// under element sampling.
final class NodeReuseTraceTests: XCTestCase {
    func trace(_ model: String, config: VerificationConfig, reuse: Bool) async throws -> TraceResult {
        let dir = try XLADumpDirectory(path: fixtureURL("Fixtures/xla/\(model)/dump").path)
        let (name, snapshots) = try dir.snapshots(module: nil)
        var runner = TraceRunner(config: config)
        runner.reusesNodes = reuse
        return await runner.run(module: name, snapshots: snapshots)
    }

    /// The step results with how the truth was decided left out: a reused
    /// ball may know two duplicate nodes hold one real where two runs did not,
    /// which can only decide more points, never change a figure.
    /// Each step's result as text (NaN figures compare equal as text, not as numbers).
    func figures(_ t: TraceResult) -> [String] {
        (t.steps + [t.endToEnd]).map { step in
            switch step.outcome {
            case .verified(var r):
                r.samples.truthPoints = nil
                return "\(r)"
            case .unchanged: return "unchanged"
            case .error(let message): return "error: \(message)"
            }
        }
    }

    func check(_ model: String, config: VerificationConfig) async throws -> Int {
        let reused = try await trace(model, config: config, reuse: true)
        let fresh = try await trace(model, config: config, reuse: false)
        XCTAssertEqual(fresh.nodeValuesReused, 0)
        let (a, b) = (figures(reused), figures(fresh))
        XCTAssertEqual(a.count, b.count, model)
        for (k, (x, y)) in zip(a, b).enumerated() where x != y {
            let at = zip(x, y).prefix { $0 == $1 }.count
            XCTFail("\(model) step \(k + 1) differs at: \(x.dropFirst(max(0, at - 200)).prefix(400))")
        }
        return reused.nodeValuesReused
    }

    /// Pipelines with fusions, loops, conditionals, random bits, sorts and
    /// bf16 (the flax LM and training-step traces, much longer in a debug
    /// build, are compared through the tiered and MPFR-only reports of
    /// `TieredTruthAgreementTests`, both of which reuse node values).
    func testXLAPipelinesReportTheSameWithNodeReuse() async throws {
        let models = [
            "cnn", "cond_abs", "dropout", "gelu_tanh", "layernorm", "mlp_bf16", "scan_cumsum", "softmax", "topk_sort",
            "transformer_block",
        ]
        var reused: [String: Int] = [:]
        for model in models {
            reused[model] = try await check(model, config: VerificationConfig(samples: 4))
        }
        XCTAssertGreaterThan(reused["transformer_block", default: 0], 0, "\(reused)")
        XCTAssertGreaterThan(reused.values.filter { $0 > 0 }.count, models.count / 2, "\(reused)")
    }

    /// Cut-down graphs (three elements per output) reuse each other's values too.
    func testElementSampledTracesReportTheSameWithNodeReuse() async throws {
        var config = VerificationConfig(samples: 4)
        config.elements = 3
        let reused = try await check("transformer_block", config: config)
        XCTAssertGreaterThan(reused, 0)
    }
}
