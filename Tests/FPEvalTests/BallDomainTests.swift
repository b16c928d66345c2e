import FPGraph
import FPMPFR
import FPNumerics
import XCTest

@testable import FPEval

/// The double-double ball tier of the truth against MPFR at 2200 bits: every
/// op's ball holds the exact value of the op at the ends and the centre of
/// its operands' balls (or the domain says it did not decide), stays about
/// 2^-100 wide on exact operands, and decides an output's rounding only
/// when that rounding is the correct one.
final class BallDomainTests: XCTestCase {
    typealias Generator = RandomGraphPropertyTests.SeededGenerator

    let exact = MPFRDomain(precision: 2200)

    /// A random ball: a double-double centre with exponent in `exponents`, and
    /// a radius that is zero (a third of the time) or 2^-30 to 2^-100 of the centre.
    func randomBall(_ g: inout Generator, exponents: ClosedRange<Int> = -30...30) -> (DoubleDouble, Double) {
        let hi = Double(
            sign: Bool.random(using: &g) ? .minus : .plus, exponent: Int.random(in: exponents, using: &g),
            significand: Double.random(in: 1..<2, using: &g))
        let kind = Int.random(in: 0..<6, using: &g)
        if kind == 0 { return (DoubleDouble(hi), 0) }
        let lo = kind == 1 ? 0 : hi.ulp * Double.random(in: -0.5...0.5, using: &g)
        let radius =
            kind <= 2
            ? 0 : Swift.abs(hi) * Double(sign: .plus, exponent: -Int.random(in: 30...100, using: &g), significand: 1)
        return (DoubleDouble(hi, lo), radius)
    }

    /// The exact reals `c − r`, `c`, `c + r` of a ball.
    func points(_ ball: (DoubleDouble, Double)) -> [MPFRBuffer] {
        let (c, r) = ball
        let offsets = r == 0 ? [0.0] : [-r, 0, r]
        return offsets.map { offset in
            let v = exact.makeBuffer(count: 3)
            exact.load([c.hi, c.lo, offset], into: v)
            exact.binaryElement(.add, dtype: .f64, v, 0, v, 1, into: v, 0)
            exact.binaryElement(.add, dtype: .f64, v, 0, v, 2, into: v, 0)
            return v
        }
    }

    /// True when the exact value `v[0]` lies in the ball (NaN only in a NaN ball).
    func contains(_ ball: (DoubleDouble, Double), _ v: MPFRBuffer) -> Bool {
        if v.isNaN(0) { return ball.0.hi.isNaN }
        let ends = points(ball)
        return (ends.first!.compare(0, v, 0) ?? 1) <= 0 && (ends.last!.compare(0, v, 0) ?? -1) >= 0
    }

    /// Origins for the test's balls: every one a different real.
    var lastOrigin: UInt64 = 1 << 40

    func ballBuffer(_ balls: [(DoubleDouble, Double)]) -> BallBuffer {
        let b = BallBuffer(count: balls.count)
        for (i, ball) in balls.enumerated() {
            lastOrigin += 1
            b.set(i, ball.0, ball.1, origin: lastOrigin)
        }
        return b
    }

