import FPGraph
import FPNumerics

/// What the worst-case search (`--search N`) found: whether moving the
/// inputs from the worst samples found an input where the rewrite loses more
/// bits than at any sampled input.
public struct SearchOutcome: Sendable, Equatable {
    /// Evaluations made (both graphs and the truth at one input each).
    public var evaluations: Int
    /// The sample the best input was reached from.
    public var startSample: Int
    /// Bits lost at that sample (the most over the outputs): what sampling found.
    public var sampledBitsLost: Double
    /// Bits lost at the best input found (never below ``sampledBitsLost``).
    public var bitsLost: Double
    /// The best input, one tensor per ORIGINAL parameter (for `--save-worst`
    /// and `--replay`); nil unless ``foundWorse``.
    public var inputs: NamedTensors?

    /// True when the search found an input worse than every sample by at
    /// least ``significantBits`` (a few millionths of a bit more say nothing).
    public var foundWorse: Bool { bitsLost >= sampledBitsLost + Self.significantBits }

    /// How many more bits lost than sampling's count as worse: 0.01.
    public static let significantBits = 0.01
}

/// A bounded, deterministic local search for inputs where a rewrite loses
/// more bits than sampling found (docs/semantics.md, "Worst-case search").
///
/// From each start (the worst samples, worst first) it climbs: each step
/// takes one floating-point input element (in a seeded order) and tries moving
/// it by ±1, ±2^4, ±2^8, ±2^12, ±2^16 and ±2^20 ulps of its dtype, then
/// scaling it by 2^±1 and 2^±8, keeping the first move that loses strictly
/// more bits. When a pass over the elements improves nothing, each element
/// is tried at special values (once): ±0, the smallest subnormal and normal
/// numbers, half the largest finite number, and the ties (halfway points) of
/// bf16 and f16 next to its value. After that, rounds of random steps (a
/// seeded element, ±2^k ulps with k in 0...22) go on while the budget lasts,
/// and every improvement starts the passes again: bits lost are not smooth in
/// the input, and the fixed moves stop at the first local maximum. Every candidate stays in its parameter's
/// distribution's support (`uniform(lo, hi)` within `[lo, hi]`, and so on);
/// parameters with fixed or recorded values and integer parameters are not
/// moved. The search stops after `budget` evaluations.
struct WorstCaseSearch {
    /// The most evaluations.
    let budget: Int
    /// Seeds the order elements are tried in.
    let seed: UInt64
    /// The ORIGINAL graph's parameters.
    let parameters: [GraphParameter]
    /// Each parameter's support: nil for a parameter the search must not move.
    let supports: [Support?]
    /// Bits lost at an input (the most over the outputs) measured as the
    /// given sample is (its elements, under element sampling); nil when the
    /// truth did not settle.
    let bitsLost: (_ sample: Int, _ inputs: [Tensor.Elements]) throws -> Double?

    var types: [ArrayType] { parameters.map(\.type) }

    /// The values a parameter may take.
    enum Support: Equatable {
        /// Every finite value (a normal distribution's support).
        case finite
        /// Every value, infinities and NaN included (`ieee`).
        case any
        /// A closed interval.
        case interval(Double, Double)
        /// Magnitudes in a closed interval, of either sign when `symmetric`.
        case magnitudes(Double, Double, symmetric: Bool)

        /// The support of `d`; nil for a constant or integer distribution (not moved).
        init?(_ d: Distribution) {
            switch d {
            case .normal: self = .finite
            case .ieee: self = .any
            case .uniform(let lo, let hi): self = .interval(lo, hi)
            case .logUniform(let lo, let hi, let symmetric): self = .magnitudes(lo, hi, symmetric: symmetric)
            case .constant, .integers: return nil
            }
        }

        func contains(_ x: Double) -> Bool {
            switch self {
            case .any: return true
            case .finite: return x.isFinite
            case .interval(let lo, let hi): return x >= lo && x <= hi
            case .magnitudes(let lo, let hi, let symmetric):
                return x.magnitude >= lo && x.magnitude <= hi && (symmetric || x >= 0)
            }
        }
    }

    /// Searches from each start in turn (until the budget is spent); the best input found.
    func run(starts: [(sample: Int, inputs: [Tensor.Elements], bitsLost: Double)]) throws -> SearchOutcome? {
        guard let first = starts.first else { return nil }
        var evaluations = 0
        var best = (sample: first.sample, inputs: first.inputs, bits: first.bitsLost, sampled: first.bitsLost)
        let sampled = starts.map(\.bitsLost).max() ?? first.bitsLost
        for start in starts where evaluations < budget {
            let (inputs, bits) = try climb(
                from: start.inputs, sample: start.sample, bits: start.bitsLost, evaluations: &evaluations)
            if bits > best.bits { best = (start.sample, inputs, bits, start.bitsLost) }
        }
        return SearchOutcome(
            evaluations: evaluations, startSample: best.sample, sampledBitsLost: sampled,
            bitsLost: Swift.max(best.bits, sampled),
            inputs: best.bits >= sampled + SearchOutcome.significantBits ? named(best.inputs) : nil)
    }

