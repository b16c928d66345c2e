import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// Every elementwise float op of the IEEE evaluator, in every float dtype,
/// against the tables of make_reference.py (numpy and glibc libm via ctypes).
final class IEEEDomainTests: XCTestCase {
    static let floatDTypes: [DType] = [.f64, .f32, .f16, .bf16]

    func checkUnary(
        _ rows: [UnaryReference], dtype: DType, mode: ExecutionMode,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertFalse(rows.isEmpty, file: file, line: line)
        for row in rows {
            let graph = try buildGraph([N.parameter("x", 0, dtype, [row.inputs.count]), N.unary("y", row.op, "x")])
            let out = try evaluate(graph, in: IEEEDomain(mode: mode), [.floats(row.inputs)])
            let raw = (0..<row.inputs.count).map { out.outputDouble(0, $0) }
            assertSameFloats(
                raw, row.expected, "\(mode) \(dtype.rawValue) \(row.op.rawValue)", inputs: [row.inputs],
                file: file, line: line)
        }
    }

    func checkBinary(
        _ rows: [BinaryReference], dtype: DType, mode: ExecutionMode,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertFalse(rows.isEmpty, file: file, line: line)
        for row in rows {
            let n = row.lhs.count
            let graph = try buildGraph([
                N.parameter("a", 0, dtype, [n]), N.parameter("b", 1, dtype, [n]),
                N.binary("y", row.op, "a", "b"),
            ])
            let out = try evaluate(graph, in: IEEEDomain(mode: mode), [.floats(row.lhs), .floats(row.rhs)])
            let raw = (0..<n).map { out.outputDouble(0, $0) }
            assertSameFloats(
                raw, row.expected, "\(mode) \(dtype.rawValue) \(row.op.rawValue)",
                inputs: [row.lhs, row.rhs], file: file, line: line)
        }
    }

    // MARK: Declared precision

    func testF64UnaryOps() throws { try checkUnary(ElementwiseReference.f64Unary, dtype: .f64, mode: .declared) }
    func testF32UnaryOps() throws { try checkUnary(ElementwiseReference.f32Unary, dtype: .f32, mode: .declared) }
    func testF16UnaryOps() throws { try checkUnary(ElementwiseReference.f16Unary, dtype: .f16, mode: .declared) }
    func testBF16UnaryOps() throws { try checkUnary(ElementwiseReference.bf16Unary, dtype: .bf16, mode: .declared) }

    func testF64BinaryOps() throws { try checkBinary(ElementwiseReference.f64Binary, dtype: .f64, mode: .declared) }
    func testF32BinaryOps() throws { try checkBinary(ElementwiseReference.f32Binary, dtype: .f32, mode: .declared) }
    func testF16BinaryOps() throws { try checkBinary(ElementwiseReference.f16Binary, dtype: .f16, mode: .declared) }
    func testBF16BinaryOps() throws { try checkBinary(ElementwiseReference.bf16Binary, dtype: .bf16, mode: .declared) }

    /// The tables pin every float op (the rest — is-finite, compare, select,
    /// clamp — have tests of their own below).
    func testReferenceTablesCoverEveryFloatOp() {
        // Integer-only ops (logic, shifts, bit counts) are checked in IntegerKernelsTests.
        let unary = Set(UnaryOp.allCases).subtracting([.isFinite, .not, .copy, .popcnt, .clz])
        let binary = Set(BinaryOp.allCases).subtracting([
            .and, .or, .xor, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic,
        ])
        for (name, rows) in [
            ("f64", ElementwiseReference.f64Unary), ("f32", ElementwiseReference.f32Unary),
            ("f16", ElementwiseReference.f16Unary), ("bf16", ElementwiseReference.bf16Unary),
            ("double f32", ElementwiseReference.doubleModeF32Unary),
            ("double f16", ElementwiseReference.doubleModeF16Unary),
            ("mpfr", ElementwiseReference.mpfrUnary),
        ] {
            XCTAssertEqual(Set(rows.map(\.op)), unary, name)
        }
        for (name, rows) in [
            ("f64", ElementwiseReference.f64Binary), ("f32", ElementwiseReference.f32Binary),
            ("f16", ElementwiseReference.f16Binary), ("bf16", ElementwiseReference.bf16Binary),
            ("double f32", ElementwiseReference.doubleModeF32Binary),
            ("double f16", ElementwiseReference.doubleModeF16Binary),
            ("mpfr", ElementwiseReference.mpfrBinary),
        ] {
            XCTAssertEqual(Set(rows.map(\.op)), binary, name)
        }
    }