    /// A function result whose low part a later cancellation exposes is
    /// computed at the precision that resolves it: `1 + tanh(−89)` is
    /// 4.3e-78, not a ball around zero; a positive result below binary64's
    /// range keeps its sign through a division, and rounds to +0.
    func testTailsAndSignsSurviveCancellationAndUnderflow() {
        let domain = BallDomain()
        let x = BallBuffer(count: 6)
        domain.load([-89, 1, -5000, 3], into: x)
        domain.unary(.tanh, dtype: .f32, x, xStride: 0, into: x, count: 1)  // x[0] = tanh(−89)
        domain.binaryElement(.add, dtype: .f32, x, 0, x, 1, into: x, 4)
        XCTAssertFalse(domain.undecided)
        let exactTail = exact.makeBuffer(count: 2)
        exact.load([-89, 1], into: exactTail)
        exact.unary(.tanh, dtype: .f64, exactTail, xStride: 0, into: exactTail, count: 1)
        exact.binaryElement(.add, dtype: .f64, exactTail, 0, exactTail, 1, into: exactTail, 0)
        XCTAssertTrue(contains(x[4], exactTail), "\(x[4]) misses \(exactTail.double(0))")
        XCTAssertLessThan(x[4].radius, x[4].center.hi * 0x1p-40, "the tail is resolved")
        XCTAssertEqual(domain.decided(x, 4, in: .f64), exactTail.double(0))
        // exp(−5000) / 3: positive, far below binary64's range.
        let y = BallBuffer(count: 2)
        let z = BallBuffer(count: 1)
        domain.load([-5000], into: z)
        domain.unary(.exp, dtype: .f32, z, xStride: 1, into: y, count: 1)
        domain.binaryElement(.divide, dtype: .f32, y, 0, x, 3, into: y, 1)
        XCTAssertFalse(domain.undecided)
        XCTAssertEqual(domain.decided(y, 1, in: .f32)?.bitPattern, (0.0).bitPattern, "rounds to +0, not −0")
        domain.unary(.neg, dtype: .f32, y, xStride: 0, into: y, count: 1)
        XCTAssertEqual(domain.decided(y, 0, in: .f32)?.bitPattern, (-0.0).bitPattern)
        // In place, as a reduction accumulates: the sign is taken from the
        // operands before the result overwrites one of them.
        domain.binaryElement(.multiply, dtype: .f32, y, 1, y, 1, into: y, 1)
        XCTAssertEqual(domain.decided(y, 1, in: .f32)?.bitPattern, (0.0).bitPattern, "(+tiny)² rounds to +0")
        domain.binaryElement(.multiply, dtype: .f32, y, 1, y, 0, into: y, 1)
        XCTAssertFalse(domain.undecided)
        XCTAssertEqual(domain.decided(y, 1, in: .f32)?.bitPattern, (-0.0).bitPattern, "(+tiny)·(−tiny) rounds to −0")
    }

    /// A ball wholly outside a function's domain is NaN exactly (as MPFR and
    /// IEEE say at every point of it); one reaching into the domain is not decided.
    func testFunctionsOutsideTheirDomainAreNaNExactly() {
        let domain = BallDomain()
        let below = ballBuffer([(DoubleDouble(-3, 0x1p-60), 0x1p-40)])
        let y = BallBuffer(count: 1)
        for op in [UnaryOp.log, .sqrt, .log1p, .rsqrt] {
            domain.unary(op, dtype: .f32, below, xStride: 1, into: y, count: 1)
            XCTAssertTrue(y[0].center.hi.isNaN, "\(op) of a ball below its domain")
            XCTAssertFalse(domain.undecided, "\(op) of a ball below its domain is decided")
        }
        let aroundZero = ballBuffer([(DoubleDouble(0x1p-50), 0x1p-40)])
        domain.unary(.log, dtype: .f32, aroundZero, xStride: 1, into: y, count: 1)
        XCTAssertTrue(domain.undecided, "log of a ball around zero is not decided")
    }

    /// Copies keep their origin, so `x − x` and `x == max(x, y)` are exact;
    /// different reals with equal balls are not taken for one.
    func testOriginsMakeCopiesOfOneRealExact() {
        let domain = BallDomain()
        let x = BallBuffer(count: 4)
        domain.load([2, 3], into: x)
        domain.binaryElement(.divide, dtype: .f32, x, 0, x, 1, into: x, 2)  // 2/3, a ball
        domain.copyElement(from: x, 2, to: x, 3)
        let y = BallBuffer(count: 3)
        domain.binaryElement(.subtract, dtype: .f32, x, 2, x, 3, into: y, 0)
        XCTAssertEqual(y[0].center.hi.bitPattern, (0.0).bitPattern)
        XCTAssertEqual(y[0].radius, 0, "a copy minus its original is +0 exactly")
        domain.binaryElement(.minimum, dtype: .f32, x, 2, x, 0, into: y, 1)
        XCTAssertTrue(domain.compare(.eq, dtype: .f32, y, 1, x, 2), "min of separated balls is the lesser one")
        XCTAssertFalse(domain.undecided)
        // The same arithmetic again makes a different real as far as the domain knows.
        domain.binaryElement(.divide, dtype: .f32, x, 0, x, 1, into: y, 2)
        domain.binaryElement(.subtract, dtype: .f32, x, 2, y, 2, into: y, 0)
        XCTAssertGreaterThan(y[0].radius, 0)
        _ = domain.compare(.eq, dtype: .f32, x, 2, y, 2)
        XCTAssertTrue(domain.undecided, "two computed balls are not known to be equal")
    }

