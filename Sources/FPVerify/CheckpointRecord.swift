/// Which checkpoint tensors a run bound to which parameters (`--params`), recorded
/// in the configuration, hence in every report and audit log entry, so a replay can
/// read the same files, prove they are unchanged, and bind the same tensors.
public struct CheckpointRecord: Codable, Sendable, Equatable {
    /// One checkpoint file.
    public struct File: Codable, Sendable, Equatable {
        /// The path as given.
        public var path: String
        /// `safetensors` or `npz`.
        public var format: String
        /// SHA-256 of its bytes, lowercase hex.
        public var sha256: String
        /// Its tensors that no parameter took, in file order.
        public var unusedTensors: [String]

        /// A file's record from its parts.
        public init(path: String, format: String, sha256: String, unusedTensors: [String]) {
            self.path = path
            self.format = format
            self.sha256 = sha256
            self.unusedTensors = unusedTensors
        }

        enum CodingKeys: String, CodingKey {
            case path, format, sha256, unusedTensors = "unused_tensors"
        }
    }

    /// One parameter bound to one tensor.
    public struct Binding: Codable, Sendable, Equatable {
        /// The parameter's name in the graph the run configured (the original, or a trace's first snapshot).
        public var parameter: String
        /// The parameter's position.
        public var index: Int
        /// The path of the checkpoint holding the tensor.
        public var file: String
        /// The tensor's name in that file.
        public var tensor: String
        /// `mapping`, `exact` or `suffix`: which rule bound them.
        public var rule: String

        /// A binding from its parts.
        public init(parameter: String, index: Int, file: String, tensor: String, rule: String) {
            self.parameter = parameter
            self.index = index
            self.file = file
            self.tensor = tensor
            self.rule = rule
        }
    }

    /// The checkpoint files, in the order given.
    public var files: [File]
    /// Every bound parameter, in parameter order.
    public var bindings: [Binding]
    /// Parameters no tensor matched: they were sampled from their distributions.
    public var unboundParameters: [String]
    /// Parameters a mapping (or an explicit `--input`/`data(FILE)`) kept sampled.
    public var keptSampled: [String]

    /// A record from its parts.
    public init(files: [File], bindings: [Binding], unboundParameters: [String], keptSampled: [String]) {
        self.files = files
        self.bindings = bindings
        self.unboundParameters = unboundParameters
        self.keptSampled = keptSampled
    }

    enum CodingKeys: String, CodingKey {
        case files, bindings, unboundParameters = "unbound_parameters", keptSampled = "kept_sampled"
    }

    /// One line for reports: `6 parameters from pytree.safetensors (sha256 bd83b2ff6f8b); sampled: x`.
    public var summary: String {
        let names = files.map { f in
            "\(f.path.split(separator: "/").last.map(String.init) ?? f.path) (sha256 \(f.sha256.prefix(12)))"
        }
        var text = "\(bindings.count) parameter\(bindings.count == 1 ? "" : "s") from " + names.joined(separator: ", ")
        let rules = Dictionary(grouping: bindings, by: \.rule).mapValues(\.count)
        let ruleText = ["mapping", "exact", "suffix"].compactMap { r in rules[r].map { "\($0) by \(r)" } }
        if !ruleText.isEmpty { text += ", " + ruleText.joined(separator: ", ") }
        let sampled = unboundParameters + keptSampled
        text += "; not from a checkpoint: " + (sampled.isEmpty ? "none" : sampled.joined(separator: ", "))
        let unused = files.flatMap(\.unusedTensors)
        if !unused.isEmpty {
            text +=
                "; \(unused.count) unused tensor\(unused.count == 1 ? "" : "s"): "
                + unused.prefix(8).joined(separator: ", ") + (unused.count > 8 ? ", ..." : "")
        }
        return text
    }
}
