import FPGraph
import FPNumerics
import XCTest

@testable import FPEval

/// The MPFR truth domain at 200 bits, against mpmath (80 digits) correctly
/// rounded to binary64 by make_reference.py.
final class MPFRDomainTests: XCTestCase {
    func testUnaryOpsMatchMpmath() throws {
        XCTAssertFalse(ElementwiseReference.mpfrUnary.isEmpty)
        for row in ElementwiseReference.mpfrUnary {
            let graph = try buildGraph([N.parameter("x", 0, .f64, [row.inputs.count]), N.unary("y", row.op, "x")])
            let out = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(row.inputs)])
            assertSameFloats(f64Output(out), row.expected, "mpfr \(row.op.rawValue)", inputs: [row.inputs])
        }
    }

    func testBinaryOpsMatchMpmath() throws {
        XCTAssertFalse(ElementwiseReference.mpfrBinary.isEmpty)
        for row in ElementwiseReference.mpfrBinary {
            let n = row.lhs.count
            let graph = try buildGraph([
                N.parameter("a", 0, .f64, [n]), N.parameter("b", 1, .f64, [n]),
                N.binary("y", row.op, "a", "b"),
            ])
            let out = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(row.lhs), .floats(row.rhs)])
            assertSameFloats(f64Output(out), row.expected, "mpfr \(row.op.rawValue)", inputs: [row.lhs, row.rhs])
        }
    }

    /// The declared dtype does not make MPFR round: an f32 graph's outputs are
    /// the real function of the inputs, rounded only when read.
    func testF32GraphIsEvaluatedAsARealFunction() throws {
        XCTAssertFalse(ElementwiseReference.mpfrF32Unary.isEmpty)
        for row in ElementwiseReference.mpfrF32Unary {
            let graph = try buildGraph([N.parameter("x", 0, .f32, [row.inputs.count]), N.unary("y", row.op, "x")])
            let out = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(row.inputs)])
            assertSameFloats(
                f64Output(out), row.expected, "mpfr f32 graph \(row.op.rawValue) as f64", inputs: [row.inputs])
            assertFloats(out.outputValues()[0], row.expectedF32, "mpfr f32 graph \(row.op.rawValue) outputValues")
            let asF32 = (0..<row.inputs.count).map { out.output(0, $0, roundedTo: .f32) }
            assertSameFloats(asF32, row.expectedF32, "mpfr f32 graph \(row.op.rawValue) rounded to f32")
        }
    }

    func testSpecialValues() throws {
        let x: [Double] = [0, -0.0, -1, .infinity, -.infinity, .nan]
        let expectations: [(UnaryOp, [Double])] = [
            (.log, [-.infinity, -.infinity, .nan, .infinity, .nan, .nan]),
            (.sqrt, [0, -0.0, .nan, .infinity, .nan, .nan]),
            (.rsqrt, [.infinity, -.infinity, .nan, 0, .nan, .nan]),
            (.exp, [1, 1, 0x1.78b56362cef38p-2, .infinity, 0, .nan]),
            (.logistic, [0.5, 0.5, 0x1.136561454ba86p-2, 1, 0, .nan]),
            (.tanh, [0, -0.0, -0x1.85efab514f394p-1, 1, -1, .nan]),
            (.neg, [-0.0, 0, 1, -.infinity, .infinity, .nan]),
            (.abs, [0, 0, 1, .infinity, .infinity, .nan]),
            (.cbrt, [0, -0.0, -1, .infinity, -.infinity, .nan]),
            (.log1p, [0, -0.0, -.infinity, .infinity, .nan, .nan]),
            (.expm1, [0, -0.0, -0x1.43a54e4e98864p-1, .infinity, -1, .nan]),
            (.erf, [0, -0.0, -0x1.af767a741088bp-1, 1, -1, .nan]),
        ]
        for (op, expected) in expectations {
            let graph = try buildGraph([N.parameter("x", 0, .f64, [x.count]), N.unary("y", op, "x")])
            let out = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(x)])
            assertSameFloats(f64Output(out), expected, "mpfr \(op.rawValue)", inputs: [x])
        }
        let a: [Double] = [1, -1, 0, 0, -0.0, .infinity, 1, .nan]
        let b: [Double] = [0, 0, 0, -1, -1, .infinity, -0.0, 1]
        let binaries: [(BinaryOp, [Double])] = [
            (.divide, [.infinity, -.infinity, .nan, -0.0, 0, .nan, -.infinity, .nan]),
            (.subtract, [1, -1, 0, 1, 1, .nan, 1, .nan]),
            (
                .atan2,
                [
                    0x1.921fb54442d18p+0, -0x1.921fb54442d18p+0, 0, 0x1.921fb54442d18p+1, -0x1.921fb54442d18p+1,
                    0x1.921fb54442d18p-1, 0x1.921fb54442d18p+0, .nan,
                ]
            ),
        ]
        for (op, expected) in binaries {
            let graph = try buildGraph([
                N.parameter("a", 0, .f64, [a.count]), N.parameter("b", 1, .f64, [b.count]),
                N.binary("y", op, "a", "b"),
            ])
            let out = try evaluate(graph, in: MPFRDomain(precision: 200), [.floats(a), .floats(b)])
            assertSameFloats(f64Output(out), expected, "mpfr \(op.rawValue)", inputs: [a, b])
        }
    }

    func testCompareSelectClampAndIsFinite() throws {
        let lhs = ElementwiseReference.compareLhs
        let rhs = ElementwiseReference.compareRhs
        for (direction, expected) in ElementwiseReference.compare {
            let graph = try buildGraph([
                N.parameter("a", 0, .f64, [lhs.count]), N.parameter("b", 1, .f64, [rhs.count]),
                N.compare("y", direction, "a", "b"),
            ])
            assertIntegers(
                try Evaluator.mpfr200(graph, [.floats(lhs), .floats(rhs)])[0], expected, "mpfr \(direction.rawValue)")
        }
        let p = ElementwiseReference.selectPredicate
        let select = try buildGraph([
            N.parameter("p", 0, .pred, [p.count]), N.parameter("t", 1, .f32, [p.count]),
            N.parameter("f", 2, .f32, [p.count]), N.op("y", .select, ["p", "t", "f"]),
        ])
        assertFloats(
            try Evaluator.mpfr200(
                select,
                [
                    .integers(p), .floats(ElementwiseReference.selectOnTrue),
                    .floats(ElementwiseReference.selectOnFalse),
                ])[0],
            ElementwiseReference.selectExpected, "mpfr select")
        let n = ElementwiseReference.clampOperand.count
        let clamp = try buildGraph([
            N.parameter("lo", 0, .bf16, [n]), N.parameter("x", 1, .bf16, [n]),
            N.parameter("hi", 2, .bf16, [n]), N.op("y", .clamp, ["lo", "x", "hi"]),
        ])
        assertFloats(
            try Evaluator.mpfr200(
                clamp,
                [
                    .floats(ElementwiseReference.clampLow),
                    .floats(ElementwiseReference.clampOperand),
                    .floats(ElementwiseReference.clampHigh),
                ])[0],
            ElementwiseReference.clampExpected, "mpfr clamp")
        let x = ElementwiseReference.isFiniteInput
        let isFinite = try buildGraph([N.parameter("x", 0, .f16, [x.count]), N.unary("y", .isFinite, "x")])
        assertIntegers(
            try Evaluator.mpfr200(isFinite, [.floats(x)])[0], ElementwiseReference.isFiniteExpected, "mpfr is-finite")
    }

    /// MPFR's exponent range is far wider than binary64's: exp(1000) * exp(-1000)
    /// is 1 in MPFR, but inf * 0 = NaN in binary64.
    func testNoIntermediateOverflow() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f64), N.unary("e", .exp, "x"), N.unary("m", .neg, "x"), N.unary("f", .exp, "m"),
            N.binary("y", .multiply, "e", "f"),
        ])
        XCTAssertEqual(f64Output(try evaluate(graph, in: MPFRDomain(precision: 200), [.floats([1000])])), [1])
        XCTAssertTrue(try evaluate(graph, in: IEEEDomain(mode: .declared), [.floats([1000])]).outputDouble(0, 0).isNaN)
        let overflow = try buildGraph([N.parameter("x", 0, .f64), N.unary("y", .exp, "x")])
        XCTAssertEqual(
            f64Output(try evaluate(overflow, in: MPFRDomain(precision: 200), [.floats([1000])])), [.infinity],
            "a result beyond binary64 rounds to inf when read")
    }

    /// `(1e16 + x) - 1e16` with x = 1.5: binary64 loses the half (the sum rounds
    /// to 1e16 + 2); 128 bits keep it.
    func testCancellationDependsOnPrecision() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f64), N.constant("big", .f64, [1e16]),
            N.binary("s", .add, "big", "x"), N.binary("y", .subtract, "s", "big"),
        ])
        let input: [Tensor.Elements] = [.floats([1.5])]
        XCTAssertEqual(f64Output(try evaluate(graph, in: IEEEDomain(mode: .declared), input)), [2])
        XCTAssertEqual(f64Output(try evaluate(graph, in: IEEEDomain(mode: .double), input)), [2])
        XCTAssertEqual(f64Output(try evaluate(graph, in: MPFRDomain(precision: 128), input)), [1.5])
        XCTAssertEqual(f64Output(try evaluate(graph, in: MPFRDomain(precision: 200), input)), [1.5])
        // MPFRDomain works at 64 bits at least (documented: integers must convert
        // exactly), so a requested 53 bits runs at 64 bits, where 1e16 + 1.5
        // (55 significant bits) is exact.
        XCTAssertEqual(MPFRDomain(precision: 53).precision, 64)
        XCTAssertEqual(f64Output(try evaluate(graph, in: MPFRDomain(precision: 53), input)), [1.5])
        // At 64 bits the same cancellation shows one scale up: 1e20 + 1.5 rounds
        // to 1e20 (spacing 8), at 128 bits it does not.
        let wide = try buildGraph([
            N.parameter("x", 0, .f64), N.constant("big", .f64, [1e20]),
            N.binary("s", .add, "big", "x"), N.binary("y", .subtract, "s", "big"),
        ])
        XCTAssertEqual(f64Output(try evaluate(wide, in: MPFRDomain(precision: 64), input)), [0])
        XCTAssertEqual(f64Output(try evaluate(wide, in: MPFRDomain(precision: 128), input)), [1.5])
        XCTAssertEqual(f64Output(try evaluate(wide, in: IEEEDomain(mode: .declared), input)), [0])
    }

    func testDomainProperties() {
        let domain = MPFRDomain(precision: 200)
        XCTAssertEqual(domain.precision, 200)
        XCTAssertEqual(domain.name, "mpfr@200")
        XCTAssertFalse(domain.roundsConversions)
        let buffer = domain.makeBuffer(count: 4)
        domain.load([2.75, -2.75, .nan, 1e30], into: buffer)
        XCTAssertEqual(domain.truncatedInteger(buffer, 0), 2)
        XCTAssertEqual(domain.truncatedInteger(buffer, 1), -2)
        XCTAssertNil(domain.truncatedInteger(buffer, 2))
        XCTAssertEqual(domain.truncatedInteger(buffer, 3), Int64.max)
        XCTAssertEqual(domain.double(buffer, 1), -2.75)
        XCTAssertEqual(domain.rounded(buffer, 3, to: .f16), .infinity)
        XCTAssertEqual(domain.rounded(buffer, 3, to: .f32), Double(Float(1e30)))
        domain.loadIntegers([Int64.max, Int64.min], dtype: .f32, into: buffer)
        XCTAssertEqual(domain.truncatedInteger(buffer, 0), Int64.max, "integers load exactly (64 bits at least)")
        XCTAssertEqual(domain.truncatedInteger(buffer, 1), Int64.min)
    }
}