    func testBinaryOpsEncloseTheExactResultAtEveryPointOfTheirOperands() {
        var g = Generator(state: 7)
        let ops: [BinaryOp] = [.add, .subtract, .multiply, .divide, .maximum, .minimum, .power]
        for op in ops {
            var decided = 0
            for trial in 0..<300 {
                var a = randomBall(&g)
                var b = randomBall(&g)
                if op == .power {
                    // Positive bases and moderate exponents (pow of a negative base is real only at integers).
                    a = (DoubleDouble(Swift.abs(a.0.hi) + 0.5, a.0.hi < 0 ? -a.0.lo : a.0.lo), a.1)
                    b = trial % 3 == 0 ? (DoubleDouble(Double(trial % 7 - 3)), 0) : (DoubleDouble(b.0.hi / 0x1p25), 0)
                }
                if trial % 5 == 0 && op != .power {
                    // Near-cancellation: b close to a (or −a).
                    let flip = op == .add ? -1.0 : 1.0
                    b = (DoubleDouble(flip * a.0.hi, flip * (a.0.lo + a.0.hi.ulp * 0.25)), b.1 == 0 ? 0 : a.1)
                    if !(Swift.abs(b.0.lo) <= b.0.hi.ulp / 2) { b = (DoubleDouble(b.0.hi), b.1) }
                }
                let domain = BallDomain()
                let x = ballBuffer([a])
                let y = ballBuffer([b])
                let z = BallBuffer(count: 1)
                domain.binaryElement(op, dtype: .f64, x, 0, y, 0, into: z, 0)
                guard !domain.undecided else { continue }
                decided += 1
                let result = z[0]
                for p in points(a) {
                    for q in points(b) {
                        let v = exact.makeBuffer(count: 1)
                        exact.binaryElement(op, dtype: .f64, p, 0, q, 0, into: v, 0)
                        XCTAssertTrue(
                            contains(result, v),
                            "\(op) of \(a) and \(b) gave \(result), which misses \(v.double(0))")
                    }
                }
                if a.1 == 0 && b.1 == 0 && op != .power {
                    let scale = Swift.abs(result.center.hi) + Swift.abs(a.0.hi) + Swift.abs(b.0.hi)
                    XCTAssertLessThanOrEqual(
                        result.radius, scale * 0x1p-95 + 0x1p-1000, "\(op) of two points stays a tight ball")
                }
            }
            XCTAssertGreaterThan(decided, 200, "\(op): the balls decided \(decided) of 300")
        }
    }

    func testFunctionsEncloseTheExactResultOverTheWholeBall() {
        var g = Generator(state: 11)
        let ops: [UnaryOp] = [
            .exp, .expm1, .log, .log1p, .sqrt, .rsqrt, .cbrt, .tanh, .logistic, .sin, .cos, .erf, .atan, .sinh,
            .cosh, .asinh, .neg, .abs, .floor, .ceil, .roundNearestEven, .roundNearestAfz, .sign,
        ]
        for op in ops {
            var decided = 0
            for _ in 0..<120 {
                var a = randomBall(&g, exponents: -8...4)
                if [.log, .log1p, .sqrt, .rsqrt].contains(op) {
                    a = (DoubleDouble(Swift.abs(a.0.hi), a.0.hi < 0 ? -a.0.lo : a.0.lo), a.1)
                }
                let domain = BallDomain()
                let x = ballBuffer([a])
                let z = BallBuffer(count: 1)
                domain.unary(op, dtype: .f64, x, xStride: 1, into: z, count: 1)
                guard !domain.undecided else { continue }
                decided += 1
                for p in points(a) {
                    let v = exact.makeBuffer(count: 1)
                    exact.unary(op, dtype: .f64, p, xStride: 1, into: v, count: 1)
                    XCTAssertTrue(contains(z[0], v), "\(op) of \(a) gave \(z[0]), which misses \(v.double(0))")
                }
            }
            XCTAssertGreaterThan(decided, 100, "\(op): the balls decided \(decided) of 120")
        }
    }