    // MARK: Double mode

    /// Double mode computes f32- and f16-typed graphs in binary64 (the double libm).
    func testDoubleModeComputesF32GraphsInBinary64() throws {
        try checkUnary(ElementwiseReference.doubleModeF32Unary, dtype: .f32, mode: .double)
        try checkBinary(ElementwiseReference.doubleModeF32Binary, dtype: .f32, mode: .double)
    }

    func testDoubleModeComputesF16GraphsInBinary64() throws {
        try checkUnary(ElementwiseReference.doubleModeF16Unary, dtype: .f16, mode: .double)
        try checkBinary(ElementwiseReference.doubleModeF16Binary, dtype: .f16, mode: .double)
    }

    /// Double mode holds unrounded values, and `outputValues()` rounds them to the output dtype.
    func testDoubleModeRoundsOnlyWhenOutputsAreRead() throws {
        let graph = try buildGraph([
            N.parameter("a", 0, .f16, [2]), N.parameter("b", 1, .f16, [2]),
            N.binary("y", .divide, "a", "b"),
        ])
        let interpreter = try evaluate(
            graph, in: IEEEDomain(mode: .double), [.floats([1, 60000]), .floats([3, 0.5])])
        XCTAssertEqual(interpreter.outputDouble(0, 0), 1.0 / 3.0)
        XCTAssertEqual(interpreter.outputDouble(0, 1), 120000)
        XCTAssertEqual(interpreter.outputValues(), [.floats([Double(Float16(1.0 / 3.0)), .infinity])])
        XCTAssertEqual(interpreter.output(0, 0, roundedTo: .bf16), 0x1.56p-2)
    }

    // MARK: Compare, select, clamp, is-finite

    func testCompareEveryDirectionInEveryDType() throws {
        let lhs = ElementwiseReference.compareLhs
        let rhs = ElementwiseReference.compareRhs
        XCTAssertEqual(ElementwiseReference.compare.count, ComparisonDirection.allCases.count)
        for dtype in Self.floatDTypes {
            for mode in ExecutionMode.allCases {
                for (direction, expected) in ElementwiseReference.compare {
                    let graph = try buildGraph([
                        N.parameter("a", 0, dtype, [lhs.count]), N.parameter("b", 1, dtype, [rhs.count]),
                        N.compare("y", direction, "a", "b"),
                    ])
                    let out = try Evaluator(ieee: mode)(graph, [.floats(lhs), .floats(rhs)])
                    assertIntegers(out[0], expected, "\(mode) \(dtype.rawValue) \(direction.rawValue)")
                }
            }
        }
    }

    func testSelectInEveryDType() throws {
        let p = ElementwiseReference.selectPredicate
        for dtype in Self.floatDTypes {
            for mode in ExecutionMode.allCases {
                let graph = try buildGraph([
                    N.parameter("p", 0, .pred, [p.count]), N.parameter("t", 1, dtype, [p.count]),
                    N.parameter("f", 2, dtype, [p.count]), N.op("y", .select, ["p", "t", "f"]),
                ])
                let out = try Evaluator(ieee: mode)(
                    graph,
                    [
                        .integers(p), .floats(ElementwiseReference.selectOnTrue),
                        .floats(ElementwiseReference.selectOnFalse),
                    ])
                assertFloats(out[0], ElementwiseReference.selectExpected, "\(mode) \(dtype.rawValue) select")
            }
        }
    }

