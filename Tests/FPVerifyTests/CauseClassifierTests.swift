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

    /// `y = x * broadcast(k)` in bf16, k written as `constant` (sqrt(2/pi) in
    /// decimal, or its bf16 value in hex), at x = 1 + i/64 for i in 0..<64.
    static func constantGraph(_ constant: String) -> String {
        """
        {"parameters": [{"name": "x", "dtype": "bf16", "shape": [64]}],
         "nodes": [{"name": "k", "op": "constant", "dtype": "bf16", "value": \(constant)},
                   {"name": "kb", "op": "broadcast", "operands": ["k"], "dimensions": [], "shape": [64]},
                   {"name": "y", "op": "multiply", "operands": ["x", "kb"]}],
         "outputs": ["y"]}
        """
    }
    static let ramp: [Tensor.Elements] = [.floats((0..<64).map { 1 + Double($0) / 64 })]

    /// The truth multiplies by sqrt(2/pi), bf16 by its rounding 0x1.98p-1
    /// (relative error 1.3e-3): the multiply is exact up to its rounding, and
    /// the literal accounts for the error, so the constant is named.
    func testConstantRoundingNamesTheConstant() throws {
        let errors = Localizer.settled(try localErrors(Self.constantGraph("0.7978845608028654"), Self.ramp))
        let y = try node("y", errors)
        XCTAssertGreaterThanOrEqual(y.ulps, 1, "\(errors)")
        guard case .constantRounding(let constant, let literal, let dtype, let relativeError)? = y.cause else {
            return XCTFail("\(y)")
        }
        XCTAssertEqual(constant, "k")
        XCTAssertEqual(literal, "0.7978845608028654")
        XCTAssertEqual(dtype, "bf16")
        // |0x1.98p-1 − 0.7978845608028654| / 0.7978845608028654
        XCTAssertEqual(relativeError, (0.7978845608028654 - 0x1.98p-1) / 0.7978845608028654, accuracy: 1e-15)
        XCTAssertEqual(y.cause?.kind, "constant-rounding")
        XCTAssertEqual(
            y.cause?.description, "the constant k is 0.7978845608028654 rounded to bf16 (relative error 1.3e-03)")
        // The data movement is exact and not measured.
        XCTAssertNil(errors.first { $0.node == "kb" })
    }

    /// The same graph with the constant written as its bf16 value (hex): the
    /// truth multiplies by that value, and nothing is lost.
    func testHexConstantIsNotARoundedConstant() throws {
        let errors = Localizer.settled(try localErrors(Self.constantGraph(#""0x1.98p-1""#), Self.ramp))
        let y = try node("y", errors)
        XCTAssertEqual(y.ulps, 0, "\(errors)")
        XCTAssertNil(y.cause)
        XCTAssertFalse(errors.contains { $0.cause?.kind == "constant-rounding" }, "\(errors)")
    }

    /// A widening convert of a rounded constant is exact itself: the constant is named at once.
    func testWideningConvertOfARoundedConstant() throws {
        let errors = try localErrors(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "k", "op": "constant", "dtype": "bf16", "value": 0.1},
                       {"name": "kf", "op": "convert", "operands": ["k"], "dtype": "f32"},
                       {"name": "y", "op": "multiply", "operands": ["x", "kf"]}],
             "outputs": ["y"]}
            """, [.floats([3])])
        let kf = try node("kf", errors)
        XCTAssertGreaterThan(kf.bits, 10, "\(errors)")
        XCTAssertEqual(kf.cause?.kind, "constant-rounding", "\(kf)")
    }

    /// When the literal in the constant's place does not bring the result
    /// within half the error of the truth, the other operand's rounding dominates.
    func testOtherOperandRoundingDominatesTheConstant() throws {
        let graph = try subject(Self.constantGraph("0.7978845608028654")).graph
        let classifier = CauseClassifier(graph: graph, exec: .declared, subnormals: .keep)
        let y = try XCTUnwrap(graph.entry.nodes.first { $0.name == "y" })
        let types: [ValueType] = [.array(ArrayType(.bf16, [64])), .array(ArrayType(.bf16, [64]))]
        // At x = 1.03125 the literal moves the product by one bf16 ulp.
        let x = 1.03125
        let got = FloatFormat.bf16.round(x * 0x1.98p-1)
        let withLiteral = FloatFormat.bf16.round(x * 0.7978845608028654)
        func settled(want: Double, ulps: Double) throws -> ErrorCause {
            _ = classifier.cause(
                of: y, operandTypes: types, operands: [.floats([x]), .floats([0x1.98p-1])], element: 0, got: got,
                want: want, format: .bf16, ulps: ulps)
            return CauseClassifier.settle(try XCTUnwrap(classifier.pendingCheck.value))
        }
        // The truth is what the literal gives: the constant's rounding is the error.
        XCTAssertEqual(FloatFormat.bf16.ulpDistance(got, withLiteral), 1)
        XCTAssertEqual(try settled(want: withLiteral, ulps: 1).kind, "constant-rounding")
        // The truth is 4 ulps away, and the literal moves the result by at most one: not the constant.
        let far = FloatFormat.bf16.stepped(got, by: 4)
        XCTAssertEqual(try settled(want: far, ulps: 4), .operandRounding(op: "multiply"))
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
