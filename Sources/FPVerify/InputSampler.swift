import FPEval
import FPGraph
import FPNumerics

/// Draws the inputs of sample `s` deterministically from `(seed, parameter, s)`,
/// so a sample's inputs never depend on which thread draws it or in which order.
public struct InputSampler: Sendable {
    /// The graph's parameters, in parameter order.
    public let parameters: [GraphParameter]
    /// One distribution per parameter, in parameter order.
    public let distributions: [Distribution]
    /// Fixed values per parameter position (nil: sampled).
    public let fixed: [FixedInput?]
    /// The run's seed: each parameter of each sample draws from a generator seeded
    /// with `(seed, parameter index, sample index)`.
    public let seed: UInt64
    /// Recorded values per sample (`--inputs-from`), which win for the parameters they record.
    public let recorded: RecordedSamples?
    /// The parameters sampled from fpaudit's own default (``DefaultInputs``),
    /// because nothing else set their distribution.
    public let defaulted: [DefaultedInput]

    /// - Parameters:
    ///   - defaults: distributions declared by the graph file, by parameter name;
    ///     parameters without one get ``DefaultInputs/infer(_:)``'s.
    ///   - overrides: `--input` distributions by name, alias or `#i`; they win.
    public init(
        graph: Graph, seed: UInt64, defaults: [String: Distribution],
        overrides: [String: Distribution], fixed: [String: FixedInput] = [:], recorded: RecordedSamples? = nil
    ) throws {
        self.recorded = recorded
        parameters = graph.parameters
        self.seed = seed
        let builtin = DefaultInputs.infer(graph)
        var chosen = graph.parameters.map { defaults[$0.name] ?? builtin[$0.index].distribution }
        var isDefaulted = graph.parameters.map { defaults[$0.name] == nil }
        for (key, distribution) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let p = graph.parameter(named: key) else {
                throw VerifyError.unknownInput(key, known: graph.parameters.map(\.name))
            }
            chosen[p.index] = distribution
            isDefaulted[p.index] = false
        }
        for (p, d) in zip(graph.parameters, chosen) where d == .ieee && !p.type.dtype.isFloatingPoint {
            throw VerifyError.badDistribution(parameter: p.name, message: "ieee sampling needs a float parameter")
        }
        distributions = chosen
        var pinned = [FixedInput?](repeating: nil, count: graph.parameters.count)
        for (key, input) in fixed.sorted(by: { $0.key < $1.key }) {
            guard let p = graph.parameter(named: key) else {
                throw VerifyError.unknownInput(key, known: graph.parameters.map(\.name))
            }
            let fits: Bool
            switch input.data {
            case .floats(let v): fits = p.type.dtype.isFloatingPoint && v.count == p.type.elementCount
            case .integers(let v): fits = !p.type.dtype.isFloatingPoint && v.count == p.type.elementCount
            }
            guard fits else {
                throw VerifyError.badDistribution(
                    parameter: p.name,
                    message: "\(input.description) does not fit \(p.type)")
            }
            pinned[p.index] = input
            isDefaulted[p.index] = false
        }
        self.fixed = pinned
        for position in recorded.map({ Array($0.values.keys) }) ?? [] where isDefaulted.indices.contains(position) {
            isDefaulted[position] = false
        }
        defaulted = zip(builtin, isDefaulted).filter(\.1).map(\.0)
    }

    /// The inputs of sample `index`.
    public func inputs(forSample index: Int) -> [Tensor.Elements] {
        zip(parameters, distributions).map { parameter, distribution in
            if let value = recorded?.value(position: parameter.index, type: parameter.type, sample: index, seed: seed) {
                return value
            }
            if let pinned = fixed[parameter.index] { return pinned.data }
            var rng = Xoshiro256StarStar.forSample(seed: seed, stream: UInt64(parameter.index), index: UInt64(index))
            let count = parameter.type.elementCount
            let dtype = parameter.type.dtype
            if dtype.isFloatingPoint {
                let format = FloatFormat(dtype: dtype)
                return .floats((0..<count).map { _ in distribution.sample(in: format, using: &rng) })
            }
            let range = dtype.samplingRange!
            return .integers(
                (0..<count).map { _ in
                    distribution.sampleInteger(min: range.lowerBound, max: range.upperBound, using: &rng)
                })
        }
    }
}