    func testClampInEveryDType() throws {
        let lo = ElementwiseReference.clampLow
        let x = ElementwiseReference.clampOperand
        let hi = ElementwiseReference.clampHigh
        for dtype in Self.floatDTypes {
            for mode in ExecutionMode.allCases {
                let graph = try buildGraph([
                    N.parameter("lo", 0, dtype, [x.count]), N.parameter("x", 1, dtype, [x.count]),
                    N.parameter("hi", 2, dtype, [x.count]), N.op("y", .clamp, ["lo", "x", "hi"]),
                ])
                let out = try Evaluator(ieee: mode)(graph, [.floats(lo), .floats(x), .floats(hi)])
                assertFloats(out[0], ElementwiseReference.clampExpected, "\(mode) \(dtype.rawValue) clamp")
            }
        }
    }

    func testIsFiniteInEveryDType() throws {
        let x = ElementwiseReference.isFiniteInput
        for dtype in Self.floatDTypes {
            for mode in ExecutionMode.allCases {
                let graph = try buildGraph([N.parameter("x", 0, dtype, [x.count]), N.unary("y", .isFinite, "x")])
                let out = try Evaluator(ieee: mode)(graph, [.floats(x)])
                assertIntegers(out[0], ElementwiseReference.isFiniteExpected, "\(mode) \(dtype.rawValue) is-finite")
            }
        }
    }

