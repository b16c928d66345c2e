import FPEval
import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// Each cause class (``ErrorCause``) on a constructed graph: the localizer
/// measures the graph at one input against a 200-bit MPFR truth and names
/// the cause of the worst node's local error.
final class CauseClassifierTests: XCTestCase {
    /// The local errors of a one-output graph in f32 (declared precision) at `inputs`.
    func localErrors(
        _ json: String, _ inputs: [Tensor.Elements], subnormals: SubnormalMode = .keep
    ) throws -> [NodeError] {
        let graph = try subject(json).graph
        let truth = Interpreter(graph: graph, domain: MPFRDomain(precision: 200))
        try truth.run(inputs)
        return try Localizer(graph: graph, exec: .declared, order: .sequential, subnormals: subnormals)
            .localize(inputs, truth: truth)
    }

    func node(_ name: String, _ errors: [NodeError]) throws -> NodeError {
        try XCTUnwrap(errors.first { $0.node == name }, "\(errors)")
    }

    func testCancellationNamesTheOperandAndResultExponents() throws {
        // p = x·y rounds away its low bits; p − 1 cancels the leading 23 of them.
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}, {"name": "y", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "p", "op": "multiply", "operands": ["x", "y"]},
                       {"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                       {"name": "d", "op": "subtract", "operands": ["p", "one"]}],
             "outputs": ["d"]}
            """, [.floats([Double(Float(1.000_123))]), .floats([Double(Float(0.999_877_1))])])
        let d = try node("d", errors)
        XCTAssertGreaterThan(d.bits, 4, "\(errors)")
        guard case .cancellation(let operand, let result)? = d.cause else { return XCTFail("\(d)") }
        XCTAssertEqual(operand, 0)  // the constant 1, the larger operand
        XCTAssertLessThan(result, -20)
        XCTAssertEqual(d.cause?.kind, "cancellation")
        XCTAssertTrue(
            d.cause!.description.contains("cancellation of operands near 2^0 to a result near 2^\(result)"),
            d.cause!.description)
    }

    /// A fusion (a `call`) whose result is one op on its parameters is read
    /// as that op; a larger one is named as a whole.
    func testCallsAreReadThroughTheirRootOrNamedWhole() throws {
        func graph(body: String, root: String) -> String {
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}, {"name": "y", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "p", "op": "multiply", "operands": ["x", "y"]},
                       {"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                       {"name": "d", "op": "call", "operands": ["p", "one"], "computation": "fused"}],
             "outputs": ["d"],
             "computations": [{"name": "fused",
               "parameters": [{"name": "a", "dtype": "f32", "shape": []}, {"name": "b", "dtype": "f32", "shape": []}],
               "nodes": [\(body)], "root": "\(root)"}]}
            """
        }
        let inputs: [Tensor.Elements] = [.floats([Double(Float(1.000_123))]), .floats([Double(Float(0.999_877_1))])]
        let direct = try node(
            "d",
            localErrors(graph(body: #"{"name": "s", "op": "subtract", "operands": ["a", "b"]}"#, root: "s"), inputs))
        guard case .cancellation? = direct.cause else { return XCTFail("\(direct)") }
        let whole = try node(
            "d",
            localErrors(
                graph(
                    body: #"""
                        {"name": "s", "op": "subtract", "operands": ["a", "b"]},
                        {"name": "t", "op": "multiply", "operands": ["s", "b"]}
                        """#, root: "t"), inputs))
        XCTAssertEqual(whole.cause, .calledComputation(name: "fused", operations: 2))
        XCTAssertEqual(whole.cause?.kind, "called-computation")
    }

    func testAbsorbedAddendsInASum() throws {
        // 1 + four addends of 2^-25, each below half an ulp of 1: the f32 sum stays 1; the truth is 1 + 2^-23.
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [5]}],
             "nodes": [{"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
                       {"name": "s", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0], "reducer": "add"}],
             "outputs": ["s"]}
            """, [.floats([1] + Array(repeating: 0x1p-25, count: 4))])
        let s = try node("s", errors)
        XCTAssertEqual(s.ulps, 1)
        XCTAssertEqual(s.cause, .absorbedAddends(absorbed: 4, terms: 5, accumulatorExponent: 0))
    }

    func testOverflowOfAnOperandBecomesANaN() throws {
        // e^100 is beyond f32: e/(e+e) is inf/inf = NaN where the truth is 1/2.
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "e", "op": "exp", "operands": ["x"]},
                       {"name": "s", "op": "add", "operands": ["e", "e"]},
                       {"name": "y", "op": "divide", "operands": ["e", "s"]}],
             "outputs": ["y"]}
            """, [.floats([100])])
        XCTAssertEqual(try node("y", errors).cause, .overflow)
    }

    func testUnderflowFlushedToZero() throws {
        // 1e-20 squared is subnormal in f32: flushed to zero under FTZ.
        let x = Double(Float(1e-20))
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "y", "op": "multiply", "operands": ["x", "x"]}],
             "outputs": ["y"]}
            """, [.floats([x])], subnormals: .flush)
        XCTAssertEqual(try node("y", errors).cause, .underflow(flushedToZero: true))
    }

    func testNarrowingConversion() throws {
        // p = x·y in f32, then to bf16: 16 significand bits rounded away.
        let classifier = CauseClassifier(
            graph: try subject(Self.convertGraph).graph, exec: .declared, subnormals: .keep)
        let graph = try subject(Self.convertGraph).graph
        let convert = try XCTUnwrap(graph.entry.nodes.first { $0.name == "b" })
        let cause = classifier.cause(
            of: convert, operandTypes: [.array(ArrayType(.f32, []))], operands: [.floats([1.000_123])], element: 0,
            got: 1, want: 1.0078125, format: .bf16, ulps: 1)
        XCTAssertEqual(cause, .narrowingConversion(from: "f32", to: "bf16", droppedBits: 16))
    }

    func testOperandsCastToBF16BeforeADot() throws {
        // x and w cast to bf16, then an f32 dot: the casts' rounding is the dot's error.
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}, {"name": "w", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "xb", "op": "convert", "operands": ["x"], "dtype": "bf16"},
                       {"name": "wb", "op": "convert", "operands": ["w"], "dtype": "bf16"},
                       {"name": "y", "op": "dot", "operands": ["xb", "wb"], "lhs_contracting": [0],
                        "rhs_contracting": [0], "dtype": "f32"}],
             "outputs": ["y"]}
            """, [.floats([1.001, 2.003, 0.3337, 4.0011]), .floats([0.777, 1.2345, 3.21, 0.5])])
        XCTAssertEqual(try node("y", errors).cause, .narrowingConversion(from: "f32", to: "bf16", droppedBits: 16))
    }

    func testFunctionErrorAgainstOperandRounding() throws {
        let graph = try subject(Self.expGraph).graph
        let classifier = CauseClassifier(graph: graph, exec: .declared, subnormals: .keep)
        let exp = try XCTUnwrap(graph.entry.nodes.first { $0.name == "e" })
        let x = Double(Float(10.5))
        let exact = FloatFormat.f32.round(Foundation.exp(x))
        func cause(got: Double) throws -> ErrorCause {
            let provisional = classifier.cause(
                of: exp, operandTypes: [.array(ArrayType(.f32, []))], operands: [.floats([x])], element: 0, got: got,
                want: FloatFormat.f32.stepped(exact, by: 5), format: .f32, ulps: 5)
            XCTAssertEqual(provisional, .operandRounding(op: "exp"), "provisional until the exact check")
            return CauseClassifier.settle(try XCTUnwrap(classifier.pendingCheck.value))
        }
        // exp computed as the correctly rounded exp of its rounded operand: the operand's rounding carries.
        XCTAssertEqual(try cause(got: exact), .operandRounding(op: "exp"))
        // Three ulps off the correctly rounded value on the same operand: the implementation's error.
        XCTAssertEqual(try cause(got: FloatFormat.f32.stepped(exact, by: 3)), .functionError(function: "exp"))
    }

    func testAbsorptionInOneAddAndPlainRounding() throws {
        let graph = try subject(Self.addGraph).graph
        let classifier = CauseClassifier(graph: graph, exec: .declared, subnormals: .keep)
        let add = try XCTUnwrap(graph.entry.nodes.first { $0.name == "s" })
        let types: [ValueType] = [.array(ArrayType(.f32, [])), .array(ArrayType(.f32, []))]
        XCTAssertEqual(
            classifier.cause(
                of: add, operandTypes: types, operands: [.floats([1]), .floats([0x1p-30])], element: 0, got: 1,
                want: 1 + 0x1p-23, format: .f32, ulps: 1),
            .absorption(addendExponent: -30, accumulatorExponent: 0))
        XCTAssertEqual(
            classifier.cause(
                of: add, operandTypes: types, operands: [.floats([1]), .floats([0.75])], element: 0, got: 1.75,
                want: 1.75 + 0x1p-23, format: .f32, ulps: 0),
            .rounding)
    }

    func testDotProductsFollowBatchFreeAndContractedDimensions() {
        // lhs [2 batch, 2 free, 3 contracted], rhs [2 batch, 3 contracted, 2 free]: output [2, 2, 2].
        let lhs = (0..<12).map(Double.init)
        let rhs = (0..<12).map { Double($0) + 100 }
        let d = DotDimensions(lhsBatch: [0], rhsBatch: [0], lhsContracting: [2], rhsContracting: [1])
        // Output element 7 = [1, 1, 1]: lhs[1, 1, k] = 9 + k, rhs[1, k, 1] = 100 + 6 + 2k + 1.
        XCTAssertEqual(
            CauseClassifier.products(of: 7, lhs: (lhs, [2, 2, 3]), rhs: (rhs, [2, 3, 2]), d),
            [9 * 107, 10 * 109, 11 * 111])
    }

    func testAddendsFollowTheReducedDimensions() {
        // A [2, 3] tensor reduced over dimension 1: element 1 sums row 1; over 0: column 1.
        let values: [Double] = [1, 2, 3, 4, 5, 6]
        XCTAssertEqual(CauseClassifier.addends(of: 1, values: values, dimensions: [2, 3], reduced: [1]), [4, 5, 6])
        XCTAssertEqual(CauseClassifier.addends(of: 1, values: values, dimensions: [2, 3], reduced: [0]), [2, 5])
        XCTAssertEqual(CauseClassifier.addends(of: 0, values: values, dimensions: [2, 3], reduced: [0, 1]), values)
    }

    func testCauseIsInTheJSONReport() throws {
        var e = NodeError(node: "d", op: "subtract", location: nil, sourceName: nil, sourceLine: nil, bits: 6, ulps: 63)
        e.cause = .cancellation(operandExponent: 7, resultExponent: 1)
        e.spread = LocalErrorSpread(samples: 4, maxBits: 6, meanBits: 2.5, worstSample: 3)
        let json = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        XCTAssertTrue(json.contains(#""kind":"cancellation""#), json)
        XCTAssertTrue(json.contains("near 2^7 to a result near 2^1 (6 bits cancel)"), json)
        XCTAssertTrue(json.contains(#""mean_bits":2.5"#), json)
    }

    static let convertGraph = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "b", "op": "convert", "operands": ["x"], "dtype": "bf16"}],
         "outputs": ["b"]}
        """
    static let expGraph = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "e", "op": "exp", "operands": ["x"]}],
         "outputs": ["e"]}
        """
    static let addGraph = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}, {"name": "y", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "s", "op": "add", "operands": ["x", "y"]}],
         "outputs": ["s"]}
        """
}
