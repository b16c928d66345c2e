import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// The interpreter's run/read cycle: buffer reuse, branch digests, inputs and outputs.
final class InterpreterTests: XCTestCase {
    /// A graph touching every kind of node elements: elementwise, convert,
    /// single-op reduce (pairwise scratch), dot (product scratch), a general
    /// reducer, a call, pad and a compare/select.
    private func busyGraph() throws -> Graph {
        let square = ComputationSpec(
            name: "square", nodes: [N.parameter("v", 0, .f32, [3]), N.binary("r", .multiply, "v", "v")])
        let sumsq = ComputationSpec(
            name: "sumsq",
            nodes: [
                N.parameter("a", 0, .f32), N.parameter("b", 1, .f32), N.binary("bb", .multiply, "b", "b"),
                N.binary("r", .add, "a", "bb"),
            ])
        return try buildGraph(
            [
                N.parameter("x", 0, .f32, [3]), N.parameter("k", 1, .s32, [3]),
                N.constant("zero", .f32, [0]), N.constant("one", .f32, [1]),
                N.op("sq", .call(computation: "square"), ["x"]),
                N.op("sum", .reduce(dimensions: [0], reducer: "add"), ["sq", "zero"]),
                N.op("ss", .reduce(dimensions: [0], reducer: "sumsq"), ["x", "one"]),
                N.op("dot", .dot(DotDimensions(lhsContracting: [0], rhsContracting: [0])), ["x", "sq"]),
                N.op("kf", .convert, ["k"], dtype: .f32),
                N.binary("xk", .add, "x", "kf"),
                N.compare("pos", .gt, "x", "zero"),
                N.op("sel", .select, ["pos", "xk", "zero"]),
                N.op("pad", .pad(PaddingConfig(low: [1], high: [0], interior: [0])), ["sel", "one"], shape: [4]),
            ], computations: [square, sumsq, N.reducer("add", .add, .f32)], outputs: ["sum", "ss", "dot", "pad"])
    }

    private func expectedBusy(_ x: [Double], _ k: [Double]) -> [[Double]] {
        let sq = x.map { $0 * $0 }
        let sel = zip(x, k).map { $0 > 0 ? $0 + $1 : 0 }
        return [[sq.reduce(0, +)], [1 + sq.reduce(0, +)], [zip(x, sq).map(*).reduce(0, +)], [1] + sel]
    }

    private func check<D: RealDomain>(
        _ interpreter: Interpreter<D>, _ x: [Double], _ k: [Int64], _ context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        try interpreter.run([.floats(x), .integers(k)])
        let expected = expectedBusy(x, k.map(Double.init))
        for (i, output) in interpreter.outputValues().enumerated() {
            assertFloats(output, expected[i], "\(context) output \(i)", file: file, line: line)
        }
    }

    func testRunningTwiceGivesEachRunItsOwnOutputs() throws {
        let graph = try busyGraph()
        let first: ([Double], [Int64]) = ([1, -2, 3], [10, 20, 30])
        let second: ([Double], [Int64]) = ([-0.5, 4, 0.25], [-1, -2, -3])
        for order in ReductionOrder.allCases {
            let ieee = Interpreter(graph: graph, domain: IEEEDomain(mode: .declared), reductionOrder: order)
            let mpfr = Interpreter(graph: graph, domain: MPFRDomain(precision: 200), reductionOrder: order)
            for (x, k) in [first, second, first, second] {
                try check(ieee, x, k, "IEEE \(order) x=\(x)")
                try check(mpfr, x, k, "MPFR \(order) x=\(x)")
            }
        }
    }

    /// Outputs that alias internal buffers are read after the run they belong to.
    func testOutputsOfAnEarlierRunAreNotKeptAcrossRuns() throws {
        let graph = try buildGraph([N.parameter("x", 0, .f64, [2]), N.unary("y", .neg, "x")])
        let interpreter = Interpreter(graph: graph, domain: IEEEDomain(mode: .declared))
        try interpreter.run([.floats([1, 2])])
        let firstValues = interpreter.outputValues()
        try interpreter.run([.floats([5, 6])])
        XCTAssertEqual(firstValues, [.floats([-1, -2])], "outputValues() returns a copy")
        XCTAssertEqual(interpreter.outputValues(), [.floats([-5, -6])])
    }

