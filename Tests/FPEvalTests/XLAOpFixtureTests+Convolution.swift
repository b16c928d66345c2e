import FPEval
import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest
import _TestSupport

/// The `conv_*` and `flax_conv*` cases of `Fixtures/ops`: XLA `convolution`
/// in every layout, padding, dilation and grouping JAX produces, against XLA
/// CPU and against an f64 JAX run.
extension XLAOpFixtureTests {
    func hasConvolution(_ graph: Graph) -> Bool {
        graph.computations.values.contains { c in
            c.nodes.contains { if case .convolution = $0.operation { true } else { false } }
        }
    }

    /// Per convolution case, the largest normwise difference from XLA CPU of
    /// the declared evaluator (flushing, as XLA CPU does): max |ours - XLA| over
    /// an output, divided by max |XLA| over that output; 0 when bit for bit.
    func convolutionDifferences(order: ReductionOrder) throws -> [String: Double] {
        var worst: [String: Double] = [:]
        for c in try cases() where hasConvolution(c.graph) {
            let interpreter = Interpreter(
                graph: c.graph, plan: GraphPlan(graph: c.graph),
                domain: IEEEDomain(mode: .declared, subnormals: .flush),
                reductionOrder: order)
            try interpreter.run(c.inputs)
            var difference = 0.0
            for (k, (mine, want)) in zip(interpreter.outputValues(), c.expected).enumerated() {
                switch (mine, want.elements) {
                case (.floats(let x), .floats(let y)):
                    let scale = y.map(abs).max() ?? 0
                    for (a, b) in zip(x, y) where !same(a, b) { difference = max(difference, abs(a - b) / scale) }
                case (.integers(let x), .integers(let y)):
                    XCTAssertEqual(x, y, "\(c.name) output \(k)")
                default:
                    XCTFail("\(c.name) output \(k): float and integer disagree")
                }
            }
            worst[c.name] = difference
        }
        return worst
    }

    /// XLA CPU fuses each f32 product into its running sum (see the next
    /// test), and for some convolutions sums in another order: f32 results
    /// differ by a few ulps of the output's largest element (an element that
    /// cancels can be many of its own ulps off), so they are compared
    /// normwise within 2^-20 (about 8 ulps of the largest element; the
    /// largest sum here has 288 products). XLA CPU computes f16 and bf16
    /// convolutions in f32 and rounds once, as our `dot` rule does: those
    /// cases, and the exact s32 one, agree bit for bit in either order (the
    /// f32 sums differ, but by less than the final rounding here; not a
    /// guarantee in general). With an f32 result (preferred_element_type) the
    /// f32 sum is visible and normwise close.
    func testConvolutionsAgainstXLACPU() throws {
        let sequential = try convolutionDifferences(order: .sequential)
        XCTAssertGreaterThanOrEqual(sequential.count, 20)
        let pairwise = try convolutionDifferences(order: .pairwise)
        let all = try cases()
        for (name, difference) in sequential {
            // flax_conv_grad also takes tanh, from libm here and XLA's own approximation there.
            let graph = try XCTUnwrap(all.first { $0.name == name }).graph
            let tolerance = usesTranscendentals(graph) ? 0x1p-16 : 0x1p-20
            XCTAssertLessThanOrEqual(difference, tolerance, name)
            XCTAssertLessThanOrEqual(pairwise[name] ?? .infinity, tolerance, name)
        }
        for name in ["conv_bf16", "conv_f16", "conv_s32"] {
            XCTAssertEqual(sequential[name], 0, name)
            XCTAssertEqual(pairwise[name], 0, name)
        }
    }

    /// What XLA CPU (jaxlib 0.10.2) does for f32: on ten of the twelve f32
    /// single-convolution cases, a sequential sum in exactly our term order with
    /// each product fused into the running sum (`acc = fma(l, r, acc)` in
    /// f32). fpaudit does not model fused multiply-adds (it rounds each
    /// product, like its `dot`), so this test computes that model itself from
    /// our term positions: it pins both XLA's order and our index mapping, bit
    /// for bit, in every layout, padding, dilation and grouping.
    func testXLACPUSumsSmallF32ConvolutionsWithFusedMultiplyAddsInOurOrder() throws {
        var matched: [String] = []
        for c in try cases() {
            let nodes = c.graph.entry.nodes
            guard nodes.count == 3, case .convolution(let a) = nodes[c.graph.entry.root].operation,
                let lhs = nodes[0].type.arrayType, let rhs = nodes[1].type.arrayType, lhs.dtype == .f32,
                let out = nodes[2].type.arrayType, out.dtype == .f32,
                case .floats(let x) = c.inputs[0], case .floats(let w) = c.inputs[1],
                case .floats(let want) = c.expected[0].elements
            else { continue }
            let terms = a.terms(lhs: lhs, rhs: rhs, result: out.dimensions)
            var same = true
            for o in terms.outputs.indices {
                var acc: Float = 0
                terms.forEachTerm(of: o) { _, l, r in
                    if l >= 0 { acc = acc.addingProduct(Float(x[l]), Float(w[r])) }
                }
                if Double(acc).bitPattern != want[o].bitPattern { same = false }
            }
            if same { matched.append(c.name) }
        }
        // conv_transpose_f32 and conv_wide_f32 take another route in XLA CPU (a blocked
        // contraction, apparently Eigen's): a different order, not reproduced here.
        XCTAssertEqual(
            matched,
            [
                "conv_0d_f32", "conv_1d_valid_f32", "conv_3d_f32", "conv_batch_group_f32", "conv_depthwise_f32",
                "conv_dilated_f32", "conv_grouped_nchw_f32", "conv_nchw_oihw_same_f32", "conv_negative_padding_f32",
                "conv_nhwc_hwio_f32",
            ])
    }

    /// The MPFR truth (the exact sums of products, rounded to f64) is what
    /// JAX computes in f64 on the same input values, within f64 rounding of
    /// the sums (normwise 2^-40) in every case, grads and flax included.
    func testTheConvolutionTruthIsNearAnF64JAXRun() throws {
        let root = fixtureURL("Fixtures/ops")
        var checked = 0
        for c in try cases() where hasConvolution(c.graph) {
            let url = root.appendingPathComponent("\(c.name)/reference_f64.json")
            let reference = try ValuesJSON.read(contentsOf: url).map(\.value)
            let truth = Interpreter(graph: c.graph, domain: MPFRDomain(precision: 256))
            try truth.run(c.inputs)
            XCTAssertEqual(reference.count, c.expected.count, c.name)
            for (k, want) in reference.enumerated() {
                guard case .floats(let y) = want.elements else { continue }
                let scale = y.map(abs).max() ?? 0
                for (e, b) in y.enumerated() {
                    let a = truth.outputDouble(k, e)
                    XCTAssertLessThanOrEqual(
                        abs(a - b), 0x1p-40 * scale, "\(c.name) output \(k)[\(e)]: truth \(a), f64 \(b)")
                }
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 20)
    }
}
