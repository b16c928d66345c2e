import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

// MARK: - Reference table rows (filled in by ElementwiseReference.swift)

struct UnaryReference {
    let op: UnaryOp
    let inputs: [Double]
    let expected: [Double]

    init(_ op: UnaryOp, _ inputs: [Double], _ expected: [Double]) {
        self.op = op
        self.inputs = inputs
        self.expected = expected
    }
}

struct BinaryReference {
    let op: BinaryOp
    let lhs: [Double]
    let rhs: [Double]
    let expected: [Double]

    init(_ op: BinaryOp, _ lhs: [Double], _ rhs: [Double], _ expected: [Double]) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.expected = expected
    }
}

struct MPFRF32Reference {
    let op: UnaryOp
    let inputs: [Double]
    let expected: [Double]
    let expectedF32: [Double]

    init(_ op: UnaryOp, _ inputs: [Double], _ expected: [Double], _ expectedF32: [Double]) {
        self.op = op
        self.inputs = inputs
        self.expected = expected
        self.expectedF32 = expectedF32
    }
}

struct DotReference {
    let name: String
    let operandDType: DType
    let resultDType: DType
    let lhsShape: [Int]
    let rhsShape: [Int]
    let outShape: [Int]
    let dimensions: DotDimensions
    let lhs: [Double]
    let rhs: [Double]
    let sequential: [Double]
    let pairwise: [Double]
    /// IEEE double mode (binary64 products and sequential sums).
    let double: [Double]
    /// Exact, rounded to binary64 (the MPFR truth).
    let exact: [Double]
}

// MARK: - Building graphs from node specs

/// Small constructors for ``NodeSpec``s, so tests read like the graphs they build.
enum N {
    static func parameter(_ name: String, _ index: Int, _ dtype: DType, _ shape: [Int] = []) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: dtype, shape: shape)
    }

    static func constant(_ name: String, _ dtype: DType, _ values: [Double], shape: [Int] = []) -> NodeSpec {
        NodeSpec(name: name, operation: .constant(Tensor(type: ArrayType(dtype, shape), elements: .floats(values))))
    }

    static func constant(_ name: String, _ dtype: DType, integers: [Int64], shape: [Int] = []) -> NodeSpec {
        NodeSpec(
            name: name, operation: .constant(Tensor(type: ArrayType(dtype, shape), elements: .integers(integers))))
    }

    static func unary(_ name: String, _ op: UnaryOp, _ x: String) -> NodeSpec {
        NodeSpec(name: name, operation: .unary(op), operands: [x])
    }

    static func binary(_ name: String, _ op: BinaryOp, _ a: String, _ b: String) -> NodeSpec {
        NodeSpec(name: name, operation: .binary(op), operands: [a, b])
    }

    static func compare(_ name: String, _ direction: ComparisonDirection, _ a: String, _ b: String) -> NodeSpec {
        NodeSpec(name: name, operation: .compare(direction), operands: [a, b])
    }

    static func op(
        _ name: String, _ operation: FPGraph.Operation, _ operands: [String], dtype: DType? = nil,
        shape: [Int]? = nil
    ) -> NodeSpec {
        NodeSpec(name: name, operation: operation, operands: operands, dtype: dtype, shape: shape)
    }

    /// A scalar reducer computation `name(p0, p1) = op(p0, p1)`.
    static func reducer(_ name: String, _ op: BinaryOp, _ dtype: DType) -> ComputationSpec {
        ComputationSpec(
            name: name,
            nodes: [
                parameter("acc", 0, dtype), parameter("x", 1, dtype), binary("r", op, "acc", "x"),
            ])
    }
}

/// Builds a graph whose entry computation is `nodes` (root: the last node, or
/// a tuple of `outputs`).
func buildGraph(
    _ nodes: [NodeSpec], computations: [ComputationSpec] = [], outputs: [String]? = nil,
    file: StaticString = #filePath, line: UInt = #line
) throws -> Graph {
    let entry = ComputationSpec(name: "main", nodes: nodes)
    let outputSpecs = outputs.map { $0.map { OutputSpec(name: $0, node: $0) } }
    return try GraphBuilder().build(
        GraphSpec(
            computations: [entry] + computations, entry: "main",
            outputs: outputSpecs, source: "FPEvalTests"))
}

