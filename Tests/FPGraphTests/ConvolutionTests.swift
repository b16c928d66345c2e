import FPGraph
import XCTest
import _TestSupport

/// `dim_labels`, the type rule and the index mapping of `convolution`, on
/// hand-made cases; the evaluators are checked against XLA in FPEvalTests.
final class ConvolutionTests: XCTestCase {
    func labels(_ text: String) throws -> ConvolutionDimensions { try ConvolutionDimensions.parse(labels: text).get() }

    func problem(_ text: String) -> String {
        if case .failure(let e) = ConvolutionDimensions.parse(labels: text) { return e.message }
        return "accepted"
    }

    func testDimLabelsInEveryLayout() throws {
        let nhwc = try labels("b01f_01io->b01f")
        XCTAssertEqual([nhwc.inputBatch, nhwc.inputFeature], [0, 3])
        XCTAssertEqual(nhwc.inputSpatial, [1, 2])
        XCTAssertEqual([nhwc.kernelInputFeature, nhwc.kernelOutputFeature], [2, 3])
        XCTAssertEqual(nhwc.kernelSpatial, [0, 1])
        let nchw = try labels("bf01_oi01->bf01")
        XCTAssertEqual(
            [nchw.inputBatch, nchw.inputFeature, nchw.kernelInputFeature, nchw.kernelOutputFeature], [0, 1, 1, 0])
        // What jax.grad emits for a kernel gradient: the batch is the contracted "feature".
        let grad = try labels("f01b_i01o->01bf")
        XCTAssertEqual([grad.inputBatch, grad.inputFeature, grad.outputBatch, grad.outputFeature], [3, 0, 2, 3])
        XCTAssertEqual(grad.outputSpatial, [0, 1])
        // Spatial digits out of order: spatial dimension 0 is the lhs's dimension 2.
        let swapped = try labels("b10f_10io->bf10")
        XCTAssertEqual(swapped.inputSpatial, [2, 1])
        XCTAssertEqual(swapped.outputSpatial, [3, 2])
        XCTAssertEqual(try labels("bf_io->bf").spatialRank, 0)
        XCTAssertEqual(try labels("b012f_012io->b012f").spatialRank, 3)
        for text in [
            "b01f_01io->b01f", "bf01_oi01->bf01", "f01b_i01o->01bf", "b10f_10io->bf10", "bf_io->bf", "b0f_0io->b0f",
        ] {
            XCTAssertEqual(try labels(text).labels, text)
        }
    }

    func testBadDimLabelsSayWhy() {
        XCTAssertTrue(problem("b01f_01io").contains("must have the form lhs_rhs->out"), problem("b01f_01io"))
        XCTAssertTrue(problem("b01f01io->b01f").contains("must have the form"))
        XCTAssertTrue(problem("b01f_01io->b0f").contains("same length"), problem("b01f_01io->b0f"))
        XCTAssertTrue(
            problem("b00f_01io->b01f").contains("lhs labels 'b00f' have '0' where"), problem("b00f_01io->b01f"))
        XCTAssertTrue(problem("b01f_01ix->b01f").contains("rhs labels '01ix' have 'x'"), problem("b01f_01ix->b01f"))
        XCTAssertTrue(problem("b02f_01io->b01f").contains("have '2' where"), problem("b02f_01io->b01f"))
        XCTAssertTrue(problem("b_i->b").contains("same length, at least 2"), problem("b_i->b"))
        XCTAssertTrue(problem("bb_io->bf").contains("have 'b' where"), problem("bb_io->bf"))
    }

    func conv(
        _ text: String, size: [Int], stride: [Int]? = nil, low: [Int]? = nil, high: [Int]? = nil,
        lhsDilation: [Int]? = nil, rhsDilation: [Int]? = nil, reversal: [Bool]? = nil, groups: Int = 1,
        batchGroups: Int = 1
    ) throws -> ConvolutionAttributes {
        ConvolutionAttributes(
            dimensions: try labels(text),
            window: WindowConfig(
                dimensions: size, strides: stride, paddingLow: low, paddingHigh: high, baseDilations: lhsDilation,
                windowDilations: rhsDilation),
            windowReversal: reversal, featureGroupCount: groups, batchGroupCount: batchGroups)
    }

