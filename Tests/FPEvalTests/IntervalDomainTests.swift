import FPGraph
import FPMPFR
import FPNumerics
import XCTest

@testable import FPEval

/// The interval tier of the truth against MPFR: the directed roundings are the
/// tightest doubles around the exact result, and every op's interval holds
/// the exact (2048-bit MPFR) value of the op at any point of its operands'
/// intervals, or the domain says it did not decide.
final class IntervalDomainTests: XCTestCase {
    /// The property tests' seeded splitmix64.
    typealias Generator = RandomGraphPropertyTests.SeededGenerator

    /// A double with a random sign, significand and exponent in `exponents`
    /// (the ends of the range included: subnormals, near overflow), or one of
    /// a few special values.
    func randomDouble(_ g: inout Generator, exponents: ClosedRange<Int> = -1074...1023) -> Double {
        switch Int.random(in: 0..<20, using: &g) {
        case 0:
            return [0.0, -0.0, 1, -1, 0.5, 2, .leastNonzeroMagnitude, .greatestFiniteMagnitude].randomElement(
                using: &g)!
        case 1: return Double(Int.random(in: -100...100, using: &g))
        default:
            let significand = Double.random(in: 1..<2, using: &g)
            let x = Double(
                sign: Bool.random(using: &g) ? .minus : .plus,
                exponent: Int.random(in: exponents, using: &g), significand: significand)
            return x
        }
    }

    let exact = MPFRDomain(precision: 2200)

    /// The exact value of `op(a, b)` (for + − ×: exactly; ÷ and √: to 2200 bits).
    func exactValue(_ op: BinaryOp, _ a: Double, _ b: Double) -> MPFRBuffer {
        let x = exact.makeBuffer(count: 1)
        let y = exact.makeBuffer(count: 1)
        let z = exact.makeBuffer(count: 1)
        exact.load([a], into: x)
        exact.load([b], into: y)
        exact.binary(op, dtype: .f64, x, aStride: 1, y, bStride: 1, into: z, count: 1)
        return z
    }

    /// -1, 0 or 1 as `d` compares with `v[0]`.
    func order(_ d: Double, _ v: MPFRBuffer) -> Int {
        let b = exact.makeBuffer(count: 1)
        exact.load([d], into: b)
        return b.compare(0, v, 0) ?? 99
    }

    /// `down` is the largest double at or below the exact value, `up` the least at or above.
    /// Tightness is asserted only where the error-free transformations are exact
    /// (`tight`); near the bottom of the exponent range the bounds are widened
    /// by one more ulp, which the first two assertions still check are bounds.
    func checkTightest(_ down: Double, _ up: Double, _ v: MPFRBuffer, _ label: String, tight: Bool = true) {
        if v.isNaN(0) {
            XCTAssertTrue(down.isNaN && up.isNaN, label)
            return
        }
        XCTAssertLessThanOrEqual(order(down, v), 0, "\(label): down \(down) above the exact value")
        XCTAssertGreaterThanOrEqual(order(up, v), 0, "\(label): up \(up) below the exact value")
        // Tight: the next double beyond each bound is past the exact value (or infinite where it overflowed).
        guard tight else { return }
        if down.isFinite && down != .greatestFiniteMagnitude {
            XCTAssertGreaterThan(order(down.nextUp, v), 0, "\(label): down \(down) is not the tightest")
        }
        if up.isFinite && up != -.greatestFiniteMagnitude {
            XCTAssertLessThan(order(up.nextDown, v), 0, "\(label): up \(up) is not the tightest")
        }
    }

    func testDirectedRoundingIsTheTightestBoundOfTheExactResult() {
        var g = Generator(state: 42)
        for trial in 0..<4000 {
            // Mostly nearby exponents (so sums round), sometimes anything.
            let wide = trial % 4 == 0
            let a = randomDouble(&g, exponents: wide ? -1074...1023 : -40...40)
            let b = randomDouble(&g, exponents: wide ? -1074...1023 : -40...40)
            let label = "\(a.debugDescription) op \(b.debugDescription)"
            let tiny = 0x1p-900
            let small = Swift.abs(a) < tiny || Swift.abs(b) < tiny
            func normal(_ r: Double) -> Bool { !small && Swift.abs(r) >= tiny }
            checkTightest(
                DirectedRounding.addDown(a, b), DirectedRounding.addUp(a, b), exactValue(.add, a, b), "add \(label)")
            checkTightest(
                DirectedRounding.multiplyDown(a, b), DirectedRounding.multiplyUp(a, b), exactValue(.multiply, a, b),
                "multiply \(label)", tight: normal(a * b))
            if b != 0 {
                checkTightest(
                    DirectedRounding.divideDown(a, b), DirectedRounding.divideUp(a, b), exactValue(.divide, a, b),
                    "divide \(label)", tight: normal(a / b))
            }
            let r = Swift.abs(a)
            let x = exact.makeBuffer(count: 1)
            let s = exact.makeBuffer(count: 1)
            exact.load([r], into: x)
            exact.unary(.sqrt, dtype: .f64, x, xStride: 1, into: s, count: 1)
            checkTightest(
                DirectedRounding.squareRootDown(r), DirectedRounding.squareRootUp(r), s, "sqrt \(r.debugDescription)",
                tight: r == 0 || r >= 0x1p-900)
        }
    }