    func testInterpretersCanShareOnePlan() throws {
        let graph = try busyGraph()
        let plan = GraphPlan(graph: graph)
        let a = Interpreter(graph: graph, plan: plan, domain: IEEEDomain(mode: .declared))
        let b = Interpreter(graph: graph, plan: plan, domain: MPFRDomain(precision: 128), reductionOrder: .pairwise)
        try check(a, [1, 2, 3], [0, 0, 0], "first")
        try check(b, [3, 2, 1], [1, 1, 1], "second")
        try check(a, [-1, -2, -3], [0, 0, 0], "first again")
    }

    // MARK: Branch digests

    private func selectGraph() throws -> Graph {
        try buildGraph([
            N.parameter("x", 0, .f32), N.parameter("a", 1, .f32), N.parameter("b", 2, .f32),
            N.constant("zero", .f32, [0]), N.compare("c", .gt, "x", "zero"),
            N.op("y", .select, ["c", "a", "b"]),
        ])
    }

    private func digest<D: RealDomain>(_ interpreter: Interpreter<D>, _ x: Double) throws -> UInt64 {
        try interpreter.run([.floats([x]), .floats([10]), .floats([20])])
        return interpreter.branchDigest
    }

    func testBranchDigestFollowsComparisonOutcomes() throws {
        let graph = try selectGraph()
        let ieee = Interpreter(graph: graph, domain: IEEEDomain(mode: .declared))
        let mpfr = Interpreter(graph: graph, domain: MPFRDomain(precision: 200))
        let positive = try digest(ieee, 1)
        XCTAssertEqual(ieee.outputValues(), [.floats([10])])
        XCTAssertEqual(ieee.comparisonCount, 1)
        let negative = try digest(ieee, -1)
        XCTAssertEqual(ieee.outputValues(), [.floats([20])])
        XCTAssertNotEqual(positive, negative, "x = 1 and x = -1 take different branches")
        XCTAssertEqual(try digest(ieee, 1), positive, "same input, same digest")
        XCTAssertEqual(try digest(ieee, 2), positive, "same outcome, same digest")
        XCTAssertEqual(try digest(ieee, .nan), negative, "NaN > 0 is false")
        XCTAssertEqual(try digest(ieee, -0.0), negative, "-0 > 0 is false")
        XCTAssertEqual(try digest(mpfr, 1), positive, "the digest depends only on outcomes, not on the domain")
        XCTAssertEqual(try digest(mpfr, -1), negative)
        XCTAssertEqual(mpfr.comparisonCount, 1)
    }

