import FPGraph

/// How the two graphs' parameters and outputs are paired (`--match`).
public enum MatchMode: String, Sendable, Equatable, CaseIterable, Codable {
    /// By name where both graphs use the same names, otherwise by position and type.
    case auto
    /// By name only: both graphs must use the same names (in any order).
    case name
    /// By position and type only: names are ignored.
    case position
}

/// How one side of the interface (parameters or outputs) was actually paired.
public enum InterfacePairing: String, Sendable, Equatable, Codable {
    case name, position
}

/// How the parameters and the outputs were actually paired: what reports
/// (`config.interface`) and audit log entries (`interface`) record.
public struct InterfacePairings: Sendable, Equatable, Codable {
    /// How the parameters were paired.
    public var parameters: InterfacePairing
    /// How the outputs were paired.
    public var outputs: InterfacePairing

    /// Creates the pair of pairings.
    public init(parameters: InterfacePairing, outputs: InterfacePairing) {
        self.parameters = parameters
        self.outputs = outputs
    }
}

/// The pairing of the ORIGINAL's parameters and outputs with the REWRITTEN's.
///
/// An HLO module's interface is positional, and XLA names an instruction after
/// the op that made it, so two separately lowered modules seldom agree on
/// output names; our JSON graphs name both. `auto` pairs by name where the
/// names agree and falls back to position and type otherwise, separately for
/// parameters and outputs.
public struct InterfaceMatch: Sendable, Equatable {
    /// The `--match` mode that was asked for.
    public var mode: MatchMode
    /// How the parameters were actually paired.
    public var parameters: InterfacePairing
    /// How the outputs were actually paired.
    public var outputs: InterfacePairing
    /// For each ORIGINAL parameter (by index), the REWRITTEN parameter fed the same values.
    public var rewrittenParameter: [Int]
    /// For each ORIGINAL output (by position), the REWRITTEN output compared with it.
    public var rewrittenOutput: [Int]

    /// Creates a pairing from its parts (``resolve(original:rewritten:mode:)``
    /// computes one); the two arrays map each ORIGINAL index to the REWRITTEN index
    /// paired with it.
    public init(
        mode: MatchMode, parameters: InterfacePairing, outputs: InterfacePairing,
        rewrittenParameter: [Int], rewrittenOutput: [Int]
    ) {
        self.mode = mode
        self.parameters = parameters
        self.outputs = outputs
        self.rewrittenParameter = rewrittenParameter
        self.rewrittenOutput = rewrittenOutput
    }

    /// Identity pairing by position (a graph against itself).
    public static func identity(_ graph: Graph) -> InterfaceMatch {
        InterfaceMatch(
            mode: .position, parameters: .position, outputs: .position,
            rewrittenParameter: Array(graph.parameters.indices), rewrittenOutput: Array(graph.outputs.indices))
    }

    /// The ORIGINAL's inputs (in its parameter order) rearranged for the REWRITTEN graph.
    public func rewrittenInputs<T>(_ inputs: [T]) -> [T] {
        guard rewrittenParameter != Array(rewrittenParameter.indices) else { return inputs }
        var result = inputs
        for (i, j) in rewrittenParameter.enumerated() { result[j] = inputs[i] }
        return result
    }

    /// How the parameters and outputs were paired, without the index maps.
    public var pairings: InterfacePairings { InterfacePairings(parameters: parameters, outputs: outputs) }

    /// One line for reports: `parameters by name, outputs by position`.
    public var description: String {
        parameters == outputs
            ? "by \(parameters.rawValue)"
            : "parameters by \(parameters.rawValue), outputs by \(outputs.rawValue)"
    }

    /// Pairs the interfaces of `original` and `rewritten`.
    /// - Throws: ``VerifyError/parameterMismatch(_:)`` or ``VerifyError/outputMismatch(_:)``
    ///   naming both interfaces when no pairing of the requested kind exists.
    public static func resolve(original: Graph, rewritten: Graph, mode: MatchMode) throws -> InterfaceMatch {
        let a = original.parameters.map { Port(name: $0.name, type: $0.type) }
        let b = rewritten.parameters.map { Port(name: $0.name, type: $0.type) }
        let (parameters, parameterMap) = try pair(a, b, mode: mode) { VerifyError.parameterMismatch($0) }
        let oa = original.outputs.map { Port(name: $0.name, type: $0.type) }
        let ob = rewritten.outputs.map { Port(name: $0.name, type: $0.type) }
        let (outputs, outputMap) = try pair(oa, ob, mode: mode) { VerifyError.outputMismatch($0) }
        return InterfaceMatch(
            mode: mode, parameters: parameters, outputs: outputs,
            rewrittenParameter: parameterMap, rewrittenOutput: outputMap)
    }

    private struct Port {
        var name: String
        var type: ArrayType
    }

    private static func pair(
        _ a: [Port], _ b: [Port], mode: MatchMode,
        error: (String) -> VerifyError
    ) throws -> (InterfacePairing, [Int]) {
        func describe(_ ports: [Port]) -> String { ports.map { "\($0.name): \($0.type)" }.joined(separator: ", ") }
        let both = "original has (\(describe(a))), rewritten has (\(describe(b)))"
        let namesAgree =
            a.count == b.count && Set(a.map(\.name)).count == a.count
            && Set(a.map(\.name)) == Set(b.map(\.name))
        if mode == .name || (mode == .auto && namesAgree) {
            guard namesAgree else {
                throw error("\(both); --match name needs the same names in both graphs (try --match position)")
            }
            let index = Dictionary(uniqueKeysWithValues: b.enumerated().map { ($0.element.name, $0.offset) })
            let map = a.map { index[$0.name]! }
            for (i, j) in map.enumerated() where a[i].type != b[j].type {
                throw error("\(both); '\(a[i].name)' is \(a[i].type) in the original and \(b[j].type) in the rewritten")
            }
            return (.name, map)
        }
        guard a.count == b.count, zip(a, b).allSatisfy({ $0.type == $1.type }) else {
            throw error(
                a.count == b.count
                    ? "\(both); matched by position, the types differ"
                    : "\(both); \(a.count) versus \(b.count)")
        }
        return (.position, Array(a.indices))
    }
}
