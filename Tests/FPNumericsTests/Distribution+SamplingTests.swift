import XCTest

@testable import FPNumerics

final class DistributionSamplingTests: XCTestCase {
    private func draws(_ d: Distribution, _ count: Int, format: FloatFormat? = nil, seed: UInt64 = 1) -> [Double] {
        (0..<count).map { index in
            var rng = Xoshiro256StarStar.forSample(seed: seed, stream: 0, index: UInt64(index))
            return d.sample(in: format, using: &rng)
        }
    }

    private func meanAndStd(_ xs: [Double]) -> (Double, Double) {
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
        return (mean, variance.squareRoot())
    }

    func testSameSeedSameValuesDifferentIndexDifferentValues() {
        let all: [Distribution] = [
            .normal(mean: 0, std: 1), .uniform(lo: -1, hi: 1),
            .logUniform(lo: 1e-8, hi: 1e8, symmetric: true), .ieee,
        ]
        for d in all {
            let a = draws(d, 100)
            let b = draws(d, 100)
            XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(d)")
            XCTAssertEqual(Set(a.map(\.bitPattern)).count, 100, "\(d): distinct indices should differ")
            XCTAssertNotEqual(a, draws(d, 100, seed: 2), "\(d): another seed should differ")
        }
    }

    func testIEEEOverF16() {
        let xs = draws(.ieee, 10_000, format: .f16)
        XCTAssertTrue(xs.allSatisfy(\.isFinite))
        XCTAssertTrue(xs.allSatisfy { FloatFormat.f16.isRepresentable($0) })
        XCTAssertTrue(xs.contains { $0 < 0 })
        XCTAssertTrue(xs.contains { $0 > 0 })
        XCTAssertTrue(xs.contains { $0 != 0 && $0.magnitude < FloatFormat.f16.minNormal }, "no subnormals")
        XCTAssertTrue(xs.contains { $0.magnitude > 10_000 })
        // Bit patterns are uniform: about half the draws are negative.
        let negatives = xs.filter { $0.sign == .minus }.count
        XCTAssertEqual(Double(negatives), 5_000, accuracy: 300)
        // Subnormal patterns are 1023/31743 of the finite ones per sign (about 3.2%).
        let subnormals = xs.filter { $0 != 0 && $0.magnitude < FloatFormat.f16.minNormal }.count
        XCTAssertEqual(Double(subnormals), 10_000 * 1023 / 31743, accuracy: 100)
    }

    func testIEEEOverOtherFormatsIsFinite() {
        for format in [FloatFormat.bf16, .f32, .f64] {
            let xs = draws(.ieee, 5_000, format: format)
            XCTAssertTrue(xs.allSatisfy(\.isFinite), "\(format)")
            XCTAssertTrue(xs.allSatisfy { format.isRepresentable($0) }, "\(format)")
        }
        // nil means f64: magnitudes span the whole exponent range.
        let wide = draws(.ieee, 5_000)
        XCTAssertTrue(wide.contains { $0.magnitude > 1e200 })
        XCTAssertTrue(wide.contains { $0.magnitude < 1e-200 })
    }

    func testNormalMoments() {
        let xs = draws(.normal(mean: 3, std: 2), 20_000)
        let (mean, std) = meanAndStd(xs)
        XCTAssertEqual(mean, 3, accuracy: 0.1)  // standard error 0.014
        XCTAssertEqual(std, 2, accuracy: 0.1)
        let withinOneSigma = xs.filter { abs($0 - 3) < 2 }.count
        XCTAssertEqual(Double(withinOneSigma) / 20_000, 0.6827, accuracy: 0.02)
        XCTAssertTrue(xs.allSatisfy(\.isFinite))
    }

    func testNormalIsRoundedToTheFormat() {
        let narrow = draws(.normal(mean: 0, std: 1), 1_000, format: .bf16)
        let wide = draws(.normal(mean: 0, std: 1), 1_000, format: nil)
        XCTAssertTrue(narrow.allSatisfy { FloatFormat.bf16.isRepresentable($0) })
        // The same draws, rounded once at the end.
        XCTAssertEqual(narrow, wide.map(FloatFormat.bf16.round))
        XCTAssertNotEqual(narrow, wide)
    }