    func dims(_ a: ConvolutionAttributes, _ lhs: [Int], _ rhs: [Int], _ dtype: DType = .f32) -> Result<
        [Int], IndexingError
    > {
        a.resultDimensions(lhs: ArrayType(dtype, lhs), rhs: ArrayType(dtype, rhs))
    }

    func testOutputSizes() throws {
        // XLA: (padded dilated input - dilated window) / stride + 1.
        let a = try conv(
            "b01f_01io->b01f", size: [3, 3], stride: [2, 1], low: [1, 0], high: [1, 2], rhsDilation: [1, 2])
        XCTAssertEqual(try dims(a, [2, 7, 6, 3], [3, 3, 3, 4]).get(), [2, 4, 4, 4])
        let transposed = try conv("b01f_01io->b01f", size: [3, 3], low: [2, 2], high: [1, 1], lhsDilation: [2, 2])
        XCTAssertEqual(try dims(transposed, [1, 5, 4, 3], [3, 3, 3, 2]).get(), [1, 10, 8, 2])
        let cropped = try conv("b01f_01io->bf01", size: [2, 3], low: [-1, 1], high: [2, -2])
        XCTAssertEqual(try dims(cropped, [1, 6, 7, 2], [2, 3, 2, 3]).get(), [1, 3, 6, 4])
        // A window larger than the input gives an empty output, as in XLA.
        let big = try conv("b0f_0io->b0f", size: [5])
        XCTAssertEqual(try dims(big, [1, 3, 1], [5, 1, 1]).get(), [1, 0, 1])
        XCTAssertEqual(try dims(try conv("bf_oi->bf", size: []), [3, 5], [4, 5]).get(), [3, 4])
        XCTAssertEqual(
            try dims(try conv("b0f_0io->b0f", size: [1], batchGroups: 2), [4, 3, 2], [1, 2, 6]).get(), [2, 3, 6])
        XCTAssertEqual(
            try dims(try conv("b0f_0io->b0f", size: [2], groups: 4), [1, 5, 4], [2, 1, 8]).get(), [1, 4, 8])
    }

    func testInconsistentAttributesSayWhy() throws {
        func message(_ r: Result<[Int], IndexingError>) -> String {
            if case .failure(let e) = r { return e.message }
            return "accepted"
        }
        let plain = try conv("b0f_0io->b0f", size: [2])
        XCTAssertTrue(message(dims(plain, [1, 5, 3], [3, 3, 2])).contains("window size [2] does not match"))
        XCTAssertTrue(message(dims(plain, [1, 5, 3, 1], [2, 3, 2])).contains("must both have rank 3"))
        XCTAssertTrue(message(dims(plain, [1, 5, 4], [2, 3, 2])).contains("input features (4) divided by"))
        let groups = try conv("b0f_0io->b0f", size: [2], groups: 2)
        XCTAssertTrue(message(dims(groups, [1, 5, 4], [2, 2, 3])).contains("multiple of feature_group_count (2)"))
        let batches = try conv("b0f_0io->b0f", size: [2], batchGroups: 2)
        XCTAssertTrue(message(dims(batches, [3, 5, 2], [2, 2, 4])).contains("input batch (3) must be a multiple"))
        XCTAssertTrue(message(dims(batches, [4, 5, 2], [2, 2, 3])).contains("multiple of batch_group_count (2)"))
        let both = try conv("b0f_0io->b0f", size: [2], groups: 2, batchGroups: 2)
        XCTAssertTrue(message(dims(both, [4, 5, 4], [2, 2, 4])).contains("cannot both be greater than 1"))
        let zero = try conv("b0f_0io->b0f", size: [2], groups: 0)
        XCTAssertTrue(message(dims(zero, [1, 5, 2], [2, 2, 2])).contains("must be at least 1"))
        let stride0 = try conv("b0f_0io->b0f", size: [2], stride: [0])
        XCTAssertTrue(message(dims(stride0, [1, 5, 2], [2, 2, 2])).contains("at least 1"))
        let short = try conv("b0f_0io->b0f", size: [2], stride: [1, 1])
        XCTAssertTrue(message(dims(short, [1, 5, 2], [2, 2, 2])).contains("one entry per spatial dimension"))
        let negative = try conv("b0f_0io->b0f", size: [1], low: [-4], high: [-4])
        XCTAssertTrue(message(dims(negative, [1, 5, 2], [1, 2, 2])).contains("negative padded input"))
        // Sizes from attributes near Int.max never trap.
        let huge = try conv("b0f_0io->b0f", size: [2], low: [Int.max], high: [Int.max], lhsDilation: [Int.max])
        XCTAssertTrue(message(dims(huge, [1, 5, 2], [2, 2, 2])).contains("overflows"))
        let dilated = try conv("b0f_0io->b0f", size: [2], rhsDilation: [Int.max])
        XCTAssertTrue(message(dims(dilated, [1, 5, 2], [2, 2, 2])).contains("overflows"))
        var bad = try labels("b0f_0io->b0f")
        bad.outputSpatial = [0]
        let malformed = ConvolutionAttributes(dimensions: bad, window: WindowConfig(dimensions: [2]))
        XCTAssertTrue(message(dims(malformed, [1, 5, 2], [2, 2, 2])).contains("output dimension numbers [0, 2, 0]"))
    }