    /// `exp` and `tanh` are bounded from one evaluation at the centre: the
    /// ball holds the exact function at both ends and the centre, is no
    /// wider than half the exact spread `|f(c + r) − f(c − r)|` plus the
    /// double-double's own rounding (so it decides what the two ends would),
    /// and an exactly representable result of a point stays a point.
    func testCentredExpAndTanhAreTightEnclosures() {
        var g = Generator(state: 23)
        for op in [UnaryOp.exp, .tanh] {
            var checked = 0
            for _ in 0..<400 {
                let a = randomBall(&g, exponents: -12...(op == .exp ? 6 : 7))
                let domain = BallDomain()
                let z = BallBuffer(count: 1)
                domain.unary(op, dtype: .f64, ballBuffer([a]), xStride: 1, into: z, count: 1)
                guard !domain.undecided else { continue }
                checked += 1
                let values = points(a).map { p -> MPFRBuffer in
                    let v = exact.makeBuffer(count: 1)
                    exact.unary(op, dtype: .f64, p, xStride: 1, into: v, count: 1)
                    return v
                }
                for v in values {
                    XCTAssertTrue(contains(z[0], v), "\(op) of \(a) gave \(z[0]), which misses \(v.double(0))")
                }
                let difference = exact.makeBuffer(count: 1)
                exact.binaryElement(.subtract, dtype: .f64, values.last!, 0, values.first!, 0, into: difference, 0)
                let spread = Swift.abs(difference.double(0)) / 2
                let scale = Swift.abs(values[values.count / 2].double(0))
                XCTAssertLessThanOrEqual(
                    z[0].1, spread * (1 + 0x1p-20) + scale * 0x1p-100 + 0x1p-1070, "\(op) of \(a) is too wide")
            }
            XCTAssertGreaterThan(checked, 350, "\(op): \(checked) of 400 decided")
        }
        for (op, x, y) in [(UnaryOp.exp, 0.0, 1.0), (.tanh, 0.0, 0.0), (.tanh, -0.0, -0.0)] {
            let domain = BallDomain()
            let z = BallBuffer(count: 1)
            domain.unary(op, dtype: .f64, ballBuffer([(DoubleDouble(x), 0)]), xStride: 1, into: z, count: 1)
            XCTAssertEqual(z[0].0.hi, y)
            XCTAssertEqual(z[0].0.hi.sign, y.sign)
            XCTAssertEqual(z[0].1, 0, "\(op)(\(x)) is exact")
        }
    }

    func testSpecialPointsFollowIEEE() {
        let domain = BallDomain()
        let x = ballBuffer([
            (DoubleDouble(-.infinity), 0), (DoubleDouble(-0.0), 0), (DoubleDouble(.nan), 0),
            (DoubleDouble(3, 0x1p-60), 0x1p-70),
        ])
        let z = BallBuffer(count: 1)
        domain.unary(.exp, dtype: .f32, x, xStride: 0, into: z, count: 1)
        XCTAssertEqual(z[0].center.hi, 0)
        XCTAssertEqual(z[0].radius, 0)
        domain.binaryElement(.add, dtype: .f32, x, 0, x, 3, into: z, 0)
        XCTAssertEqual(z[0].center.hi, -.infinity, "−∞ + a finite ball is −∞ exactly")
        domain.binaryElement(.maximum, dtype: .f32, x, 0, x, 3, into: z, 0)
        XCTAssertEqual(z[0].center, DoubleDouble(3, 0x1p-60), "max(−∞, x) is x")
        domain.binaryElement(.multiply, dtype: .f32, x, 1, x, 3, into: z, 0)
        XCTAssertEqual(z[0].center.hi.bitPattern, (-0.0).bitPattern, "−0 × a positive ball is −0 exactly")
        XCTAssertEqual(z[0].radius, 0)
        XCTAssertFalse(domain.undecided)
        domain.binaryElement(.add, dtype: .f32, x, 2, x, 3, into: z, 0)
        XCTAssertTrue(z[0].center.hi.isNaN)
        XCTAssertFalse(domain.undecided, "NaN propagates exactly")
        domain.binaryElement(.multiply, dtype: .f32, x, 0, x, 1, into: z, 0)
        XCTAssertTrue(z[0].center.hi.isNaN, "−∞ × −0 is NaN")
        // A comparison of overlapping balls is not decided.
        let y = ballBuffer([(DoubleDouble(1), 0x1p-60), (DoubleDouble(1, 0x1p-62), 0)])
        _ = domain.compare(.lt, dtype: .f32, y, 0, y, 1)
        XCTAssertTrue(domain.undecided)
        domain.reset()
        XCTAssertTrue(domain.compare(.lt, dtype: .f32, y, 1, x, 3), "separated balls compare exactly")
        XCTAssertFalse(domain.undecided)
    }