    /// Checks that `[l, h]` (the op's interval) holds the exact `op` at several points of
    /// the operand intervals, unless the domain gave up.
    func checkUnary(_ op: UnaryOp, _ l: Double, _ h: Double, _ label: String) -> Bool {
        let domain = IntervalDomain()
        let x = domain.makeBuffer(count: 1)
        let y = domain.makeBuffer(count: 1)
        x.set(0, l, h)
        domain.unary(op, dtype: .f32, x, xStride: 1, into: y, count: 1)
        if domain.undecided { return false }
        let (lo, hi) = y[0]
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let point = t == 0 || l.bitPattern == h.bitPattern ? l : (t == 1 ? h : l + (h - l) * t)
            guard point >= l && point <= h else { continue }
            let truth = MPFRDomain(precision: 256)
            let px = truth.makeBuffer(count: 1)
            let py = truth.makeBuffer(count: 1)
            truth.load([point], into: px)
            truth.unary(op, dtype: .f64, px, xStride: 1, into: py, count: 1)
            if py.isNaN(0) {
                XCTAssertTrue(lo.isNaN, "\(op) at \(point) of \(label): NaN truth, bounds [\(lo), \(hi)]")
                continue
            }
            XCTAssertLessThanOrEqual(order(lo, py), 0, "\(op) at \(point) of \(label): lower bound \(lo) too high")
            XCTAssertGreaterThanOrEqual(order(hi, py), 0, "\(op) at \(point) of \(label): upper bound \(hi) too low")
        }
        return true
    }

    func testEveryUnaryFloatOpEnclosesTheExactFunction() {
        let ops: [UnaryOp] = [
            .neg, .abs, .sign, .exp, .expm1, .log, .log1p, .sqrt, .rsqrt, .cbrt, .tanh, .logistic, .sin, .cos, .tan,
            .erf, .floor, .ceil, .roundNearestEven, .roundNearestAfz, .atan, .sinh, .cosh, .asin, .acos, .asinh,
            .acosh, .atanh,
        ]
        var g = Generator(state: 7)
        for op in ops {
            var decided = 0
            for trial in 0..<300 {
                let a = randomDouble(&g, exponents: -30...(trial % 10 == 0 ? 1023 : 8))
                let width = trial % 3 == 0 ? 0 : Swift.abs(a) * Double.random(in: 0..<0.01, using: &g)
                let (l, h) = (a, a + width)
                if checkUnary(op, l, h, "[\(l), \(h)]") { decided += 1 }
            }
            // Special points are exact where C fixes them.
            for v in [0.0, -0.0, .infinity, -.infinity] { _ = checkUnary(op, v, v, "\(v)") }
            XCTAssertGreaterThan(decided, 100, "\(op): the intervals should decide most points")
        }
    }

    func testEveryBinaryFloatOpEnclosesTheExactFunction() {
        let ops: [BinaryOp] = [.add, .subtract, .multiply, .divide, .remainder, .power, .maximum, .minimum, .atan2]
        var g = Generator(state: 11)
        for op in ops {
            var decided = 0
            for trial in 0..<300 {
                let a = randomDouble(&g, exponents: -20...20)
                let b = randomDouble(&g, exponents: -20...20)
                let widen = trial % 2 == 0
                let (al, ah) = (a, widen ? a + Swift.abs(a) * 0.001 : a)
                let (bl, bh) = (b, widen ? b + Swift.abs(b) * 0.001 : b)
                let domain = IntervalDomain()
                let x = domain.makeBuffer(count: 1)
                let y = domain.makeBuffer(count: 1)
                let z = domain.makeBuffer(count: 1)
                x.set(0, al, ah)
                y.set(0, bl, bh)
                domain.binary(op, dtype: .f32, x, aStride: 1, y, bStride: 1, into: z, count: 1)
                if domain.undecided { continue }
                decided += 1
                let (lo, hi) = z[0]
                for (p, q) in [(al, bl), (ah, bh), (al, bh), (ah, bl)] {
                    let truth = MPFRDomain(precision: 256)
                    let (pa, pb, pz) = (
                        truth.makeBuffer(count: 1), truth.makeBuffer(count: 1), truth.makeBuffer(count: 1)
                    )
                    truth.load([p], into: pa)
                    truth.load([q], into: pb)
                    truth.binary(op, dtype: .f64, pa, aStride: 1, pb, bStride: 1, into: pz, count: 1)
                    let label = "\(op)(\(p), \(q)) in [\(al), \(ah)] x [\(bl), \(bh)]"
                    if pz.isNaN(0) {
                        XCTAssertTrue(lo.isNaN, "\(label): NaN truth, bounds [\(lo), \(hi)]")
                        continue
                    }
                    XCTAssertLessThanOrEqual(order(lo, pz), 0, "\(label): lower bound \(lo) too high")
                    XCTAssertGreaterThanOrEqual(order(hi, pz), 0, "\(label): upper bound \(hi) too low")
                }
            }
            XCTAssertGreaterThan(decided, 100, "\(op): the intervals should decide most operand pairs")
        }
    }

    func testUndecidedComparisonsAndTruncationsAreRecorded() {
        let domain = IntervalDomain()
        let a = domain.makeBuffer(count: 2)
        let b = domain.makeBuffer(count: 2)
        a.set(0, 1, 2)
        b.set(0, 3, 3)
        a.set(1, 1, 2)
        b.set(1, 1.5, 1.5)
        XCTAssertTrue(domain.compare(.lt, dtype: .f32, a, 0, b, 0))
        XCTAssertFalse(domain.undecided, "separated intervals compare exactly")
        _ = domain.compare(.lt, dtype: .f32, a, 1, b, 1)
        XCTAssertTrue(domain.undecided, "overlapping intervals do not decide a comparison")
        domain.reset()
        a.set(0, 2.5, 2.75)
        XCTAssertEqual(domain.truncatedInteger(a, 0), 2)
        XCTAssertFalse(domain.undecided)
        a.set(0, 2.5, 3.25)
        _ = domain.truncatedInteger(a, 0)
        XCTAssertTrue(domain.undecided, "a truncation across an integer is not decided")
    }

    func testDecidedRoundingNeedsTheWholeIntervalInOneCell() {
        let domain = IntervalDomain()
        let x = domain.makeBuffer(count: 3)
        x.set(0, 1.0, 1.0 + 0x1p-30)  // inside the f32 cell of 1
        x.set(1, 1.0 + 0x1p-24 - 0x1p-40, 1.0 + 0x1p-24 + 0x1p-40)  // straddles the midpoint to the next f32
        x.set(2, -0x1p-160, 0x1p-160)  // rounds to -0 and +0 in f32
        XCTAssertEqual(domain.decided(x, 0, in: .f32), 1.0)
        XCTAssertNil(domain.decided(x, 1, in: .f32))
        XCTAssertNil(domain.decided(x, 2, in: .f32), "zeros of different signs are different results")
        XCTAssertNil(domain.decided(x, 0, in: .f64), "binary64 cells are narrower than the interval")
    }

    /// A step whose result overwrites an operand (a reduction's accumulator)
    /// judges a NaN result on the operands as they were: `∞ + [−∞, −max]`
    /// (an exact infinity plus a finite product that overflowed) is not the
    /// NaN of `∞ − ∞`, so the interval gives up rather than claim NaN.
    func testAnInPlaceStepJudgesANaNOnItsOperandsAsTheyWere() {
        let domain = IntervalDomain()
        let x = domain.makeBuffer(count: 2)
        x.set(0, .infinity, .infinity)
        x.set(1, -.infinity, -.greatestFiniteMagnitude)
        domain.binaryElement(.add, dtype: .f32, x, 0, x, 1, into: x, 0)
        XCTAssertTrue(domain.undecided)
        domain.reset()
        x.set(0, .infinity, .infinity)
        domain.binary(.add, dtype: .f32, x, aStride: 1, x, bStride: 1, into: x, count: 1)
        XCTAssertFalse(domain.undecided, "∞ + −∞ between points is NaN exactly")
        x.set(0, .infinity, .infinity)
        domain.binary(.add, dtype: .f32, x, aStride: 0, x, bStride: 0, into: x, count: 1)
        XCTAssertFalse(domain.undecided)
        XCTAssertEqual(x[0].lo, .infinity)
        x.set(0, .infinity, .infinity)
        x.set(1, -.infinity, -.greatestFiniteMagnitude)
        let y = domain.makeBuffer(count: 1)
        domain.binaryElement(.add, dtype: .f32, x, 0, x, 1, into: y, 0)
        XCTAssertTrue(domain.undecided)
    }

    /// The interval domain's one-pass dot products give exactly the bounds of
    /// the generic steps (multiply, then add from +0 in order), on wide
    /// intervals, points (the inlined product) and special values (zeros,
    /// products below the error-free range, overflow, infinities, NaN).
    func testSequentialDotsAreTheGenericSteps() {
        var g = Generator(state: 5)
        let k = 24
        let domain = IntervalDomain()
        for trial in 0..<40 {
            let a = domain.makeBuffer(count: 2 * k)
            let b = domain.makeBuffer(count: 2 * k)
            for i in 0..<(2 * k) {
                let range = trial % 4 == 0 ? -1074...1023 : -8...8
                let (x, y) = (randomDouble(&g, exponents: range), randomDouble(&g, exponents: range))
                a.set(i, x, i % 3 == 0 || !x.isFinite ? x : x + Swift.abs(x) * 0x1p-30)
                b.set(i, y, i % 4 == 0 && y.isFinite ? y + Swift.abs(y) * 0x1p-28 : y)
                if trial % 5 == 1 && i == 7 { a.set(i, .infinity, .infinity) }
                if trial % 5 == 2 && i == 9 { b.set(i, .nan, .nan) }
            }
            let offsets = Array(0..<k)
            let fused = domain.makeBuffer(count: 2)
            XCTAssertTrue(
                domain.sequentialDots(
                    a, b, lhsBases: [0, k], rhsBases: [k, 0], lhsOffsets: offsets, rhsOffsets: offsets,
                    dtype: .f32, into: fused))
            let fusedUndecided = domain.undecided
            domain.reset()
            let steps = domain.makeBuffer(count: 2)
            let product = domain.makeBuffer(count: 1)
            for (o, (la, lb)) in [(0, k), (k, 0)].enumerated() {
                steps.set(o, 0, 0)
                for j in 0..<k {
                    domain.binaryElement(.multiply, dtype: .f32, a, la + j, b, lb + j, into: product, 0)
                    domain.binaryElement(.add, dtype: .f32, steps, o, product, 0, into: steps, o)
                }
                XCTAssertEqual(fused[o].lo.bitPattern, steps[o].lo.bitPattern, "trial \(trial) output \(o)")
                XCTAssertEqual(fused[o].hi.bitPattern, steps[o].hi.bitPattern, "trial \(trial) output \(o)")
            }
            XCTAssertEqual(fusedUndecided, domain.undecided, "trial \(trial)")
            domain.reset()
        }
    }

    /// The two-corner quotient gives the four-corner bounds bit for bit
    /// wherever it answers: intervals of either sign or straddling zero,
    /// divisors of one sign, over the whole exponent range (overflow, and the
    /// tiny magnitudes where it must decline). It answers for ordinary ranges.
    func testTwoCornerQuotientIsTheFourCornerBounds() {
        var g = Generator(state: 11)
        var answered = 0
        for trial in 0..<20_000 {
            let range = trial % 3 == 0 ? -1074...1023 : -30...30
            let (x1, x2) = (randomDouble(&g, exponents: range), randomDouble(&g, exponents: range))
            var (y1, y2) = (randomDouble(&g, exponents: range), randomDouble(&g, exponents: range))
            if trial % 2 == 0 { (y1, y2) = (Swift.abs(y1), Swift.abs(y2)) }
            let (al, ah, bl, bh) = (Swift.min(x1, x2), Swift.max(x1, x2), Swift.min(y1, y2), Swift.max(y1, y2))
            guard let fast = IntervalDomain.quotientBounds(al, ah, bl, bh) else { continue }
            answered += 1
            let four = IntervalDomain.corners(al, ah, bl, bh, DirectedRounding.divideDown, DirectedRounding.divideUp)
            XCTAssertEqual(fast.0.bitPattern, four.0.bitPattern, "[\(al), \(ah)] / [\(bl), \(bh)]")
            XCTAssertEqual(fast.1.bitPattern, four.1.bitPattern, "[\(al), \(ah)] / [\(bl), \(bh)]")
        }
        XCTAssertGreaterThan(answered, 5_000)
        XCTAssertNil(IntervalDomain.quotientBounds(1, 2, -1, 1), "a divisor holding zero")
        XCTAssertNil(IntervalDomain.quotientBounds(0x1p-1000, 1, 1, 2), "a numerator in the blind-widening range")
        XCTAssertNil(IntervalDomain.quotientBounds(1, 2, 0x1p1000, 0x1p1001), "quotients in the blind-widening range")
        XCTAssertNil(IntervalDomain.quotientBounds(1, .infinity, 1, 2), "an infinite bound")
    }
}
