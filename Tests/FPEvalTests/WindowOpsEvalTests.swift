import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

@testable import FPEval

/// select-and-scatter, reduce-window's padding, map, mulhi and the batch
/// norms in every evaluator (XLA CPU's own results are in XLAOpFixtureTests).
final class WindowOpsEvalTests: XCTestCase {
    func graph(_ text: String) throws -> Graph {
        try GraphFile.read(data: Data(text.utf8), file: "window.hlo").graph
    }

    /// reduce-window skips padding: the init value is folded in once, not once per padding position.
    func testReduceWindowPaddingIsSkippedInEveryEvaluator() throws {
        let g = try graph(
            """
            HloModule rw
            add {
              a = f32[] parameter(0)
              b = f32[] parameter(1)
              ROOT c = f32[] add(a, b)
            }
            ENTRY e {
              x = f32[4] parameter(0)
              i = f32[] constant(1.5)
              ROOT r = f32[4] reduce-window(x, i), window={size=3 pad=1_1}, to_apply=add
            }
            """)
        for evaluator in Evaluator.all {
            assertFloats(try evaluator(g, [.floats([1, 2, 3, 4])])[0], [4.5, 7.5, 10.5, 8.5], "\(evaluator)")
        }
    }

    private let selectAndScatter = """
        HloModule sas
        ge {
          a = f32[] parameter(0)
          b = f32[] parameter(1)
          ROOT c = pred[] compare(a, b), direction=GE
        }
        sub {
          a = f32[] parameter(0)
          b = f32[] parameter(1)
          ROOT c = f32[] subtract(a, b)
        }
        ENTRY e {
          x = f32[2,4] parameter(0)
          s = f32[1,2] parameter(1)
          i = f32[] constant(0)
          ROOT r = f32[2,4] select-and-scatter(x, s, i), window={size=2x2 stride=2x2}, select=ge, scatter=sub
        }
        """

    /// GE keeps the first of equal maxima; the scatter computation gets (current, source).
    func testSelectAndScatterTiesAndParameterOrder() throws {
        let g = try graph(selectAndScatter)
        let inputs: [Tensor.Elements] = [.floats([1, 3, 5, 5, 3, 2, 5, 0]), .floats([10, 20])]
        for evaluator in Evaluator.all {
            assertFloats(try evaluator(g, inputs)[0], [0, -10, -20, 0, 0, 0, 0, 0], "\(evaluator)")
        }
    }

    /// The select computation's comparisons are recorded like any other (branch-flip detection):
    /// three per window of four elements.
    func testSelectComparisonsAreRecorded() throws {
        let g = try graph(selectAndScatter)
        let interpreter = try evaluate(
            g, in: MPFRDomain(precision: 100), [.floats([1, 3, 5, 5, 3, 2, 5, 0]), .floats([10, 20])])
        XCTAssertEqual(interpreter.comparisonCount, 6)
        let declared = try evaluate(
            g, in: IEEEDomain(mode: .declared), [.floats([1, 3, 5, 5, 3, 2, 5, 0]), .floats([10, 20])])
        XCTAssertEqual(declared.branchDigest, interpreter.branchDigest)
    }

    func testMapAppliesItsComputationElementwise() throws {
        let g = try graph(
            """
            HloModule map
            f {
              a = f32[] parameter(0)
              b = s32[] parameter(1)
              c = f32[] convert(b)
              ROOT d = f32[] multiply(a, c)
            }
            ENTRY e {
              x = f32[3] parameter(0)
              n = s32[3] parameter(1)
              ROOT m = f32[3] map(x, n), dimensions={0}, to_apply=f
            }
            """)
        for evaluator in Evaluator.all {
            assertFloats(try evaluator(g, [.floats([0.5, -2, 3]), .integers([4, 5, -1])])[0], [2, -10, -3])
        }
    }

    func testMulhiIsTheHighHalfOfTheExactProduct() {
        XCTAssertEqual(IntegerKernels.multiplyHigh(Int64(Int32.min), Int64(Int32.min), dtype: .s32), 1 << 30)
        XCTAssertEqual(IntegerKernels.multiplyHigh(-1, 1, dtype: .s32), -1)
        XCTAssertEqual(
            IntegerKernels.multiplyHigh(Int64(UInt32.max), Int64(UInt32.max), dtype: .u32), Int64(UInt32.max) - 1)
        XCTAssertEqual(IntegerKernels.multiplyHigh(.min, -1, dtype: .s64), 0)
        XCTAssertEqual(IntegerKernels.multiplyHigh(.max, .max, dtype: .s64), Int64.max >> 1)
        XCTAssertEqual(IntegerKernels.multiplyHigh(-1, -1, dtype: .s64), 0)
        XCTAssertEqual(IntegerKernels.multiplyHigh(255, 255, dtype: .u8), 254)
    }

    /// Training returns the biased variance; the truth and the declared result agree on exact data.
    func testBatchNormTrainingMeanAndBiasedVariance() throws {
        let g = try graph(
            """
            HloModule bn
            ENTRY e {
              x = f32[4,2] parameter(0)
              s = f32[2] parameter(1)
              o = f32[2] parameter(2)
              ROOT t = (f32[4,2], f32[2], f32[2]) batch-norm-training(x, s, o), epsilon=0, feature_index=1
            }
            """)
        let inputs: [Tensor.Elements] = [.floats([1, 10, 2, 10, 3, 10, 6, 10]), .floats([2, 1]), .floats([0.5, 7])]
        for evaluator in Evaluator.all {
            let out = try evaluator(g, inputs)
            assertFloats(out[1], [3, 10], "\(evaluator) mean")
            assertFloats(out[2], [3.5, 0], "\(evaluator) variance")
            // Feature 1 has zero variance and epsilon 0: rsqrt(0) = inf, (x - mean) = 0, 0 * inf = NaN.
            guard case .floats(let y) = out[0] else { return XCTFail("floats") }
            XCTAssertTrue(y[1].isNaN, "\(evaluator)")
        }
    }
}
