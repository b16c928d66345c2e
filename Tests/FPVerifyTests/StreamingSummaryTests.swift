import XCTest

@testable import FPVerify

final class StreamingSummaryTests: XCTestCase {
    func bits(_ u: Double) -> Double { Double.log2(1 + u) }

    /// Deterministic, heavy-tailed values: many small errors, a few large ones, some exact zeros.
    func values(_ n: Int, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53)
            return u < 0.1 ? 0 : (u < 0.99 ? u * 3 : Double.exp2(u * 40))
        }
    }

    func testUpToTheCapacityTheSummaryIsExact() {
        let xs = values(StreamingSummary.exactCapacity, seed: 7)
        var s = StreamingSummary(transform: bits)
        for x in xs { s.add(x) }
        XCTAssertFalse(s.isApproximate)
        var sorted = xs
        var transformed = xs.map(bits)
        let (u, b) = s.summaries()
        XCTAssertEqual(u, Summary(sorting: &sorted))
        XCTAssertEqual(b, Summary(sorting: &transformed))
    }

    /// The exact summaries sort once and transform the sorted values: the same
    /// figures as sorting the values and their transforms apart, infinities
    /// included, and with a NaN among them too.
    func testOneSortGivesTheSameSummariesAsTwo() {
        for extra in [[Double](), [.infinity, 0, .infinity], [.nan, 3, .infinity]] {
            let xs = values(5000, seed: 3) + extra
            var s = StreamingSummary(transform: bits)
            for x in xs { s.add(x) }
            var sorted = xs
            var transformed = xs.map(bits)
            let (u, b) = s.summaries()
            let (wantU, wantB) = (Summary(sorting: &sorted), Summary(sorting: &transformed))
            for (got, want) in [(u, wantU), (b, wantB)] {
                XCTAssertEqual(
                    [got.max, got.mean, got.p50, got.p95, got.p99].map(\.bitPattern),
                    [want.max, want.mean, want.p50, want.p95, want.p99].map(\.bitPattern), "extra \(extra)")
            }
        }
    }

    func testBeyondItQuantilesAreUpperBoundsWithinOneBin() {
        let n = StreamingSummary.exactCapacity * 3 + 17
        let xs = values(n, seed: 11)
        var s = StreamingSummary(transform: bits)
        for x in xs { s.add(x) }
        XCTAssertTrue(s.isApproximate)
        XCTAssertEqual(s.count, n)
        var sorted = xs
        var transformed = xs.map(bits)
        let exact = Summary(sorting: &sorted)
        let exactBits = Summary(sorting: &transformed)
        let (u, b) = s.summaries()
        XCTAssertEqual(u.max, exact.max)
        XCTAssertEqual(u.mean, exact.mean, accuracy: 1e-9 * exact.mean)
        XCTAssertEqual(b.mean, exactBits.mean, accuracy: 1e-9 * exactBits.mean)
        let bin = 1.0 / Double(StreamingSummary.binsPerOctave)
        for (approx, truth) in [(u.p50, exact.p50), (u.p95, exact.p95), (u.p99, exact.p99)] {
            XCTAssertGreaterThanOrEqual(approx, truth)
            XCTAssertLessThan(bits(approx) - bits(truth), bin)
        }
        for (approx, truth) in [(b.p50, exactBits.p50), (b.p95, exactBits.p95), (b.p99, exactBits.p99)] {
            XCTAssertGreaterThanOrEqual(approx, truth)
            XCTAssertLessThan(approx - truth, bin)
        }
    }

    func testInfinitiesAndHugeValuesShareTheLastBin() {
        var s = StreamingSummary(transform: bits)
        for _ in 0...StreamingSummary.exactCapacity { s.add(1) }
        s.add(.infinity)
        s.add(0x1p80)
        let (u, _) = s.summaries()
        XCTAssertEqual(u.max, .infinity)
        XCTAssertEqual(u.p50, 1)
        XCTAssertEqual(u.p99, 1)
    }
}
