import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// `convolution` in every evaluator: reversal, summation order, the f32
/// accumulation of bf16, integer wrapping, empty sums. (Layouts, padding,
/// dilation and groups are checked against XLA in XLAOpFixtureTests.)
final class InterpreterConvolutionTests: XCTestCase {
    private func attributes(
        _ labels: String, size: [Int], low: [Int]? = nil, high: [Int]? = nil, reversal: [Bool]? = nil
    ) throws -> ConvolutionAttributes {
        ConvolutionAttributes(
            dimensions: try ConvolutionDimensions.parse(labels: labels).get(),
            window: WindowConfig(dimensions: size, paddingLow: low, paddingHigh: high), windowReversal: reversal)
    }

    func testAReversedWindowIsAConvolutionWithTheReversedKernel() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [1, 5, 2]), N.parameter("w", 1, .f32, [3, 2, 2]),
                N.op("flipped", .reverse(dimensions: [0]), ["w"]),
                N.op(
                    "a", .convolution(try attributes("b0f_0io->b0f", size: [3], low: [1], high: [1], reversal: [true])),
                    ["x", "w"]),
                N.op(
                    "b", .convolution(try attributes("b0f_0io->b0f", size: [3], low: [1], high: [1])), ["x", "flipped"]),
            ], outputs: ["a", "b"])
        let x = (0..<10).map { Double($0) - 4.5 }
        let w = (0..<12).map { Double($0 * $0) / 8 - 3 }
        for evaluator in Evaluator.all {
            for order in ReductionOrder.allCases {
                let out = try evaluator(graph, [.floats(x), .floats(w)], order: order)
                guard case .floats(let b) = out[1] else { return XCTFail("\(out)") }
                assertFloats(out[0], b, "\(evaluator) \(order)")
            }
        }
    }

    /// f32 terms [1e8, 1, -1e8, 1] (and a padded +0 term): sequentially 1, pairwise (1e8 + 1) + (-1e8 + 1) = 0.
    func testTheSumFollowsTheReductionOrder() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [1, 4, 1]), N.parameter("w", 1, .f32, [4, 1, 1]),
            N.op("c", .convolution(try attributes("b0f_0io->b0f", size: [4])), ["x", "w"]),
        ])
        let inputs: [Tensor.Elements] = [.floats([1e8, 1, -1e8, 1]), .floats([1, 1, 1, 1])]
        assertFloats(try Evaluator.declared(graph, inputs, order: .sequential)[0], [1])
        assertFloats(try Evaluator.declared(graph, inputs, order: .pairwise)[0], [0])
        assertFloats(try Evaluator.mpfr200(graph, inputs)[0], [2])
    }

    /// bf16 [256, 1, 1] summed: 258 with an f32 accumulator (as dot and XLA CPU), 256 in bf16 steps.
    func testBF16AccumulatesInF32() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .bf16, [1, 3]), N.parameter("w", 1, .bf16, [3, 1]),
            N.op("c", .convolution(try attributes("bf_io->bf", size: [])), ["x", "w"]),
        ])
        for order in ReductionOrder.allCases {
            assertFloats(
                try Evaluator.declared(graph, [.floats([256, 1, 1]), .floats([1, 1, 1])], order: order)[0], [258])
        }
    }

    /// XLA CPU's bf16 normalisation rewrites a bf16 convolution into converts
    /// around an f32 one; with the f32 accumulation rule both give the same bits.
    func testABF16ConvolutionIsItsF32NormalisedForm() throws {
        let a = try attributes("b01f_01io->b01f", size: [3, 2], low: [1, 0], high: [1, 1])
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .bf16, [2, 5, 4, 6]), N.parameter("w", 1, .bf16, [3, 2, 6, 3]),
                N.op("direct", .convolution(a), ["x", "w"]),
                N.op("x32", .convert, ["x"], dtype: .f32), N.op("w32", .convert, ["w"], dtype: .f32),
                N.op("wide", .convolution(a), ["x32", "w32"]), N.op("normalised", .convert, ["wide"], dtype: .bf16),
            ], outputs: ["direct", "normalised"])
        var state: UInt64 = 12345
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(bitPattern: state >> 11) % 20001 - 10000) / 1000
        }
        // bf16 inputs: values with at most 8 significant bits.
        func bf16() -> Double { Double(Float(bitPattern: Float(next()).bitPattern & 0xFFFF_0000)) }
        let x = (0..<240).map { _ in bf16() }
        let w = (0..<108).map { _ in bf16() }
        for order in ReductionOrder.allCases {
            let out = try Evaluator.declared(graph, [.floats(x), .floats(w)], order: order)
            guard case .floats(let normalised) = out[1] else { return XCTFail("\(out)") }
            assertFloats(out[0], normalised, "\(order)")
        }
    }

    func testIntegerConvolutionsWrap() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .s32, [1, 2]), N.parameter("w", 1, .s32, [2, 1]),
            N.op("c", .convolution(try attributes("bf_io->bf", size: [])), ["x", "w"]),
        ])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.integers([1 << 30, 1 << 30]), .integers([2, 1])])
            assertIntegers(out[0], [-(1 << 30)], "\(evaluator)")
        }
    }

    func testEmptySumsAndEmptyOutputs() throws {
        // No input features: every output is +0. A window wider than the input: no output.
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 3, 0]), N.parameter("w", 1, .f32, [2, 0, 2]),
                N.parameter("y", 2, .f32, [1, 2, 1]), N.parameter("v", 3, .f32, [3, 1, 1]),
                N.op("zero", .convolution(try attributes("b0f_0io->b0f", size: [2])), ["x", "w"]),
                N.op("none", .convolution(try attributes("b0f_0io->b0f", size: [3])), ["y", "v"]),
            ], outputs: ["zero", "none"])
        for evaluator in Evaluator.all {
            for order in ReductionOrder.allCases {
                let out = try evaluator(
                    graph, [.floats([]), .floats([]), .floats([1, 2]), .floats([1, 1, 1])], order: order)
                assertFloats(out[0], [0, 0, 0, 0, 0, 0, 0, 0], "\(evaluator)")
                assertFloats(out[1], [], "\(evaluator)")
            }
        }
    }

    func testTheReductionDepthIsTheProductsPerOutput() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [1, 6, 6, 4]), N.parameter("w", 1, .f32, [3, 2, 2, 6]),
            N.op(
                "c",
                .convolution(
                    ConvolutionAttributes(
                        dimensions: try ConvolutionDimensions.parse(labels: "b01f_01io->b01f").get(),
                        window: WindowConfig(dimensions: [3, 2]), featureGroupCount: 2)), ["x", "w"]),
        ])
        XCTAssertEqual(graph.outputReductionDepths, [3 * 2 * 2])
    }
}