    /// The digest is reset per run and records outcomes in order.
    func testBranchDigestRecordsTheOrderOfOutcomes() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f64, [2]), N.constant("zero", .f64, [0]),
            N.op("z", .broadcast(dimensions: []), ["zero"], shape: [2]),
            N.compare("c", .lt, "x", "z"),
        ])
        let interpreter = Interpreter(graph: graph, domain: IEEEDomain(mode: .double))
        try interpreter.run([.floats([-1, 1])])
        let trueFalse = interpreter.branchDigest
        try interpreter.run([.floats([1, -1])])
        let falseTrue = interpreter.branchDigest
        XCTAssertNotEqual(trueFalse, falseTrue)
        XCTAssertEqual(interpreter.comparisonCount, 2)
        try interpreter.run([.floats([-1, 1])])
        XCTAssertEqual(interpreter.branchDigest, trueFalse)
        XCTAssertEqual(interpreter.comparisonCount, 2, "counts restart at every run")
    }

    // MARK: Inputs and outputs

    func testInputErrors() throws {
        let graph = try buildGraph([N.parameter("x", 0, .f32, [2]), N.parameter("k", 1, .s32), N.unary("y", .neg, "x")])
        let interpreter = Interpreter(graph: graph, domain: IEEEDomain(mode: .declared))
        XCTAssertThrowsError(try interpreter.run([.floats([1, 2])])) { error in
            XCTAssertEqual(error as? EvaluationError, .inputCount(expected: 2, got: 1))
        }
        XCTAssertThrowsError(try interpreter.run([.floats([1, 2, 3]), .integers([1])])) { error in
            guard case .inputMismatch(let parameter, _)? = error as? EvaluationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(parameter, "x")
        }
        XCTAssertThrowsError(try interpreter.run([.floats([1, 2]), .floats([1])])) { error in
            guard case .inputMismatch(let parameter, _)? = error as? EvaluationError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(parameter, "k")
        }
        XCTAssertNoThrow(try interpreter.run([.floats([1, 2]), .integers([1])]))
        XCTAssertEqual(interpreter.outputValues(), [.floats([-1, -2])])
    }

    /// `outputValues()` rounds float outputs to their dtype; `output(_:_:roundedTo:)`
    /// rounds to any format; integer outputs are exact.
    func testOutputsAreRoundedWhenRead() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32), N.constant("three", .f32, [3]),
                N.binary("y", .divide, "x", "three"),
                N.op("h", .convert, ["y"], dtype: .f16),
                N.op("i", .convert, ["y"], dtype: .s64),
            ], outputs: ["y", "h", "i"])
        XCTAssertEqual(graph.outputs.map(\.name), ["y", "h", "i"])
        let third = 1.0 / 3.0
        let mpfr = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats([1])])
        XCTAssertEqual(
            mpfr.outputValues(), [.floats([Double(Float(third))]), .floats([Double(Float16(third))]), .integers([0])])
        XCTAssertEqual(mpfr.output(0, 0, roundedTo: .f64), third)
        XCTAssertEqual(mpfr.output(1, 0, roundedTo: .f64), third, "MPFR converts are the identity")
        XCTAssertEqual(mpfr.output(0, 0, roundedTo: .bf16), 0x1.56p-2)
        let declared = try evaluate(graph, in: IEEEDomain(mode: .declared), [.floats([1])])
        XCTAssertEqual(
            declared.outputValues(),
            [.floats([Double(Float(third))]), .floats([Double(Float16(third))]), .integers([0])])
        XCTAssertEqual(declared.output(0, 0, roundedTo: .f64), Double(Float(third)))
        XCTAssertEqual(declared.outputDouble(1, 0), Double(Float16(third)))
        XCTAssertEqual(declared.outputDouble(2, 0), 0)
    }

    /// Zero-size arrays: empty inputs, reductions of nothing give the initial
    /// value, a dot over an empty contraction gives +0.
    func testZeroSizeArrays() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 0]), N.parameter("m", 1, .f32, [2, 0]), N.constant("init", .f32, [-3]),
                N.op("r", .reduce(dimensions: [1], reducer: "add"), ["x", "init"]),
                N.op("d", .dot(DotDimensions(lhsContracting: [1], rhsContracting: [1])), ["x", "m"]),
                N.unary("e", .exp, "x"),
            ], computations: [N.reducer("add", .add, .f32)], outputs: ["r", "d", "e"])
        for evaluator in Evaluator.all {
            for order in ReductionOrder.allCases {
                let out = try evaluator(graph, [.floats([]), .floats([])], order: order)
                assertFloats(out[0], [-3, -3], "\(evaluator) \(order) reduce")
                assertFloats(out[1], [0, 0, 0, 0], "\(evaluator) \(order) dot")
                assertFloats(out[2], [], "\(evaluator) \(order) exp")
            }
        }
    }

    func testParameterCanBeAnOutput() throws {
        let graph = try buildGraph([N.parameter("x", 0, .bf16, [2]), N.unary("y", .abs, "x")], outputs: ["x", "y"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([-1.5, 2])])
            assertFloats(out[0], [-1.5, 2], "\(evaluator)")
            assertFloats(out[1], [1.5, 2], "\(evaluator)")
        }
    }
}