    /// The positions (parameter, element) the search may move, in a seeded order.
    func movableElements() -> [(parameter: Int, element: Int)] {
        var positions: [(Int, Int)] = []
        for (p, type) in types.enumerated() where supports[p] != nil && type.dtype.isFloatingPoint {
            positions += (0..<type.elementCount).map { (p, $0) }
        }
        var rng = SplitMix64(seed: seed ^ 0x5EA2_C400_0000_0000)
        positions.shuffle(using: &rng)
        return positions
    }

    private func climb(
        from start: [Tensor.Elements], sample: Int, bits startBits: Double, evaluations: inout Int
    ) throws -> (
        [Tensor.Elements], Double
    ) {
        var current = start
        var bits = startBits
        let positions = movableElements()
        guard !positions.isEmpty else { return (current, bits) }
        func attempt(_ p: Int, _ e: Int, _ value: Double) throws -> Bool {
            guard evaluations < budget, let support = supports[p], support.contains(value),
                case .floats(var values) = current[p], values[e].bitPattern != value.bitPattern
            else { return false }
            values[e] = value
            var candidate = current
            candidate[p] = .floats(values)
            evaluations += 1
            guard let b = try bitsLost(sample, candidate), b > bits else { return false }
            (current, bits) = (candidate, b)
            return true
        }
        // A pass of the fixed moves: for each element, the first move that improves.
        func climbingPass() throws -> Bool {
            var improved = false
            for (p, e) in positions where evaluations < budget {
                guard case .floats(let values) = current[p], let format = FloatFormat(name: types[p].dtype.rawValue)
                else { continue }
                for value in Self.moves(values[e], format) where try attempt(p, e, value) {
                    improved = true
                    break
                }
            }
            return improved
        }
        func specialPass() throws -> Bool {
            var improved = false
            for (p, e) in positions where evaluations < budget {
                guard case .floats(let values) = current[p], let format = FloatFormat(name: types[p].dtype.rawValue)
                else { continue }
                for value in Self.specialValues(near: values[e], format) where try attempt(p, e, value) {
                    improved = true
                    break
                }
            }
            return improved
        }
        // Random steps: an element and a step of 2^k ulps, k uniform in 0...22.
        var rng = SplitMix64(seed: seed ^ 0xC11B_0000_0000_0001)
        func randomRound() throws -> (improved: Bool, evaluated: Bool) {
            let before = evaluations
            for _ in 0..<Self.randomTries where evaluations < budget {
                let (p, e) = positions[Int.random(in: 0..<positions.count, using: &rng)]
                guard case .floats(let values) = current[p], let format = FloatFormat(name: types[p].dtype.rawValue)
                else { continue }
                let step = Int64(1) << Int.random(in: 0...22, using: &rng)
                if try attempt(p, e, format.stepped(values[e], by: Bool.random(using: &rng) ? step : -step)) {
                    return (true, true)
                }
            }
            return (false, evaluations > before)
        }
        var specialsTried = false
        while evaluations < budget {
            if try climbingPass() { continue }
            if !specialsTried {
                specialsTried = true
                if try specialPass() { continue }
            }
            let round = try randomRound()
            if !round.improved && !round.evaluated { break }
        }
        return (current, bits)
    }

    /// Random moves tried per round once the fixed moves improve nothing.
    static let randomTries = 64

    /// The moves of one element, in the order they are tried.
    static func moves(_ x: Double, _ format: FloatFormat) -> [Double] {
        var out: [Double] = []
        for k in [0, 4, 8, 12, 16, 20] {
            out.append(format.stepped(x, by: Int64(1) << k))
            out.append(format.stepped(x, by: -(Int64(1) << k)))
        }
        for k in [1, -1, 8, -8] { out.append(format.round(x * Double(sign: .plus, exponent: k, significand: 1))) }
        return out.filter { !$0.isNaN }
    }

    /// Special values to try for an element near `x`: ±0, the smallest
    /// subnormal and normal numbers of both signs, half the largest finite
    /// number of both signs, and the bf16 and f16 ties next to `x` (the
    /// midpoints between the two narrower values around it, when `format` holds them).
    static func specialValues(near x: Double, _ format: FloatFormat) -> [Double] {
        var out: [Double] = [0, -0.0]
        for v in [format.minSubnormal, format.minNormal, format.maxFinite / 2] { out += [v, -v] }
        for narrow in [FloatFormat.bf16, .f16] where narrow.precision < format.precision && x.isFinite {
            let below = narrow.round(x) <= x ? narrow.round(x) : narrow.stepped(narrow.round(x), by: -1)
            let above = narrow.stepped(below, by: 1)
            let tie = below / 2 + above / 2
            if below.isFinite, above.isFinite, format.round(tie) == tie { out.append(tie) }
        }
        return out.map(format.round)
    }

    private func named(_ inputs: [Tensor.Elements]) -> NamedTensors { NamedTensors(inputs, parameters: parameters) }
}