    /// Rank-0 operands broadcast over the other operand (stride 0), on either side.
    func testScalarOperandsBroadcastInEveryEvaluator() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [4]), N.parameter("s", 1, .f32),
                N.binary("d", .subtract, "s", "x"),
                N.binary("q", .divide, "x", "s"),
                N.constant("lo", .f32, [0]), N.constant("hi", .f32, [1]),
                N.op("c", .clamp, ["lo", "x", "hi"]),
                N.compare("g", .gt, "x", "s"),
                N.op("sel", .select, ["g", "x", "s"]),
            ], outputs: ["d", "q", "c", "g", "sel"])
        let x: [Double] = [-1, 0.25, 3, 0.5]
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats(x), .floats([0.5])])
            assertFloats(out[0], [1.5, 0.25, -2.5, 0], "\(evaluator) s - x")
            assertFloats(out[1], [-2, 0.5, 6, 1], "\(evaluator) x / s")
            assertFloats(out[2], [0, 0.25, 1, 0.5], "\(evaluator) clamp(0, x, 1)")
            assertIntegers(out[3], [0, 0, 1, 0], "\(evaluator) x > s")
            assertFloats(out[4], [0.5, 0.5, 3, 0.5], "\(evaluator) select(x > s, x, s)")
        }
    }

    /// Declared precision rounds every intermediate: (0.1f + 0.2f) * 3 in f32
    /// differs from the double computation rounded at the end.
    func testDeclaredModeRoundsEveryIntermediateResult() throws {
        let graph = try buildGraph([
            N.parameter("a", 0, .f32), N.parameter("b", 1, .f32), N.constant("three", .f32, [3]),
            N.binary("s", .add, "a", "b"), N.binary("y", .multiply, "s", "three"),
        ])
        let a = Double(Float(0.1))
        let b = Double(Float(0.2))
        let declared = try evaluate(graph, in: IEEEDomain(mode: .declared), [.floats([a]), .floats([b])])
        let double = try evaluate(graph, in: IEEEDomain(mode: .double), [.floats([a]), .floats([b])])
        XCTAssertEqual(declared.outputDouble(0, 0), Double((Float(0.1) + Float(0.2)) * 3))
        XCTAssertEqual(double.outputDouble(0, 0), (a + b) * 3)
        XCTAssertNotEqual(declared.outputDouble(0, 0), double.outputDouble(0, 0))
    }

    func testDomainProperties() {
        XCTAssertEqual(IEEEDomain(mode: .declared).name, "declared")
        XCTAssertEqual(IEEEDomain(mode: .double).name, "double")
        XCTAssertTrue(IEEEDomain(mode: .declared).roundsConversions)
        XCTAssertFalse(IEEEDomain(mode: .double).roundsConversions)
        let domain = IEEEDomain(mode: .declared)
        let buffer = domain.makeBuffer(count: 5)
        domain.load([2.75, -2.75, .nan, 1e30, -.infinity], into: buffer)
        XCTAssertEqual(domain.truncatedInteger(buffer, 0), 2)
        XCTAssertEqual(domain.truncatedInteger(buffer, 1), -2)
        XCTAssertNil(domain.truncatedInteger(buffer, 2))
        XCTAssertEqual(domain.truncatedInteger(buffer, 3), Int64.max)
        XCTAssertEqual(domain.truncatedInteger(buffer, 4), Int64.min)
        XCTAssertEqual(domain.rounded(buffer, 0, to: .bf16), 2.75)
        XCTAssertEqual(domain.rounded(buffer, 3, to: .f16), .infinity)
        XCTAssertEqual(domain.rounded(buffer, 3, to: .f32), Double(Float(1e30)))
    }

    /// The one-pass dot products are the generic steps (each product rounded
    /// to the accumulation type, then added from +0 in order, rounded),
    /// bit for bit, in binary64 and binary32, declared and double mode, on
    /// values that cancel, overflow, underflow to subnormals, and hold ±0,
    /// ±∞ and NaN; with subnormals flushed the kernel takes the steps.
    func testSequentialDotsAreTheGenericSteps() {
        var g = RandomGraphPropertyTests.SeededGenerator(state: 11)
        let k = 33
        func value(_ dtype: DType) -> Double {
            let special: [Double] = [0, -0.0, 1e-40, -3e-42, 1e38, -1e308, .infinity, .nan, 1, -1]
            if Int.random(in: 0..<8, using: &g) == 0 {
                return FloatFormat(dtype: dtype).round(special.randomElement(using: &g)!)
            }
            let x = Double(
                sign: Bool.random(using: &g) ? .minus : .plus, exponent: Int.random(in: -30...30, using: &g),
                significand: Double.random(in: 1..<2, using: &g))
            return FloatFormat(dtype: dtype).round(x)
        }
        for (mode, dtype) in [(ExecutionMode.declared, DType.f32), (.declared, .f64), (.double, .f32)] {
            for trial in 0..<50 {
                let domain = IEEEDomain(mode: mode)
                let a = domain.makeBuffer(count: 2 * k)
                let b = domain.makeBuffer(count: 2 * k)
                domain.load((0..<(2 * k)).map { _ in value(dtype) }, into: a)
                domain.load((0..<(2 * k)).map { _ in value(dtype) }, into: b)
                let offsets = Array(0..<k)
                let fused = domain.makeBuffer(count: 2)
                XCTAssertTrue(
                    domain.sequentialDots(
                        a, b, lhsBases: [0, k], rhsBases: [k, 0], lhsOffsets: offsets, rhsOffsets: offsets,
                        dtype: dtype, into: fused))
                let steps = domain.makeBuffer(count: 2)
                let product = domain.makeBuffer(count: 1)
                for (o, (la, lb)) in [(0, k), (k, 0)].enumerated() {
                    for j in 0..<k {
                        domain.binaryElement(.multiply, dtype: dtype, a, la + j, b, lb + j, into: product, 0)
                        domain.binaryElement(.add, dtype: dtype, steps, o, product, 0, into: steps, o)
                    }
                    let (x, y) = (fused[o], steps[o])
                    XCTAssertTrue(
                        x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN),
                        "\(mode) \(dtype) trial \(trial) output \(o): \(x) against \(y)")
                }
            }
        }
        let flushing = IEEEDomain(mode: .declared, subnormals: .flush)
        let one = flushing.makeBuffer(count: 1)
        XCTAssertFalse(
            flushing.sequentialDots(
                one, one, lhsBases: [0], rhsBases: [0], lhsOffsets: [0], rhsOffsets: [0], dtype: .f32, into: one))
    }
}