    func testSequentialDotsEncloseTheExactDotAndMatchTheSteps() {
        var g = Generator(state: 3)
        for trial in 0..<20 {
            let k = [1, 7, 64, 768][trial % 4]
            let a = (0..<k).map { _ in randomBall(&g, exponents: -4...4) }
            let b = (0..<k).map { _ in randomBall(&g, exponents: -4...4) }
            let (x, y) = (ballBuffer(a), ballBuffer(b))
            let domain = BallDomain()
            let fast = BallBuffer(count: 1)
            XCTAssertTrue(
                domain.sequentialDots(
                    x, y, lhsBases: [0], rhsBases: [0], lhsOffsets: Array(0..<k), rhsOffsets: Array(0..<k),
                    dtype: .f32, into: fast))
            XCTAssertFalse(domain.undecided)
            // The exact dot of the centres, and of the lower ends.
            for end in [0, -1] {
                let sum = exact.makeBuffer(count: 2)
                exact.load([0, 0], into: sum)
                for j in 0..<k {
                    let p = points(a[j])
                    let q = points(b[j])
                    let (pi, qi) = (end == 0 ? p.count / 2 : 0, end == 0 ? q.count / 2 : 0)
                    exact.binaryElement(.multiply, dtype: .f64, p[pi], 0, q[qi], 0, into: sum, 1)
                    exact.binaryElement(.add, dtype: .f64, sum, 0, sum, 1, into: sum, 0)
                }
                XCTAssertTrue(contains(fast[0], sum), "dot of \(k): \(fast[0]) misses \(sum.double(0))")
            }
            XCTAssertLessThan(fast[0].radius, Swift.abs(fast[0].center.hi) * 0x1p-20 + 0x1p-900)
        }
    }

    /// A matrix product's dots, computed tile by tile (``DotTiles``), are
    /// each the dot computed alone, and the outputs get new origins in
    /// output order: the same origins whatever order the work took.
    func testTiledDotsAreTheDotsAloneWithOriginsInOutputOrder() {
        var g = Generator(state: 9)
        let (rows, columns, k) = (20, 6, 96)
        let x = ballBuffer((0..<(rows * k)).map { _ in randomBall(&g, exponents: -4...4) })
        let w = ballBuffer((0..<(columns * k)).map { _ in randomBall(&g, exponents: -4...4) })
        let offsets = Array(0..<k)
        let lhsBases = (0..<rows).flatMap { r in Array(repeating: r * k, count: columns) }
        let rhsBases = (0..<rows).flatMap { _ in (0..<columns).map { $0 * k } }
        XCTAssertGreaterThan(DotTiles(lhsBases: lhsBases, terms: k, bytesPerTerm: 40).rowsPerTile, 1)
        let domain = BallDomain()
        let y = BallBuffer(count: rows * columns)
        XCTAssertTrue(
            domain.sequentialDots(
                x, w, lhsBases: lhsBases, rhsBases: rhsBases, lhsOffsets: offsets, rhsOffsets: offsets, dtype: .f32,
                into: y))
        for o in 0..<(rows * columns) {
            let alone = BallBuffer(count: 1)
            _ = BallDomain().sequentialDots(
                x, w, lhsBases: [lhsBases[o]], rhsBases: [rhsBases[o]], lhsOffsets: offsets, rhsOffsets: offsets,
                dtype: .f32, into: alone)
            XCTAssertEqual(y[o].center.hi.bitPattern, alone[0].center.hi.bitPattern, "output \(o)")
            XCTAssertEqual(y[o].center.lo.bitPattern, alone[0].center.lo.bitPattern, "output \(o)")
            XCTAssertEqual(y[o].radius.bitPattern, alone[0].radius.bitPattern, "output \(o)")
            if o > 0 { XCTAssertEqual(y.origin[o], y.origin[o - 1] + 1, "origins in output order") }
        }
    }

    /// `decided` gives the correct rounding whenever it answers, and refuses a
    /// ball around a rounding boundary.
    func testDecidedRoundingIsTheCorrectRounding() {
        var g = Generator(state: 5)
        let domain = BallDomain()
        var answered = 0
        for trial in 0..<2000 {
            let f32Tie = trial % 4 == 0
            var (c, r) = randomBall(&g)
            if f32Tie {
                // Centre exactly halfway between two binary32 values.
                let f = Float(c.hi)
                c = DoubleDouble(Double(f) + Double(f.ulp) / 2, 0)
                r = trial % 8 == 0 ? 0 : 0x1p-90
            }
            let x = ballBuffer([(c, r)])
            for format in [FloatFormat.f32, .f64, .bf16] {
                guard let v = domain.decided(x, 0, in: format) else { continue }
                answered += 1
                for p in points((c, r)) {
                    XCTAssertEqual(
                        v.bitPattern, exact.rounded(p, 0, to: format).bitPattern,
                        "\(c) ± \(r) decided to \(v) in \(format)")
                }
            }
        }
        XCTAssertGreaterThan(answered, 3000)
    }
}
