import Foundation

/// The ``Summary`` of a stream of non-negative values (errors in ulps), and of
/// a monotone transform of them (bits of error), in bounded memory.
///
/// The first ``exactCapacity`` values are kept, and their summary is exact
/// (nearest-rank quantiles of the sorted values, as ``Summary/init(sorting:)``
/// computes it). Past that, every value goes into a histogram over
/// `log2(1 + x)` with ``binsPerOctave`` bins per unit (so a bin spans a factor
/// of 2^(1/256) ≈ 1.0027 in `1 + x`), which keeps each bin's count and the
/// largest value it saw: a quantile is then the largest value of the bin the
/// nearest rank falls in, never below the true quantile and above it by less
/// than one bin. The maxima and means stay exact (the means summed in arrival
/// order).
struct StreamingSummary {
    /// The second view of each value (monotone non-decreasing: ulps → bits).
    let transform: (Double) -> Double

    /// Values kept exactly before the histogram takes over (per summary).
    static let exactCapacity = 1 << 16
    /// Histogram resolution: bins per unit of `log2(1 + x)`.
    static let binsPerOctave = 256
    /// `log2(1 + x)` of the largest value binned apart (2^64 ulps); larger values,
    /// and infinities, share the last bin.
    static let octaves = 64

    private var exact: [Double] = []
    private var counts: [UInt32] = []
    private var binMax: [Double] = []
    private(set) var count = 0
    private var sum = 0.0
    private var transformedSum = 0.0
    private var largest = 0.0

    init(transform: @escaping (Double) -> Double) {
        self.transform = transform
    }

    /// True once the values no longer fit ``exactCapacity`` and the quantiles come from the histogram.
    var isApproximate: Bool { !counts.isEmpty }

    mutating func add(_ x: Double) {
        count += 1
        if !isApproximate {
            exact.append(x)
            if exact.count > Self.exactCapacity { spill() }
            return
        }
        sum += x
        transformedSum += transform(x)
        largest = Swift.max(largest, x)
        let b = Self.bin(x)
        counts[b] += 1
        binMax[b] = Swift.max(binMax[b], x)
    }

    /// Moves the kept values into the histogram.
    private mutating func spill() {
        let bins = Self.octaves * Self.binsPerOctave + 1
        counts = [UInt32](repeating: 0, count: bins)
        binMax = [Double](repeating: 0, count: bins)
        let kept = exact
        exact = []
        count -= kept.count
        for x in kept { add(x) }
    }

    private static func bin(_ x: Double) -> Int {
        guard x.isFinite else { return octaves * binsPerOctave }
        let position = (Double.log2(1 + Swift.max(0, x)) * Double(binsPerOctave)).rounded(.down)
        return Int(Swift.min(position, Double(octaves * binsPerOctave)))
    }

    /// The summaries of the values and of their transforms.
    func summaries() -> (values: Summary, transformed: Summary) {
        if !isApproximate {
            var values = exact
            guard !values.contains(where: \.isNaN) else {
                var transformed = exact.map(transform)
                return (Summary(sorting: &values), Summary(sorting: &transformed))
            }
            // One sort: a monotone transform of sorted values is sorted, and it
            // is the same array as the sorted transforms (no NaN to misplace).
            values.sort()
            return (Summary(sorted: values), Summary(sorted: values.map(transform)))
        }
        // A monotone transform commutes with order statistics: the transformed
        // quantiles are the transforms of the quantiles.
        func rank(_ p: Double) -> Double {
            let target = Swift.max(1, Int((p * Double(count)).rounded(.up)))
            var seen = 0
            for (b, c) in counts.enumerated() where c > 0 {
                seen += Int(c)
                if seen >= target { return binMax[b] }
            }
            return largest
        }
        let q = (rank(0.5), rank(0.95), rank(0.99))
        let n = Double(count)
        return (
            Summary(max: largest, mean: sum / n, p50: q.0, p95: q.1, p99: q.2),
            Summary(
                max: transform(largest), mean: transformedSum / n, p50: transform(q.0), p95: transform(q.1),
                p99: transform(q.2))
        )
    }
}
