import FPGraph
import Foundation

/// What a verification will cost, estimated from the graphs before any work:
/// samples × (the two graphs' element operations) × evaluations per sample.
public struct WorkEstimate: Sendable, Equatable {
    /// Evaluations of each graph per sample: one in IEEE arithmetic and at
    /// least two MPFR precisions (the adaptive truth stops when two agree).
    public static let evaluationsPerSample = 3

    /// Samples to run.
    public var samples: Int
    /// One evaluation of the original graph.
    public var original: EvaluationWork
    /// One evaluation of the rewritten graph.
    public var rewritten: EvaluationWork

    /// Creates an estimate from its parts.
    public init(samples: Int, original: EvaluationWork, rewritten: EvaluationWork) {
        self.samples = samples
        self.original = original
        self.rewritten = rewritten
    }

    /// The element operations of the whole run.
    public var elementOps: Double {
        Double(samples) * (original.elementOps + rewritten.elementOps) * Double(Self.evaluationsPerSample)
    }

    /// True when a graph has loops (counted once, so the estimate is a lower bound).
    public var isLowerBound: Bool { original.hasLoops || rewritten.hasLoops }

    /// `1.2e8 element operations (1024 samples × (3.1e4 + 2.9e4) × 3 evaluations)`.
    public var description: String {
        "\(isLowerBound ? "at least " : "")\(Self.scientific(elementOps)) element operations "
            + "(\(samples) samples × (\(Self.scientific(original.elementOps)) + "
            + "\(Self.scientific(rewritten.elementOps))) per evaluation × \(Self.evaluationsPerSample) evaluations)"
    }

    /// `1.2e8`: two significant digits.
    static func scientific(_ x: Double) -> String {
        guard x >= 1_000 else { return String(Int(x.rounded())) }
        let exponent = Int(log10(x).rounded(.down))
        let mantissa = x / pow(10, Double(exponent))
        return String(format: "%.1fe%d", mantissa, exponent)
    }
}

extension Verifier {
    /// What ``run(replay:progress:)`` will cost; a replay runs one sample.
    public func workEstimate(replay: Bool = false) -> WorkEstimate {
        WorkEstimate(
            samples: replay ? 1 : config.samples, original: original.graph.evaluationWork,
            rewritten: rewritten.graph.evaluationWork)
    }
}
