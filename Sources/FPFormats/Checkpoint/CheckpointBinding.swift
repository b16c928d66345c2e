import FPGraph
import FPNumerics
import Foundation

/// How checkpoint tensors are bound to graph parameters (see ``TensorPath`` for the naming rule).
public struct CheckpointBindingOptions: Sendable, Equatable {
    /// Leading path components removed from tensor names before matching (`--params-prefix`),
    /// tried in order; the first that a name starts with is removed.
    public var prefixes: [TensorPath]
    /// Explicit bindings, which win over the naming rule: parameter (name, alias or `#i`) →
    /// tensor name, or nil to keep the parameter sampled.
    public var mapping: [String: String?]
    /// The mapping file, named in errors.
    public var mappingFile: String?

    /// Options with no prefix and no mapping: the naming rule alone.
    public init(prefixes: [TensorPath] = [], mapping: [String: String?] = [:], mappingFile: String? = nil) {
        self.prefixes = prefixes
        self.mapping = mapping
        self.mappingFile = mappingFile
    }

    /// Reads a mapping file: a JSON object from parameter (name, alias or `#i`) to tensor
    /// name, or to `null` to keep that parameter sampled.
    /// - Throws: ``FormatError`` for bad JSON, ``CheckpointError/badMapping(file:message:)`` for other values.
    public static func readMapping(_ data: Data, file: String) throws -> [String: String?] {
        let value = try JSONValue.parse(data, file: file)
        guard let members = value.objectMembers else {
            throw CheckpointError.badMapping(
                file: file, message: "a mapping file is a JSON object from parameter to tensor name (or null)")
        }
        var mapping: [String: String?] = [:]
        for member in members {
            switch member.value.kind {
            case .string(let tensor): mapping[member.key] = .some(tensor)
            case .null: mapping[member.key] = .some(nil)
            default:
                throw CheckpointError.badMapping(
                    file: file,
                    message: "\(member.value.location): '\(member.key)' must map to a tensor name or null, "
                        + "found \(member.value.kindDescription)")
            }
        }
        return mapping
    }
}

/// Which checkpoint tensor each graph parameter takes, checked and converted to the
/// parameter's dtype; what stayed unbound on either side.
public struct CheckpointBinding: Sendable, Equatable {
    /// One parameter bound to one tensor.
    public struct Bound: Sendable, Equatable {
        /// The graph parameter's name.
        public var parameter: String
        /// Its position.
        public var index: Int
        /// The checkpoint file the tensor is in.
        public var file: String
        /// The tensor's name in that file.
        public var tensor: String
        /// Why they were bound: `mapping`, `exact` (same path) or `suffix` (one path ends the other).
        public var rule: String
        /// The values, in the parameter's dtype.
        public var value: Tensor
    }

    /// Every bound parameter, in parameter order.
    public var bound: [Bound]
    /// Parameters no tensor binds to (they keep their distributions), in parameter order;
    /// those a mapping sets to null are in ``keptSampled`` instead.
    public var unboundParameters: [String]
    /// Parameters the mapping sets to null: sampled by choice, in parameter order.
    public var keptSampled: [String]
    /// Tensors bound to no parameter, by checkpoint then file order.
    public var unusedTensors: [(file: String, tensor: String)]

    /// Equal when the same parameters bound to the same tensors and the same names were left over.
    public static func == (a: CheckpointBinding, b: CheckpointBinding) -> Bool {
        a.bound == b.bound && a.unboundParameters == b.unboundParameters && a.keptSampled == b.keptSampled
            && a.unusedTensors.map { "\($0.file)\u{0}\($0.tensor)" }
                == b.unusedTensors.map { "\($0.file)\u{0}\($0.tensor)" }
    }

