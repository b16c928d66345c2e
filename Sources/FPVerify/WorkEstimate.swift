import FPGraph
import FPNumerics
import Foundation

/// What a verification will cost, estimated from the graphs before any work:
/// samples × (the two graphs' element operations) × evaluations per sample.
public struct WorkEstimate: Sendable, Equatable {
    /// Evaluations of each graph per sample: one in IEEE arithmetic and at
    /// least two MPFR precisions (the adaptive truth stops when two agree).
    public static let evaluationsPerSample = 3

    /// Samples to run.
    public var samples: Int
    /// Evaluations of the worst-case search after them (`--search N`), each a sample's worth.
    public var searchEvaluations = 0
    /// One evaluation of the original graph.
    public var original: EvaluationWork
    /// One evaluation of the rewritten graph.
    public var rewritten: EvaluationWork

    /// Creates an estimate from its parts.
    public init(samples: Int, searchEvaluations: Int = 0, original: EvaluationWork, rewritten: EvaluationWork) {
        self.samples = samples
        self.searchEvaluations = searchEvaluations
        self.original = original
        self.rewritten = rewritten
    }

    /// The element operations of the whole run.
    public var elementOps: Double {
        Double(samples + searchEvaluations) * (original.elementOps + rewritten.elementOps)
            * Double(Self.evaluationsPerSample)
    }

    /// True when a graph has loops (counted once, so the estimate is a lower bound).
    public var isLowerBound: Bool { original.hasLoops || rewritten.hasLoops }

    /// `1.2e8 element operations (1024 samples × (3.1e4 + 2.9e4) × 3 evaluations)`.
    public var description: String {
        "\(isLowerBound ? "at least " : "")\(Self.scientific(elementOps)) element operations "
            + "(\(samples) samples\(searchEvaluations > 0 ? " + \(searchEvaluations) search evaluations" : "")"
            + " × (\(Self.scientific(original.elementOps)) + "
            + "\(Self.scientific(rewritten.elementOps))) per evaluation × \(Self.evaluationsPerSample) evaluations)"
    }

    /// `1.2e8`: two significant digits.
    static func scientific(_ x: Double) -> String {
        guard x >= 1_000 else { return String(Int(x.rounded())) }
        let exponent = Int(log10(x).rounded(.down))
        let mantissa = x / pow(10, Double(exponent))
        return CFormat.string("%.1fe%d", mantissa, Int32(exponent))
    }
}

extension Verifier {
    /// What ``run(replay:progress:)`` will cost; a replay runs one sample.
    /// With element sampling, each graph's work is that of its cut-down graph
    /// at sample 0 (every sample's boxes have the same shape).
    public func workEstimate(replay: Bool = false) -> WorkEstimate {
        let (a, b) = Self.sampledWork(original.graph, rewritten.graph, interface: interface, config: config)
        return WorkEstimate(
            samples: replay ? 1 : config.samples, searchEvaluations: replay ? 0 : config.search, original: a,
            rewritten: b)
    }

    /// The work of one evaluation of each graph (paired by `interface`, or as
    /// `config.match` pairs them), cut down to sample 0's
    /// element boxes when ``VerificationConfig/elements`` is set.
    public static func sampledWork(
        _ original: Graph, _ rewritten: Graph, interface: InterfaceMatch?, config: VerificationConfig
    ) -> (EvaluationWork, EvaluationWork) {
        guard let target = config.elements,
            let interface = interface
                ?? (try? InterfaceMatch.resolve(original: original, rewritten: rewritten, mode: config.match))
        else { return (original.evaluationWork, rewritten.evaluationWork) }
        let boxes = ElementSampling.boxes(
            original: original.outputs, rewritten: rewritten.outputs, interface: interface, target: target,
            seed: config.seed, sample: 0)
        return (
            original.sliced(outputs: boxes.original)?.graph.evaluationWork ?? original.evaluationWork,
            rewritten.sliced(outputs: boxes.rewritten)?.graph.evaluationWork ?? rewritten.evaluationWork
        )
    }
}
