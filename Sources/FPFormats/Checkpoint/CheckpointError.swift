import FPGraph

/// Why a checkpoint could not be read or bound to a graph's parameters.
///
/// Checkpoints are binary files: errors that point into one name the file
/// and, where it helps, the byte offset; binding errors name the tensor, the
/// file and the parameter.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a valid checkpoint of its format: `message` says what is wrong,
    /// at byte `offset` when known.
    case malformed(file: String, offset: Int?, message: String)
    /// The file's extension or first bytes name no checkpoint format fpaudit reads.
    case unknownFormat(file: String)
    /// A tensor holds a dtype the graph model has no counterpart for (`F8_E8M0`, complex, ...).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A tensor's dtype or shape does not fit the parameter it binds to.
    case typeMismatch(file: String, tensor: String, parameter: String, message: String)
    /// A parameter matches several tensors under the naming rule.
    case ambiguousParameter(parameter: String, tensors: [String])
    /// One tensor matches several parameters under the naming rule.
    case tensorMatchedTwice(tensor: String, parameters: [String])
    /// The mapping file names a parameter or tensor that does not exist, or is itself malformed.
    case badMapping(file: String, message: String)
    /// A recorded input set cannot be used as asked (`message` says why).
    case unusableRecording(file: String, message: String)
    /// A recorded run's checkpoint no longer has the bytes it had (its SHA-256 differs).
    case changedSinceRecorded(file: String, recorded: String, found: String)
    /// `--params-strict`: some parameters have no tensor, or some tensors bind to nothing.
    case incompleteBinding(unboundParameters: [String], unusedTensors: [String])

    /// The message without the file prefix.
    public var message: String {
        switch self {
        case .malformed(_, let offset, let message):
            return message + (offset.map { " (at byte \($0))" } ?? "")
        case .unknownFormat:
            return "not a checkpoint fpaudit reads: expected a .safetensors file or an .npz archive of .npy arrays"
        case .unsupportedDType(_, let tensor, let dtype):
            return "tensor '\(tensor)' has dtype \(dtype), which fpaudit's graphs do not have"
        case .typeMismatch(_, let tensor, let parameter, let message):
            return "tensor '\(tensor)' cannot bind to parameter '\(parameter)': \(message)"
        case .ambiguousParameter(let parameter, let tensors):
            return "parameter '\(parameter)' matches \(tensors.count) tensors ("
                + tensors.map { "'\($0)'" }.joined(separator: ", ")
                + "); name one in a mapping file (--params-map)"
        case .tensorMatchedTwice(let tensor, let parameters):
            return "tensor '\(tensor)' matches \(parameters.count) parameters ("
                + parameters.map { "'\($0)'" }.joined(separator: ", ")
                + "); name the intended one in a mapping file (--params-map)"
        case .badMapping(_, let message):
            return message
        case .unusableRecording(_, let message):
            return message
        case .changedSinceRecorded(_, let recorded, let found):
            return "the checkpoint changed since the run was recorded: its SHA-256 is \(found.prefix(16))…, "
                + "the record says \(recorded.prefix(16))…; a replay must use the same weights"
        case .incompleteBinding(let parameters, let tensors):
            var parts: [String] = []
            if !parameters.isEmpty {
                parts.append("parameters without a tensor: " + parameters.joined(separator: ", "))
            }
            if !tensors.isEmpty { parts.append("tensors bound to no parameter: " + tensors.joined(separator: ", ")) }
            return "--params-strict: " + parts.joined(separator: "; ")
        }
    }

    /// The file the error is about, when there is one.
    public var file: String? {
        switch self {
        case .malformed(let file, _, _), .unknownFormat(let file), .unsupportedDType(let file, _, _),
            .typeMismatch(let file, _, _, _), .badMapping(let file, _), .changedSinceRecorded(let file, _, _),
            .unusableRecording(let file, _):
            return file
        case .ambiguousParameter, .tensorMatchedTwice, .incompleteBinding:
            return nil
        }
    }

    /// `file: error: message`, or `error: message` when no one file is at fault.
    public var description: String {
        (file.map { "\($0): " } ?? "") + "error: " + message
    }
}

extension CheckpointError: ReportableError {
    /// Checkpoints are binary: errors name the file and byte, not a line.
    public var sourceLocation: SourceLocation? { nil }
}