    /// Binds the tensors of `checkpoints` to `parameters`.
    /// - Throws: ``CheckpointError`` when a parameter matches several tensors, a tensor several
    ///   parameters, a mapping names what does not exist, or a tensor's dtype or shape does not
    ///   fit its parameter.
    public static func bind(
        _ checkpoints: [Checkpoint], to parameters: [GraphParameter], options: CheckpointBindingOptions = .init()
    ) throws -> CheckpointBinding {
        var tensors: [NamedTensor] = []
        for (c, checkpoint) in checkpoints.enumerated() {
            for entry in checkpoint.entries {
                tensors.append(
                    NamedTensor(
                        name: entry.name,
                        label: checkpoints.count > 1 ? "\(checkpoint.file):\(entry.name)" : entry.name,
                        source: c))
            }
        }
        let (chosen, excluded) = try match(
            tensors, to: parameters, options: options,
            holder: { hits in hits.map { checkpoints[tensors[$0].source].file }.joined(separator: ", ") })
        var bound: [Bound] = []
        var unbound: [String] = []
        var kept: [String] = []
        for parameter in parameters.sorted(by: { $0.index < $1.index }) {
            guard let choice = chosen[parameter.index] else {
                if excluded.contains(parameter.index) {
                    kept.append(parameter.name)
                } else {
                    unbound.append(parameter.name)
                }
                continue
            }
            let candidate = tensors[choice.tensor]
            let checkpoint = checkpoints[candidate.source]
            let value = try convert(
                try checkpoint.tensor(named: candidate.name), to: parameter, file: checkpoint.file,
                tensor: candidate.name)
            bound.append(
                Bound(
                    parameter: parameter.name, index: parameter.index, file: checkpoint.file, tensor: candidate.name,
                    rule: choice.rule, value: value))
        }
        let used = Set(chosen.values.map(\.tensor))
        let unused = tensors.indices.filter { !used.contains($0) }.map {
            (file: checkpoints[tensors[$0].source].file, tensor: tensors[$0].name)
        }
        return CheckpointBinding(bound: bound, unboundParameters: unbound, keptSampled: kept, unusedTensors: unused)
    }

    /// A tensor (or recorded array) offered for binding: its name in its file, how
    /// errors show it, and which file it is in.
    public struct NamedTensor: Sendable {
        /// The name in its file.
        public var name: String
        /// The name as errors show it (`file:name` when several files are bound).
        public var label: String
        /// The position of its file among those bound.
        public var source: Int

        /// A named tensor from its parts.
        public init(name: String, label: String, source: Int) {
            self.name = name
            self.label = label
            self.source = source
        }
    }

    /// Which tensor each parameter takes: first the mapping, then ``TensorPath``'s rule
    /// (exact matches over suffix matches) for the rest, each tensor to at most one
    /// parameter. Returns the chosen tensor and rule per parameter position, and the
    /// positions the mapping keeps sampled.
    /// - Parameter holder: the files holding the given tensors, for a mapping that names
    ///   a tensor several files hold.
    /// - Throws: ``CheckpointError`` when a parameter matches several tensors, a tensor several
    ///   parameters, or a mapping names what does not exist.
    public static func match(
        _ tensors: [NamedTensor], to parameters: [GraphParameter], options: CheckpointBindingOptions,
        holder: ([Int]) -> String
    ) throws -> (chosen: [Int: (tensor: Int, rule: String)], excluded: Set<Int>) {
        let paths = tensors.map { tensor -> TensorPath in
            let path = TensorPath(tensor.name)
            for prefix in options.prefixes {
                if let stripped = path.dropping(prefix: prefix) { return stripped }
            }
            return path
        }
        let mappingFile = options.mappingFile ?? "--params-map"
        // Explicit bindings first.
        var chosen: [Int: (tensor: Int, rule: String)] = [:]
        var excluded = Set<Int>()
        for (key, target) in options.mapping.sorted(by: { $0.key < $1.key }) {
            guard let parameter = parameters.parameter(named: key) else {
                throw CheckpointError.badMapping(
                    file: mappingFile,
                    message: "'\(key)' is not a parameter of the graph"
                        + Self.suggestion(key, in: parameters.map(\.name)))
            }
            guard let name = target else {
                excluded.insert(parameter.index)
                continue
            }
            let hits = tensors.indices.filter { tensors[$0].name == name }
            guard hits.count == 1 else {
                throw CheckpointError.badMapping(
                    file: mappingFile,
                    message: hits.isEmpty
                        ? "'\(key)' maps to '\(name)', which no file holds"
                            + Self.suggestion(name, in: tensors.map(\.name))
                        : "'\(key)' maps to '\(name)', which \(hits.count) files hold (\(holder(hits)))")
            }
            chosen[parameter.index] = (hits[0], "mapping")
        }
        let mapped = Set(chosen.values.map(\.tensor))
        // Then the naming rule, for the rest.
        for parameter in parameters where chosen[parameter.index] == nil && !excluded.contains(parameter.index) {
            let candidates = candidatePaths(parameter)
            var best: TensorPath.Match?
            var hits: [Int] = []
            for t in tensors.indices where !mapped.contains(t) {
                guard let strength = candidates.compactMap({ $0.match(paths[t]) }).max() else { continue }
                if best == nil || strength > best! {
                    best = strength
                    hits = [t]
                } else if strength == best {
                    hits.append(t)
                }
            }
            if hits.count > 1 {
                throw CheckpointError.ambiguousParameter(
                    parameter: parameter.name, tensors: hits.map { tensors[$0].label })
            }
            if let t = hits.first { chosen[parameter.index] = (t, best == .exact ? "exact" : "suffix") }
        }
        // A tensor feeds at most one parameter.
        var users: [Int: [Int]] = [:]
        for (p, choice) in chosen { users[choice.tensor, default: []].append(p) }
        for (t, ps) in users.sorted(by: { $0.key < $1.key }) where ps.count > 1 {
            let names = ps.sorted().compactMap { p in parameters.first { $0.index == p }?.name }
            throw CheckpointError.tensorMatchedTwice(tensor: tensors[t].label, parameters: names)
        }
        return (chosen, excluded)
    }