    func testTermsFollowTheWindowThenTheInputFeatures() throws {
        // 1-D, 2 input features, window 2, stride 1, padding 1 low: output 0's first window position is padding.
        let a = try conv("b0f_0io->b0f", size: [2], low: [1])
        let lhs = ArrayType(.f32, [1, 3, 2])
        let rhs = ArrayType(.f32, [2, 2, 1])
        let result = try dims(a, lhs.dimensions, rhs.dimensions).get()
        XCTAssertEqual(result, [1, 3, 1])
        let t = a.termPositions(lhs: lhs, rhs: rhs, result: result)
        XCTAssertEqual(t.terms, 4)
        // Output 0: (pad, pad), x[0] with w[1]; output 1: x[0] w[0], x[1] w[1]; ...
        XCTAssertEqual(t.lhs, [-1, -1, 0, 1, 0, 1, 2, 3, 2, 3, 4, 5])
        XCTAssertEqual(t.rhs, [-1, -1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        // Reversed, the window reads the kernel back to front.
        let reversed = try conv("b0f_0io->b0f", size: [2], low: [1], reversal: [true])
        XCTAssertEqual(
            reversed.termPositions(lhs: lhs, rhs: rhs, result: result).rhs, [-1, -1, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1])
    }

    func testBatchGroupsPickTheirSliceOfTheBatch() throws {
        // Batch 4 in 2 groups; output features 0-1 read batches 0-1, features 2-3 batches 2-3.
        let a = try conv("bf_io->bf", size: [], batchGroups: 2)
        let lhs = ArrayType(.f32, [4, 1])
        let rhs = ArrayType(.f32, [1, 4])
        let result = try dims(a, lhs.dimensions, rhs.dimensions).get()
        XCTAssertEqual(result, [2, 4])
        XCTAssertEqual(a.termPositions(lhs: lhs, rhs: rhs, result: result).lhs, [0, 0, 2, 2, 1, 1, 3, 3])
        // Feature groups: output feature o reads input features of group o / (O / G).
        let g = try conv("bf_io->bf", size: [], groups: 2)
        let gl = ArrayType(.f32, [1, 4])
        let gr = ArrayType(.f32, [2, 2])
        let t = g.termPositions(lhs: gl, rhs: gr, result: try dims(g, gl.dimensions, gr.dimensions).get())
        XCTAssertEqual(t.lhs, [0, 1, 2, 3])
        XCTAssertEqual(t.rhs, [0, 2, 1, 3])
    }
}