// MARK: - Running graphs

/// One evaluator configuration, type-erased so tests can loop over all of them.
struct Evaluator: CustomStringConvertible {
    let description: String
    /// Runs the graph and returns every output: floats as the stored value
    /// (IEEE) or the value rounded to nearest double (MPFR), integers exactly.
    let run: (Graph, [Tensor.Elements], ReductionOrder) throws -> [Tensor.Elements]

    static let declared = Evaluator(ieee: .declared)
    static let double = Evaluator(ieee: .double)
    static let mpfr200 = Evaluator(mpfrPrecision: 200)
    static let all: [Evaluator] = [.declared, .double, .mpfr200]

    init(ieee mode: ExecutionMode) {
        description = "IEEE \(mode.rawValue)"
        run = { graph, inputs, order in
            try collect(evaluate(graph, in: IEEEDomain(mode: mode), inputs, order: order))
        }
    }

    init(mpfrPrecision precision: Int) {
        description = "MPFR@\(precision)"
        run = { graph, inputs, order in
            try collect(evaluate(graph, in: MPFRDomain(precision: precision), inputs, order: order))
        }
    }

    func callAsFunction(_ graph: Graph, _ inputs: [Tensor.Elements] = [], order: ReductionOrder = .sequential) throws
        -> [Tensor.Elements]
    {
        try run(graph, inputs, order)
    }
}

/// Creates an interpreter and runs it once.
func evaluate<D: RealDomain>(
    _ graph: Graph, in domain: D, _ inputs: [Tensor.Elements] = [],
    order: ReductionOrder = .sequential
) throws -> Interpreter<D> {
    let interpreter = Interpreter(graph: graph, domain: domain, reductionOrder: order)
    try interpreter.run(inputs)
    return interpreter
}

/// Every output of the last run, floats unrounded (see ``Evaluator/run``).
func collect<D: RealDomain>(_ interpreter: Interpreter<D>) -> [Tensor.Elements] {
    let rounded = interpreter.outputValues()
    return interpreter.graph.outputs.enumerated().map { k, output in
        guard output.type.dtype.isFloatingPoint else { return rounded[k] }
        return .floats((0..<output.type.elementCount).map { interpreter.outputDouble(k, $0) })
    }
}

/// Output `k` rounded to f64 (`output(_:_:roundedTo: .f64)`).
func f64Output<D: RealDomain>(_ interpreter: Interpreter<D>, _ k: Int = 0) -> [Double] {
    (0..<interpreter.graph.outputs[k].type.elementCount).map { interpreter.output(k, $0, roundedTo: .f64) }
}

// MARK: - Assertions

func hex(_ x: Double) -> String { HexFloat.format(x) }

/// Bitwise comparison of float arrays: NaN matches any NaN, -0 differs from +0.
func assertSameFloats(
    _ actual: [Double], _ expected: [Double], _ context: @autoclosure () -> String = "",
    inputs: [[Double]] = [], file: StaticString = #filePath, line: UInt = #line
) {
    guard actual.count == expected.count else {
        XCTFail("\(context()): \(actual.count) values, expected \(expected.count)", file: file, line: line)
        return
    }
    for i in actual.indices {
        let (a, e) = (actual[i], expected[i])
        let same = (a.isNaN && e.isNaN) || a.bitPattern == e.bitPattern
        if !same {
            let args = inputs.map { $0.indices.contains(i) ? hex($0[i]) : "?" }.joined(separator: ", ")
            XCTFail("\(context()) [\(i)](\(args)) = \(hex(a)), expected \(hex(e))", file: file, line: line)
        }
    }
}

/// `assertSameFloats` on a Tensor.Elements output.
func assertFloats(
    _ actual: Tensor.Elements, _ expected: [Double], _ context: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard case .floats(let values) = actual else {
        XCTFail("\(context()): expected float data, got \(actual)", file: file, line: line)
        return
    }
    assertSameFloats(values, expected, context(), file: file, line: line)
}

func assertIntegers(
    _ actual: Tensor.Elements, _ expected: [Int64], _ context: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual, .integers(expected), context(), file: file, line: line)
}
