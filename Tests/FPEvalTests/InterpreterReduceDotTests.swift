import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// reduce (single-op and general reducers, both orders) and dot (general
/// dimension numbers), against hand-derived values and make_reference.py.
final class InterpreterReduceDotTests: XCTestCase {
    private let orders = ReductionOrder.allCases

    // MARK: reduce with one binary op

    func testSumOverOneAndTwoDimensions() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 3]), N.parameter("cube", 1, .f32, [2, 3, 2]),
                N.constant("zero", .f32, [0]), N.constant("hundred", .f32, [100]),
                N.op("rows", .reduce(dimensions: [1], reducer: "add"), ["x", "zero"]),
                N.op("columns", .reduce(dimensions: [0], reducer: "add"), ["x", "zero"]),
                N.op("all", .reduce(dimensions: [0, 1], reducer: "add"), ["x", "hundred"]),
                N.op("outer", .reduce(dimensions: [2, 0], reducer: "add"), ["cube", "zero"]),
                N.op("rows100", .reduce(dimensions: [1], reducer: "add"), ["x", "hundred"]),
            ], computations: [N.reducer("add", .add, .f32)], outputs: ["rows", "columns", "all", "outer", "rows100"])
        let cube = (0..<12).map(Double.init)  // cube[i][j][k] = 6i + 2j + k
        for evaluator in Evaluator.all {
            for order in orders {
                let out = try evaluator(graph, [.floats([1, 2, 3, 4, 5, 6]), .floats(cube)], order: order)
                let context = "\(evaluator) \(order)"
                assertFloats(out[0], [6, 15], context + " over dim 1")
                assertFloats(out[1], [5, 7, 9], context + " over dim 0")
                assertFloats(out[2], [121], context + " over dims 0,1 from 100")
                assertFloats(out[3], [14, 22, 30], context + " over dims 2,0")
                assertFloats(out[4], [106, 115], context + " over dim 1 from 100")
            }
        }
    }

    /// f32 [1e8, 1, -1e8, 1]: sequentially ((1e8 + 1) - 1e8) + 1 = 1; pairwise
    /// (1e8 + 1) + (-1e8 + 1) = 1e8 - 1e8 = 0 (1 is below half the spacing 8 of 1e8).
    func testSequentialAndPairwiseOrdersDifferInF32() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [4]), N.constant("zero", .f32, [0]),
                N.op("s", .reduce(dimensions: [0], reducer: "add"), ["x", "zero"]),
            ], computations: [N.reducer("add", .add, .f32)])
        let x: [Tensor.Elements] = [.floats([1e8, 1, -1e8, 1])]
        assertFloats(try Evaluator.declared(graph, x, order: .sequential)[0], [1], "declared sequential")
        assertFloats(try Evaluator.declared(graph, x, order: .pairwise)[0], [0], "declared pairwise")
        for evaluator in [Evaluator.double, .mpfr200] {
            for order in orders {
                assertFloats(try evaluator(graph, x, order: order)[0], [2], "\(evaluator) \(order)")
            }
        }
    }

    /// Terms are taken in row-major order of the operand, whatever order the
    /// reduce dimensions are listed in: [[1e8, 1], [-1e8, 1]] over dimensions
    /// [1, 0] is ((1e8 + 1) - 1e8) + 1 = 1 in f32 (column order would give 2).
    func testTermsAreVisitedInRowMajorOrder() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 2]), N.constant("zero", .f32, [0]),
                N.op("s", .reduce(dimensions: [1, 0], reducer: "add"), ["x", "zero"]),
            ], computations: [N.reducer("add", .add, .f32)])
        assertFloats(try Evaluator.declared(graph, [.floats([1e8, 1, -1e8, 1])])[0], [1])
    }

    /// A reducer `x - acc` (parameters swapped, not commutative) is applied as written:
    /// acc = 1 - 0, 2 - 1, 3 - 1 = 2. A swapped commutative `x + acc` is an ordinary sum.
    func testReducerOperandOrderIsRespected() throws {
        let swappedSubtract = ComputationSpec(
            name: "rsub",
            nodes: [
                N.parameter("acc", 0, .f64), N.parameter("x", 1, .f64), N.binary("r", .subtract, "x", "acc"),
            ])
        let swappedAdd = ComputationSpec(
            name: "radd",
            nodes: [
                N.parameter("acc", 0, .f64), N.parameter("x", 1, .f64), N.binary("r", .add, "x", "acc"),
            ])
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f64, [3]), N.constant("zero", .f64, [0]),
                N.op("d", .reduce(dimensions: [0], reducer: "rsub"), ["x", "zero"]),
                N.op("s", .reduce(dimensions: [0], reducer: "radd"), ["x", "zero"]),
            ], computations: [swappedSubtract, swappedAdd], outputs: ["d", "s"])
        for evaluator in Evaluator.all {
            for order in orders {
                let out = try evaluator(graph, [.floats([1, 2, 3])], order: order)
                assertFloats(out[0], [2], "\(evaluator) \(order) x - acc")
                assertFloats(out[1], [6], "\(evaluator) \(order) x + acc")
            }
        }
    }

    /// Longer rows (numpy float32 accumulation in make_reference.py).
    func testF32RowSumsMatchNumpyInBothOrders() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [3, 7]), N.constant("zero", .f32, [0]),
                N.op("s", .reduce(dimensions: [1], reducer: "add"), ["x", "zero"]),
            ], computations: [N.reducer("add", .add, .f32)])
        let x: [Tensor.Elements] = [.floats(ElementwiseReference.reduceRowsInput)]
        assertFloats(
            try Evaluator.declared(graph, x, order: .sequential)[0], ElementwiseReference.reduceRowsSequential,
            "sequential")
        assertFloats(
            try Evaluator.declared(graph, x, order: .pairwise)[0], ElementwiseReference.reduceRowsPairwise, "pairwise")
        let truth = try evaluate(graph, in: MPFRDomain(precision: 200), x, order: .pairwise)
        assertSameFloats(f64Output(truth), ElementwiseReference.reduceRowsExact, "mpfr")
    }

    func testMaximumAndMinimumReductions() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [3, 3]),
                N.constant("ninf", .f32, [-.infinity]), N.constant("inf", .f32, [.infinity]),
                N.op("max", .reduce(dimensions: [1], reducer: "maximum"), ["x", "ninf"]),
                N.op("min", .reduce(dimensions: [1], reducer: "minimum"), ["x", "inf"]),
            ], computations: [N.reducer("maximum", .maximum, .f32), N.reducer("minimum", .minimum, .f32)],
            outputs: ["max", "min"])
        let x: [Double] = [
            -5, -1, -3,
            -.infinity, -.infinity, -.infinity,
            1, .nan, 2,
        ]
        for evaluator in Evaluator.all {
            for order in orders {
                let out = try evaluator(graph, [.floats(x)], order: order)
                assertFloats(out[0], [-1, -.infinity, .nan], "\(evaluator) \(order) max")
                assertFloats(out[1], [-5, -.infinity, .nan], "\(evaluator) \(order) min")
            }
        }
    }

    /// A product in f16 rounds (and overflows) at every step in declared precision.
    func testProductReductionInF16() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f16, [2, 3]), N.constant("one", .f16, [1]),
                N.op("p", .reduce(dimensions: [1], reducer: "mul"), ["x", "one"]),
            ], computations: [N.reducer("mul", .multiply, .f16)])
        let x: Tensor.Elements = .floats([256, 256, 0.5, 1 + 0x1p-10, 1 + 0x1p-10, 3])
        assertFloats(try Evaluator.declared(graph, [x])[0], [.infinity, 3 + 0x1.8p-8], "declared")
        // (1 + 2^-10)^2 = 1 + 2^-9 + 2^-20 rounds to 1 + 2^-9 in f16; times 3.
        assertFloats(try Evaluator.mpfr200(graph, [x])[0], [32768, 3 * (1 + 0x1p-9 + 0x1p-20)], "mpfr")
    }

    func testIntegerReductions() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .s32, [2, 3]),
                N.constant("zero", .s32, integers: [0]), N.constant("lowest", .s32, integers: [Int64(Int32.min)]),
                N.op("sum", .reduce(dimensions: [1], reducer: "add"), ["x", "zero"]),
                N.op("max", .reduce(dimensions: [0, 1], reducer: "maximum"), ["x", "lowest"]),
            ], computations: [N.reducer("add", .add, .s32), N.reducer("maximum", .maximum, .s32)],
            outputs: ["sum", "max"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.integers([Int64(Int32.max), 1, 2, -4, -5, -6])])
            assertIntegers(out[0], [Int64(Int32.min) + 2, -15], "\(evaluator) sum wraps")
            assertIntegers(out[1], [Int64(Int32.max)], "\(evaluator) max")
        }
    }

    // MARK: reduce with a general reducer

    /// Body `a + b*b` (two ops, so not a single-op reducer): a sum of squares.
    func testGeneralReducerSumOfSquares() throws {
        let body = ComputationSpec(
            name: "sumsq",
            nodes: [
                N.parameter("a", 0, .f32), N.parameter("b", 1, .f32),
                N.binary("bb", .multiply, "b", "b"), N.binary("r", .add, "a", "bb"),
            ])
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 3]), N.constant("half", .f32, [0.5]),
                N.op("s", .reduce(dimensions: [1], reducer: "sumsq"), ["x", "half"]),
            ], computations: [body])
        for evaluator in Evaluator.all {
            for order in orders {
                assertFloats(
                    try evaluator(graph, [.floats([1, 2, 3, 0.5, -1, 2])], order: order)[0], [14.5, 5.75],
                    "\(evaluator) \(order)")
            }
        }
    }

    /// General reducers always run sequentially, whatever the configured order.
    func testGeneralReducerIgnoresThePairwiseOrder() throws {
        let body = ComputationSpec(
            name: "addTimesOne",
            nodes: [
                N.parameter("a", 0, .f32), N.parameter("b", 1, .f32), N.constant("one", .f32, [1]),
                N.binary("b1", .multiply, "b", "one"), N.binary("r", .add, "a", "b1"),
            ])
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [4]), N.constant("zero", .f32, [0]),
                N.op("s", .reduce(dimensions: [0], reducer: "addTimesOne"), ["x", "zero"]),
            ], computations: [body])
        for order in orders {
            assertFloats(try Evaluator.declared(graph, [.floats([1e8, 1, -1e8, 1])], order: order)[0], [1], "\(order)")
        }
    }

    /// A variadic reduce over (value, index) pairs with compare/select: the
    /// first position of the maximum.
    func testVariadicArgmaxReduce() throws {
        let body = ComputationSpec(
            name: "argmax",
            nodes: [
                N.parameter("av", 0, .f32), N.parameter("ai", 1, .s32), N.parameter("bv", 2, .f32),
                N.parameter("bi", 3, .s32),
                N.compare("gt", .gt, "bv", "av"),
                N.op("v", .select, ["gt", "bv", "av"]), N.op("i", .select, ["gt", "bi", "ai"]),
                N.op("r", .tuple, ["v", "i"]),
            ])
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 4]),
                N.op("idx", .iota(dimension: 1), [], dtype: .s32, shape: [2, 4]),
                N.constant("ninf", .f32, [-.infinity]), N.constant("none", .s32, integers: [-1]),
                N.op("rows", .reduce(dimensions: [1], reducer: "argmax"), ["x", "idx", "ninf", "none"]),
                N.op("value", .getTupleElement(index: 0), ["rows"]),
                N.op("index", .getTupleElement(index: 1), ["rows"]),
                N.op("flat", .reshape, ["idx"], shape: [8]),
                N.op("x8", .reshape, ["x"], shape: [8]),
                N.op("whole", .reduce(dimensions: [0], reducer: "argmax"), ["x8", "flat", "ninf", "none"]),
                N.op("wholeIndex", .getTupleElement(index: 1), ["whole"]),
            ], computations: [body], outputs: ["value", "index", "wholeIndex"])
        let x: [Double] = [
            3, 7, 2, 7,
            -1, -5, -0.5, -9,
        ]
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats(x)])
            assertFloats(out[0], [7, -0.5], "\(evaluator) max values")
            assertIntegers(out[1], [1, 2], "\(evaluator) argmax per row")
            assertIntegers(out[2], [1], "\(evaluator) argmax of the column indices of the flattened array")
        }
        let interpreter = try evaluate(graph, in: IEEEDomain(mode: .declared), [.floats(x)])
        XCTAssertEqual(interpreter.comparisonCount, 16, "the reducer's compare runs once per term")
    }

    // MARK: dot

    private func dotGraph(_ r: DotReference) throws -> Graph {
        try buildGraph([
            N.parameter("lhs", 0, r.operandDType, r.lhsShape), N.parameter("rhs", 1, r.operandDType, r.rhsShape),
            N.op("y", .dot(r.dimensions), ["lhs", "rhs"], dtype: r.resultDType, shape: r.outShape),
        ])
    }

    /// Operands whose terms lie far apart (a matrix's columns, a transposed
    /// left operand) are packed before the dot (``DotPacking``); the results
    /// are those of the plain sequential sums, in the IEEE evaluator and
    /// every enclosure, which hold the exact (MPFR) dot.
    func testPackedDotOperandsGiveTheSequentialSums() throws {
        var g = RandomGraphPropertyTests.SeededGenerator(state: 9)
        let (m, k, n) = (12, 40, 10)
        for transposedLHS in [false, true] {
            let dimensions = DotDimensions(lhsContracting: [transposedLHS ? 0 : 1], rhsContracting: [0])
            let graph = try buildGraph([
                N.parameter("a", 0, .f32, transposedLHS ? [k, m] : [m, k]), N.parameter("b", 1, .f32, [k, n]),
                N.op("y", .dot(dimensions), ["a", "b"]),
            ])
            guard case .dot(_, _, _, _, let packing) = GraphPlan(graph: graph).plans["main"]![2] else {
                return XCTFail("no dot plan")
            }
            XCTAssertEqual(packing.map { $0 != nil }, [transposedLHS, true], "the strided operands are packed")
            let a = (0..<(m * k)).map { _ in Double(Float.random(in: -2...2, using: &g)) }
            let b = (0..<(k * n)).map { _ in Double(Float.random(in: -2...2, using: &g)) }
            let inputs: [Tensor.Elements] = [.floats(a), .floats(b)]
            let ieee = try evaluate(graph, in: IEEEDomain(mode: .declared), inputs)
            let exact = try evaluate(graph, in: MPFRDomain(precision: 300), inputs)
            let interval = try evaluate(graph, in: IntervalDomain(), inputs)
            let ball = try evaluate(graph, in: BallDomain(), inputs)
            for i in 0..<m {
                for j in 0..<n {
                    var sum: Float = 0
                    for t in 0..<k {
                        let x = Float(a[transposedLHS ? t * m + i : i * k + t])
                        sum = sum + x * Float(b[t * n + j])
                    }
                    let o = i * n + j
                    XCTAssertEqual(ieee.outputDouble(0, o), Double(sum), "output (\(i), \(j))")
                    let truth = exact.outputDouble(0, o)
                    let bounds = try XCTUnwrap(interval.outputBounds(0, o))
                    XCTAssertTrue(bounds.lo <= truth && truth <= bounds.hi, "interval (\(i), \(j))")
                    XCTAssertEqual(ball.decidedOutput(0, o, in: .f64), truth, "ball (\(i), \(j))")
                }
            }
        }
    }

    func testDotMatchesNumpyF32Accumulation() throws {
        XCTAssertEqual(ElementwiseReference.dots.count, 5)
        for r in ElementwiseReference.dots {
            let graph = try dotGraph(r)
            let inputs: [Tensor.Elements] = [.floats(r.lhs), .floats(r.rhs)]
            XCTAssertEqual(graph.outputs[0].type, ArrayType(r.resultDType, r.outShape), r.name)
            assertFloats(
                try Evaluator.declared(graph, inputs, order: .sequential)[0], r.sequential, "\(r.name) sequential")
            assertFloats(try Evaluator.declared(graph, inputs, order: .pairwise)[0], r.pairwise, "\(r.name) pairwise")
            assertFloats(try Evaluator.double(graph, inputs)[0], r.double, "\(r.name) double mode")
            for order in orders {
                let truth = try evaluate(graph, in: MPFRDomain(precision: 200), inputs, order: order)
                assertSameFloats(f64Output(truth), r.exact, "\(r.name) mpfr \(order)")
            }
        }
    }

    func testDotHandDerived() throws {
        let graph = try buildGraph(
            [
                N.parameter("m", 0, .f64, [2, 3]), N.parameter("v", 1, .f64, [3]), N.parameter("n", 2, .f64, [3, 2]),
                N.op("mv", .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])), ["m", "v"]),
                N.op("mm", .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])), ["m", "n"]),
                // Both dimensions contracted, (lhs 0, rhs 1) and (lhs 1, rhs 0): sum of m[i][j] * n[j][i].
                N.op("trace", .dot(DotDimensions(lhsContracting: [0, 1], rhsContracting: [1, 0])), ["m", "n"]),
                N.op("outer", .dot(DotDimensions(lhsContracting: [], rhsContracting: [])), ["v", "v"]),
            ], outputs: ["mv", "mm", "trace", "outer"])
        for evaluator in Evaluator.all {
            for order in orders {
                let out = try evaluator(
                    graph,
                    [
                        .floats([1, 2, 3, 4, 5, 6]), .floats([1, 0, -1]),
                        .floats([1, 2, 3, 4, 5, 6]),
                    ], order: order)
                let context = "\(evaluator) \(order)"
                assertFloats(out[0], [-2, -2], context + " matrix-vector")
                assertFloats(out[1], [22, 28, 49, 64], context + " matrix-matrix")
                assertFloats(out[2], [1 * 1 + 2 * 3 + 3 * 5 + 4 * 2 + 5 * 4 + 6 * 6], context + " full contraction")
                assertFloats(out[3], [1, 0, -1, 0, 0, 0, -1, 0, 1], context + " outer product")
            }
        }
    }

    /// Batch dimensions that are not leading, in the lhs and rhs.
    func testDotWithTrailingBatchDimension() throws {
        // lhs[k][b], rhs[b][k]: y[b] = sum_k lhs[k][b] * rhs[b][k].
        let graph = try buildGraph([
            N.parameter("l", 0, .f32, [3, 2]), N.parameter("r", 1, .f32, [2, 3]),
            N.op(
                "y", .dot(DotDimensions(lhsBatch: [1], rhsBatch: [0], lhsContracting: [0], rhsContracting: [1])),
                ["l", "r"]),
        ])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([1, 2, 3, 4, 5, 6]), .floats([1, 1, 1, 1, 0, -1])])
            assertFloats(out[0], [1 + 3 + 5, 2 - 6], "\(evaluator)")
        }
    }

    /// An f16 dot accumulates in f32 and rounds once (as XLA's backends do):
    /// products of f16 values and these partial sums are exact in f32.
    func testDotInF16AccumulatesInF32AndRoundsOnce() throws {
        let graph = try buildGraph([
            N.parameter("a", 0, .f16, [3]), N.parameter("b", 1, .f16, [3]),
            N.op("y", .dot(DotDimensions(lhsContracting: [0], rhsContracting: [0])), ["a", "b"]),
        ])
        let inputs: [Tensor.Elements] = [.floats([0x1p-11, 0x1p-11, 1]), .floats([1, 1, 1])]
        assertFloats(try Evaluator.declared(graph, inputs, order: .sequential)[0], [1 + 0x1p-10], "sequential")
        // Pairwise: 2^-11 + (2^-11 + 1) in f32 is 1 + 2^-10, exact (in f16 steps it would tie to 1).
        assertFloats(try Evaluator.declared(graph, inputs, order: .pairwise)[0], [1 + 0x1p-10], "pairwise")
        assertFloats(try Evaluator.mpfr200(graph, inputs, order: .pairwise)[0], [1 + 0x1p-10], "mpfr")
        // 2^-11 + (1 + 2^-10)^2 = 1 + 2^-9 + 2^-11 + 2^-20, exact in f32, then rounded once to f16:
        // just above the tie between 1 + 2^-9 and 1 + 3 * 2^-10, so 1 + 3 * 2^-10. (Rounding the product
        // to f16 first would give the tie 1 + 2^-9 + 2^-11, which goes to even: 1 + 2^-9.)
        let products: [Tensor.Elements] = [.floats([0x1p-11, 1 + 0x1p-10, 0]), .floats([1, 1 + 0x1p-10, 5])]
        assertFloats(try Evaluator.declared(graph, products)[0], [1 + 3 * 0x1p-10], "products")
        assertFloats(try Evaluator.mpfr200(graph, products)[0], [1 + 0x1p-9 + 0x1p-11 + 0x1p-20], "mpfr products")
    }

    func testIntegerDotWraps() throws {
        let graph = try buildGraph([
            N.parameter("a", 0, .s32, [2]), N.parameter("b", 1, .s32, [2]),
            N.op("y", .dot(DotDimensions(lhsContracting: [0], rhsContracting: [0])), ["a", "b"]),
        ])
        for evaluator in Evaluator.all {
            assertIntegers(
                try evaluator(graph, [.integers([65536, 65536]), .integers([65536, 3])])[0], [196608],
                "\(evaluator) 2^32 wraps to 0")
        }
    }
}
