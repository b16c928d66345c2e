import FPGraph
import FPNumerics
import Foundation

/// Which output elements a sample measures when element sampling is on
/// (`--elements N`): per output, a random box of about `N` elements, chosen
/// again for every sample.
///
/// The box takes, in each dimension, a random set of distinct indices; the
/// per-dimension counts are fixed by the shape and `N` (smallest dimension
/// first, each taking the remaining count's `r`-th root over the `r`
/// dimensions left, rounded down, so a box never exceeds `N`), the indices are drawn from a generator seeded with
/// `(seed, output, sample)`. The same sample of the same output therefore
/// measures the same elements in every run, in both graphs and in every step
/// of a trace. An output with at most `N` elements is measured whole.
public enum ElementSampling {
    /// The default per-output element count when element sampling is on.
    public static let defaultElements = 256
    /// Above this many element operations per evaluation (of either graph),
    /// `--elements auto` samples ``defaultElements`` per output; at or below
    /// it every element is measured. At the default 1024 samples, a pair at
    /// the threshold is estimated at 6·10^9 element operations, under the
    /// default `--max-work`.
    public static let autoWorkThreshold = 1.0e6

    /// How many indices each dimension of `dimensions` contributes to a box of about `target` elements.
    public static func counts(_ dimensions: [Int], target: Int) -> [Int] {
        var counts = dimensions
        guard !dimensions.contains(0), dimensions.reduce(1, { $0 * $1 }) > target else { return counts }
        var remaining = Double(Swift.max(target, 1))
        let order = dimensions.indices.sorted { (dimensions[$0], $0) < (dimensions[$1], $1) }
        for (position, d) in order.enumerated() {
            let left = Double(order.count - position)
            let share = Int((pow(remaining, 1 / left) + 1e-9).rounded(.down))
            counts[d] = Swift.min(dimensions[d], Swift.max(1, share))
            remaining /= Double(counts[d])
        }
        return counts
    }

    /// The box of `type` that sample `sample` measures for output `output`.
    public static func box(for type: ArrayType, target: Int, seed: UInt64, output: Int, sample: Int) -> ElementBox {
        let counts = counts(type.dimensions, target: target)
        var rng = Xoshiro256StarStar.forSample(
            seed: seed, stream: streamBase | UInt64(output), index: UInt64(sample))
        return ElementBox(
            indices: zip(type.dimensions, counts).map { size, count in
                count >= size ? Array(0..<size) : distinct(count, below: size, using: &rng)
            })
    }

    /// The boxes sample `sample` measures, one per output of `outputs`.
    public static func boxes(for outputs: [GraphOutput], target: Int, seed: UInt64, sample: Int) -> [ElementBox] {
        outputs.enumerated().map { box(for: $1.type, target: target, seed: seed, output: $0, sample: sample) }
    }

    /// The boxes sample `sample` measures in each graph of a pair: the
    /// original's from ``boxes(for:target:seed:sample:)``, each rewritten
    /// output the box of the original output it is paired with (an unpaired
    /// one, which nothing measures, a single element).
    public static func boxes(
        original: [GraphOutput], rewritten: [GraphOutput], interface: InterfaceMatch, target: Int, seed: UInt64,
        sample: Int
    ) -> (original: [ElementBox], rewritten: [ElementBox]) {
        let boxes = boxes(for: original, target: target, seed: seed, sample: sample)
        var paired = rewritten.map { output in
            ElementBox(indices: output.type.dimensions.map { $0 == 0 ? [] : [0] })
        }
        for (k, j) in interface.rewrittenOutput.enumerated() { paired[j] = boxes[k] }
        return (boxes, paired)
    }

    /// The generator streams of output boxes, apart from the parameters' (0, 1, 2, ...).
    static let streamBase: UInt64 = 0x454c_454d << 32

    /// `count` distinct integers in `0 ..< size`, ascending (Floyd's algorithm).
    static func distinct(_ count: Int, below size: Int, using rng: inout Xoshiro256StarStar) -> [Int] {
        var chosen = Set<Int>()
        for j in (size - count)..<size {
            let t = Int(rng.next() % UInt64(j + 1))
            chosen.insert(chosen.contains(t) ? j : t)
        }
        return chosen.sorted()
    }
}

/// What `--elements` asks for: a count per output, every element, or `auto`
/// (``ElementSampling/automatic(original:rewritten:)`` decides from the graphs' work).
public enum ElementChoice: Hashable, Sendable, CustomStringConvertible {
    /// ``ElementSampling/defaultElements`` per output when the graphs are big, else all.
    case auto
    /// Every element of every output.
    case all
    /// About this many elements per output and sample.
    case count(Int)

    /// Parses `auto`, `all` or a positive count.
    public init?(_ text: String) {
        switch text {
        case "auto": self = .auto
        case "all": self = .all
        default:
            guard let n = Int(text), n >= 1 else { return nil }
            self = .count(n)
        }
    }

    /// `auto`, `all` or the count.
    public var description: String {
        switch self {
        case .auto: return "auto"
        case .all: return "all"
        case .count(let n): return String(n)
        }
    }

    /// The per-output count for graphs whose heaviest evaluation does this
    /// much work (nil: every element).
    public func resolve(work: [EvaluationWork]) -> Int? {
        switch self {
        case .all: return nil
        case .count(let n): return n
        case .auto:
            let heaviest = work.map(\.elementOps).max() ?? 0
            return heaviest > ElementSampling.autoWorkThreshold ? ElementSampling.defaultElements : nil
        }
    }
}
