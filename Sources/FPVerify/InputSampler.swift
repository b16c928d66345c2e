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

    /// Parameters with more elements than this draw each element from its own
    /// generator, seeded with `(seed, parameter, sample, element)`, so element
    /// sampling draws only the elements it evaluates; smaller parameters draw
    /// their elements in order from one generator per `(seed, parameter, sample)`.
    public static let elementwiseDrawThreshold = 1 << 16

    /// The inputs of sample `index`.
    public func inputs(forSample index: Int) -> [Tensor.Elements] {
        parameters.indices.map { value(forSample: index, parameter: $0, box: nil) }
    }

    /// Parameter `position`'s value in sample `index`: every element, or the
    /// elements of `box` in the box's row-major order.
    public func value(forSample index: Int, parameter position: Int, box: ElementBox?) -> Tensor.Elements {
        let parameter = parameters[position]
        let distribution = distributions[position]
        let dimensions = parameter.type.dimensions
        func cut(_ whole: Tensor.Elements) -> Tensor.Elements { box?.gather(whole, dimensions: dimensions) ?? whole }
        if let value = recorded?.value(position: parameter.index, type: parameter.type, sample: index, seed: seed) {
            return cut(value)
        }
        if let pinned = fixed[parameter.index] { return cut(pinned.data) }
        let count = parameter.type.elementCount
        let dtype = parameter.type.dtype
        let format = dtype.isFloatingPoint ? FloatFormat(dtype: dtype) : nil
        let range = dtype.samplingRange
        func draw(_ rng: inout Xoshiro256StarStar) -> (Double, Int64) {
            if let format { return (distribution.sample(in: format, using: &rng), 0) }
            return (0, distribution.sampleInteger(min: range!.lowerBound, max: range!.upperBound, using: &rng))
        }
        guard count > Self.elementwiseDrawThreshold else {
            var rng = Xoshiro256StarStar.forSample(seed: seed, stream: UInt64(parameter.index), index: UInt64(index))
            let values = (0..<count).map { _ in draw(&rng) }
            return cut(format != nil ? .floats(values.map(\.0)) : .integers(values.map(\.1)))
        }
        let stream = 1 << 48 | UInt64(parameter.index)
        func element(_ e: Int) -> (Double, Int64) {
            var rng = Xoshiro256StarStar.forSample(
                seed: seed, stream: stream, index: UInt64(index) << 32 | UInt64(truncatingIfNeeded: e))
            return draw(&rng)
        }
        let values = box.map { $0.flatIndices(in: dimensions).map(element) } ?? (0..<count).map(element)
        return format != nil ? .floats(values.map(\.0)) : .integers(values.map(\.1))
    }
}
