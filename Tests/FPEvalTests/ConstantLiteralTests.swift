import FPGraph
import FPMPFR
import FPNumerics
import XCTest
import _TestSupport

@testable import FPEval

/// Constants that keep a decimal literal (`Tensor.literals`): the truth and
/// its enclosures use the real number written, the IEEE evaluators its
/// rounding to the dtype.
final class ConstantLiteralTests: XCTestCase {
    /// `y = x * c`, c the f32 constant written as 0.1.
    let times01 = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "c", "op": "constant", "dtype": "f32", "value": 0.1},
                   {"name": "y", "op": "multiply", "operands": ["x", "c"]}],
         "outputs": ["y"]}
        """

    /// x (an f32) and x·0.1 at 200 bits to 55 digits, from make_literal_reference.py (mpmath).
    static let reference: [(Double, String)] = [
        (0x1.8000000000000p+1, "3.000000000000000000000000000000000000000000000000000000e-1"),
        (0x1.6666660000000p-1, "6.999999880790710449218750000000000000000000000000000000e-2"),
        (0x1.4484c00000000p-100, "1.000000003171076850971051347135264753814751475646110945e-31"),
        (-0x1.81cd6c0000000p+13, "-1.234567773437500000000000000000000000000000000000000000e3"),
    ]

    func testTheTruthUsesTheLiteralAndIEEETheRoundedConstant() throws {
        let g = try graph(times01)
        for (x, expected) in Self.reference {
            let truth = try evaluate(g, in: MPFRDomain(precision: 200), [.floats([x])])
            XCTAssertEqual(truth.outputDecimal(0, 0, digits: 55), expected, "x = \(x)")
            // The f32 computation multiplies by 0x1.99999ap-4, as before.
            let ieee = try evaluate(g, in: IEEEDomain(mode: .declared, subnormals: .keep), [.floats([x])])
            XCTAssertEqual(ieee.outputDouble(0, 0), Double(Float(x) * Float(0.1)), "x = \(x)")
            let double = try evaluate(g, in: IEEEDomain(mode: .double, subnormals: .keep), [.floats([x])])
            XCTAssertEqual(double.outputDouble(0, 0), x * Double(Float(0.1)), "x = \(x)")
        }
        // The same graph with the hex constant: the truth is x times the rounded constant.
        let hex = try graph(times01.replacingOccurrences(of: #""value": 0.1"#, with: #""value": "0x1.99999ap-4""#))
        let truth = try evaluate(hex, in: MPFRDomain(precision: 200), [.floats([3])])
        XCTAssertEqual(truth.outputDecimal(0, 0, digits: 30), "3.00000004470348358154296875000e-1")
    }

    /// Literals of several dtypes, subnormal ranges and beyond them.
    static let literals: [(dtype: String, text: String)] = [
        ("f32", "0.1"), ("f32", "-0.7978845608028654"), ("f32", "1e-40"), ("f32", "1e-50"),
        ("bf16", "0.1"), ("bf16", "3.14159"), ("bf16", "1e-40"), ("f16", "6e-5"), ("f16", "0.3"),
        ("f64", "0.1"), ("f64", "1e-310"), ("f64", "1e23"),
    ]

    /// Loads each literal into `domain` as a one-element constant would.
    func loaded<D: RealDomain>(_ domain: D, _ text: String, dtype: String) throws -> D.Buffer {
        let format = try XCTUnwrap(FloatFormat(name: dtype))
        let buffer = domain.makeBuffer(count: 1)
        domain.load([format.round(try XCTUnwrap(NumberText.parse(text)))], literals: [0: text], into: buffer)
        return buffer
    }

    /// The exact sum of `parts` (2048 bits hold any sum of a few doubles exactly).
    func exactSum(_ parts: [Double], in mpfr: MPFRDomain) -> MPFRBuffer {
        let total = mpfr.makeBuffer(count: 1)
        let part = mpfr.makeBuffer(count: 1)
        let next = mpfr.makeBuffer(count: 1)
        mpfr.load([parts[0]], into: total)
        for p in parts.dropFirst() {
            mpfr.load([p], into: part)
            mpfr.binary(.add, dtype: .f64, total, aStride: 0, part, bStride: 0, into: next, count: 1)
            mpfr.copyElement(from: next, 0, to: total, 0)
        }
        return total
    }

    /// `Σ lower ≤ literal ≤ Σ upper`, decided by MPFR at 2048 bits.
    func assertEncloses(
        lower: [Double], upper: [Double], _ text: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let mpfr = MPFRDomain(precision: 2048)
        let exact = mpfr.makeBuffer(count: 1)
        mpfr.load([0], literals: [0: text], into: exact)
        let lo = exactSum(lower, in: mpfr)
        let hi = exactSum(upper, in: mpfr)
        XCTAssertTrue(
            mpfr.compare(.le, dtype: .f64, lo, 0, exact, 0), "lower end above \(text)", file: file, line: line)
        XCTAssertTrue(
            mpfr.compare(.ge, dtype: .f64, hi, 0, exact, 0), "upper end below \(text)", file: file, line: line)
    }

    func testIntervalsHoldTheNearestDoublesAroundTheLiteral() throws {
        for (dtype, text) in Self.literals {
            let b = try loaded(IntervalDomain(), text, dtype: dtype)
            let (lo, hi) = b[0]
            assertEncloses(lower: [lo], upper: [hi], text)
            // The tightest: adjacent doubles (none of the literals is a binary64 value),
            // one of them the nearest.
            XCTAssertEqual(lo.nextUp, hi, "\(dtype) \(text)")
            let nearest = try XCTUnwrap(Double(text))
            XCTAssertTrue(nearest == lo || nearest == hi, "\(dtype) \(text)")
        }
    }

    func testBallsHoldTheLiteralTightly() throws {
        for (dtype, text) in Self.literals {
            let b = try loaded(BallDomain(), text, dtype: dtype)
            let (center, radius) = b[0]
            assertEncloses(lower: [center.hi, center.lo, -radius], upper: [center.hi, center.lo, radius], text)
            let value = try XCTUnwrap(Double(text))
            XCTAssertLessThanOrEqual(radius, max(value.magnitude * 0x1p-100, 0x1p-1073), "\(dtype) \(text)")
        }
    }

    func testMPFRReadsTheLiteralAtItsPrecision() throws {
        // 0.1 at 64 bits: 0xc.ccccccccccccccdp-7 (rounded up).
        let domain = MPFRDomain(precision: 64)
        let b = try loaded(domain, "0.1", dtype: "f32")
        XCTAssertEqual(domain.decimal(b, 0, digits: 25), "1.000000000000000000013553e-1")
    }
}
