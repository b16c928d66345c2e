import FPEval
import FPFormats
import FPGraph
import FPNumerics
import FPVerify
import Foundation
import XCTest
import _TestSupport

/// The flax classifier with REAL weights (Fixtures/xla/trained_classifier: 400 Adam steps,
/// saved with safetensors) on its recorded inputs: every weight binds by its pytree path with
/// no mapping file, the declared evaluator reproduces XLA CPU's outputs, and the MPFR truth
/// JAX's float64 run.
final class TrainedClassifierAgreementTests: XCTestCase {
    let dir = fixtureURL("xla/trained_classifier")

    func snapshot(_ suffix: String) throws -> Graph {
        let dump = dir.appendingPathComponent("dump")
        let file = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: dump.path).first { $0.hasSuffix(suffix) })
        return try GraphFile.read(contentsOf: dump.appendingPathComponent(file)).graph
    }

    /// The inputs of every recorded sample, in the graph's parameter order.
    func boundInputs(_ g: Graph) throws -> [[Tensor.Elements]] {
        let weights = try CheckpointBinding.bind(
            [try Checkpoint.read(path: dir.appendingPathComponent("weights.safetensors").path)], to: g.parameters)
        XCTAssertEqual(weights.bound.count, 8, "every weight binds by path")
        XCTAssertEqual(weights.unusedTensors.count, 0)
        let recorded = try RecordedInputs.read(path: dir.appendingPathComponent("inputs.npz").path).bind(
            to: g.parameters)
        XCTAssertEqual(recorded.bound.map(\.array), ["x"])
        XCTAssertEqual(Set(weights.unboundParameters), Set(recorded.bound.map(\.parameter)))
        let samples = try XCTUnwrap(recorded.rows.values.first?.count)
        return (0..<samples).map { s in
            g.parameters.map { p in
                weights.bound.first { $0.index == p.index }?.value.elements ?? recorded.rows[p.index]![s]
            }
        }
    }

    func expected(_ file: String) throws -> [Double] {
        let y = try Checkpoint.read(path: dir.appendingPathComponent("outputs/\(file)").path).tensor(named: "y")
        guard case .floats(let values) = y.elements else { throw XCTSkip("not floats") }
        return values
    }

    /// XLA CPU computes log_softmax's sum of exponentials and the three dots in its own order
    /// and with its own exp/log; the outputs near 0 (confident predictions) are where a ULP
    /// bound means nothing, so the bound is normwise (measured 2.9e-7 on both modules).
    func testDeclaredEvaluatorReproducesXLA() throws {
        let want = try expected("xla.npz")
        for suffix in [".before_optimizations.txt", ".cpu_after_optimizations.txt"] {
            let g = try snapshot(suffix)
            let interpreter = Interpreter(graph: g, domain: IEEEDomain(mode: .declared, subnormals: .flush))
            let samples = try boundInputs(g)
            let perSample = g.outputs[0].type.elementCount
            var difference = 0.0
            var largest = 0.0
            for (s, inputs) in samples.enumerated() {
                try interpreter.run(inputs)
                for e in 0..<perSample {
                    let w = want[s * perSample + e]
                    difference = max(difference, abs(FloatFormat.f32.round(interpreter.outputDouble(0, e)) - w))
                    largest = max(largest, abs(w))
                }
            }
            print("declared vs XLA, trained_classifier \(suffix): normwise \(difference / largest)")
            XCTAssertLessThanOrEqual(difference / largest, 0x1p-20, suffix)
        }
    }

    /// The MPFR truth of the float64 module, with the f32 weights and inputs converted exactly,
    /// against JAX's float64 run, where our binary64 evaluation is within 4 f64 ulps of the truth.
    func testMPFRTruthAgreesWithJAXFloat64() throws {
        let reference = dir.appendingPathComponent("reference_f64/predict_f64.hlo.txt")
        let g = try GraphFile.read(contentsOf: reference).graph
        let truth = AdaptiveTruth(
            graph: g, plan: GraphPlan(graph: g), startPrecision: 128, maxPrecision: 4096, fixedPrecision: nil)
        let double = Interpreter(graph: g, domain: IEEEDomain(mode: .double))
        let want = try expected("f64.npz")
        let perSample = g.outputs[0].type.elementCount
        var worst = 0.0
        var checked = 0
        let samples = try boundInputs(g)
        for (s, inputs) in samples.enumerated() {
            try double.run(inputs)
            guard case .stable = try truth.evaluate(inputs), let t = truth.accepted else {
                return XCTFail("truth unstable at sample \(s)")
            }
            for e in 0..<perSample {
                let exact = t.output(0, e, roundedTo: .f64)
                guard FloatFormat.f64.ulpDistance(double.outputDouble(0, e), exact) <= 4 else { continue }
                checked += 1
                worst = max(worst, FloatFormat.f64.ulpDistance(exact, want[s * perSample + e]))
            }
        }
        print(
            "MPFR truth vs JAX f64, trained_classifier: \(worst) f64 ulps at \(checked) of \(samples.count * perSample)"
        )
        XCTAssertGreaterThanOrEqual(checked, samples.count * perSample / 2)
        XCTAssertLessThanOrEqual(worst, 64)
    }
}