    func testUniform() {
        let xs = draws(.uniform(lo: -1, hi: 1), 20_000)
        XCTAssertTrue(xs.allSatisfy { $0 >= -1 && $0 < 1 })
        XCTAssertLessThan(xs.min()!, -0.99)
        XCTAssertGreaterThan(xs.max()!, 0.99)
        let (mean, std) = meanAndStd(xs)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(std, 1 / 3.0.squareRoot(), accuracy: 0.02)
        // Overflowing span falls back to a weighted average and stays finite.
        let wide = draws(.uniform(lo: -Double.greatestFiniteMagnitude, hi: .greatestFiniteMagnitude), 1_000)
        XCTAssertTrue(wide.allSatisfy(\.isFinite))
        XCTAssertTrue(wide.contains { $0 < 0 } && wide.contains { $0 > 0 })
    }

    func testLogUniform() {
        let xs = draws(.logUniform(lo: 1e-8, hi: 1e8, symmetric: false), 20_000)
        XCTAssertTrue(xs.allSatisfy { $0 >= 1e-8 && $0 <= 1e8 })
        let logs = xs.map { log10($0) }
        let (mean, std) = meanAndStd(logs)
        XCTAssertEqual(mean, 0, accuracy: 0.2)
        XCTAssertEqual(std, 16 / 12.0.squareRoot(), accuracy: 0.2)  // uniform on [-8, 8]
        let below = xs.filter { $0 < 1e-4 }.count  // a quarter of the decades
        XCTAssertEqual(Double(below) / 20_000, 0.25, accuracy: 0.02)

        let symmetric = draws(.logUniform(lo: 1e-3, hi: 1e3, symmetric: true), 10_000)
        XCTAssertTrue(symmetric.allSatisfy { $0.magnitude >= 1e-3 && $0.magnitude <= 1e3 })
        XCTAssertEqual(Double(symmetric.filter { $0 < 0 }.count), 5_000, accuracy: 300)
    }

    func testConstant() {
        var rng = Xoshiro256StarStar(seed: 0)
        XCTAssertEqual(Distribution.constant(2.5).sample(in: nil, using: &rng), 2.5)
        XCTAssertEqual(Distribution.constant(0.1).sample(in: .f16, using: &rng), 0.0999755859375)
        XCTAssertEqual(Distribution.constant(1e6).sample(in: .f16, using: &rng), .infinity)
    }

    func testSampleInteger() {
        var values = Set<Int64>()
        for index in 0..<2_000 {
            var rng = Xoshiro256StarStar.forSample(seed: 4, stream: 1, index: UInt64(index))
            let v = Distribution.uniform(lo: 0, hi: 10).sampleInteger(min: 0, max: 10, using: &rng)
            XCTAssertTrue((0...10).contains(v))
            values.insert(v)
        }
        XCTAssertEqual(values, Set(0...10))

        var rng = Xoshiro256StarStar(seed: 0)
        XCTAssertEqual(Distribution.constant(2.5).sampleInteger(min: -10, max: 10, using: &rng), 2)  // ties to even
        XCTAssertEqual(Distribution.constant(3.5).sampleInteger(min: -10, max: 10, using: &rng), 4)
        XCTAssertEqual(Distribution.constant(-2.7).sampleInteger(min: -10, max: 10, using: &rng), -3)
        XCTAssertEqual(Distribution.constant(1e30).sampleInteger(min: -10, max: 10, using: &rng), 10)
        XCTAssertEqual(Distribution.constant(-.infinity).sampleInteger(min: -10, max: 10, using: &rng), -10)
        XCTAssertEqual(Distribution.constant(.nan).sampleInteger(min: -10, max: 10, using: &rng), -10)
        XCTAssertEqual(Distribution.constant(1e300).sampleInteger(min: .min, max: .max, using: &rng), .max)
        XCTAssertEqual(Distribution.constant(-1e300).sampleInteger(min: .min, max: .max, using: &rng), .min)

        for index in 0..<500 {
            var rng = Xoshiro256StarStar.forSample(seed: 4, stream: 2, index: UInt64(index))
            let v = Distribution.normal(mean: 0, std: 100).sampleInteger(min: -5, max: 5, using: &rng)
            XCTAssertTrue((-5...5).contains(v))
        }
    }
}