    /// The paths a parameter answers to: its name and aliases under the naming rule, and its
    /// name read as a JAX-sanitised HLO instruction name when that differs.
    static func candidatePaths(_ parameter: GraphParameter) -> [TensorPath] {
        var paths = [TensorPath(parameter.name)] + parameter.aliases.map { TensorPath($0) }
        let hlo = TensorPath(hloInstructionName: parameter.name)
        if !paths.contains(hlo) { paths.append(hlo) }
        return paths
    }

    /// The tensor's values in the parameter's dtype: the same dtype, or another one of the
    /// same kind (float or integer) that holds every value exactly; the shape must be equal.
    /// - Throws: ``CheckpointError/typeMismatch(file:tensor:parameter:message:)`` otherwise.
    public static func convert(_ tensor: Tensor, to parameter: GraphParameter, file: String, tensor name: String) throws
        -> Tensor
    {
        let want = parameter.type
        func mismatch(_ message: String) -> CheckpointError {
            .typeMismatch(file: file, tensor: name, parameter: parameter.name, message: message)
        }
        guard tensor.shape == want.dimensions else {
            throw mismatch("the tensor has shape \(tensor.shape), the parameter \(want)")
        }
        if tensor.dtype == want.dtype { return tensor }
        let kinds = "the tensor is \(tensor.dtype.rawValue), the parameter \(want)"
        switch tensor.elements {
        case .floats(let values):
            guard let format = FloatFormat(name: want.dtype.rawValue) else {
                throw mismatch(kinds)
            }
            if let i = values.firstIndex(where: { !$0.isNaN && !format.isRepresentable($0) }) {
                throw mismatch(
                    "\(kinds), and element \(i) (\(NumberText.format(values[i]))) is not exactly representable in "
                        + "\(want.dtype.rawValue); convert the checkpoint or the parameter")
            }
            return Tensor(type: want, elements: .floats(values))
        case .integers(let values):
            guard want.dtype.isInteger, tensor.dtype != .pred, let range = want.dtype.integerRange else {
                throw mismatch(kinds)
            }
            let source = tensor.dtype
            // u64 values are 64-bit patterns: those of 2^63 or more are negative here.
            if let i = values.firstIndex(where: { (source == .u64 && $0 < 0) || !range.contains($0) }) {
                throw mismatch("\(kinds), and element \(i) is out of \(want.dtype.rawValue)'s range")
            }
            return Tensor(type: want, elements: .integers(values))
        }
    }

    private static func suggestion(_ key: String, in names: [String]) -> String {
        let close = key.closestMatches(in: names)
        return close.isEmpty ? "" : "; did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
