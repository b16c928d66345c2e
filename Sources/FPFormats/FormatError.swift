import FPGraph
import FPNumerics

/// Why a graph or values file could not be read.
///
/// Every case that points into a file carries the ``SourceLocation`` of the
/// offending text; ``description`` renders `file:line:column: error: message`,
/// the form compilers and editors understand. Errors found while building the
/// graph (undefined operands, cycles, shape mismatches, ...) are thrown as
/// ``GraphError`` instead, located at the node's opening brace.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Files

    /// The file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The file is larger than ``JSONLimits/maxBytes``.
    case fileTooLarge(file: String, bytes: Int, limit: Int)

    // MARK: JSON syntax

    /// Malformed JSON: `message` says what was expected and what was found.
    case syntax(message: String, location: SourceLocation)
    /// The file holds no JSON value (it is empty or only whitespace).
    case emptyDocument(location: SourceLocation)
    /// A string runs into a line break or the end of the file; located at its opening quote.
    case unterminatedString(location: SourceLocation)
    /// A backslash escape that JSON does not define, or an unpaired UTF-16 surrogate.
    case invalidEscape(escape: String, reason: String, location: SourceLocation)
    /// Bytes that are not UTF-8.
    case invalidUTF8(location: SourceLocation)
    /// Arrays and objects nested deeper than ``JSONLimits/maxDepth``.
    case nestingTooDeep(limit: Int, location: SourceLocation)
    /// The same key twice in one object.
    case duplicateKey(key: String, first: SourceLocation, location: SourceLocation)
    /// Text after the document's single top-level value.
    case trailingContent(found: String, location: SourceLocation)

    // MARK: Document structure

    /// `"format"` names a format this reader does not understand.
    case unsupportedFormat(found: String, expected: String, location: SourceLocation)
    /// A value of the wrong JSON type; `what` names it ("'shape' of node 'x'").
    case wrongType(what: String, expected: String, found: String, location: SourceLocation)
    /// A required key is absent from the object at `location`.
    case missingKey(key: String, context: String, location: SourceLocation)
    /// A key the format does not define here (typos must not drop attributes silently).
    case unknownKey(key: String, context: String, suggestions: [String], allowed: [String], location: SourceLocation)
    /// An `op` the format does not define.
    case unknownOp(op: String, node: String, suggestions: [String], location: SourceLocation)
    /// A dtype name that is not one of `pred s32 s64 u8 u32 f16 bf16 f32 f64`.
    case unknownDType(name: String, suggestion: String?, location: SourceLocation)
    /// A value of the right JSON type that is not acceptable (negative size, empty name, ...).
    case invalidValue(what: String, message: String, location: SourceLocation)
    /// An element of a constant or a tensor that is not a valid number of its dtype.
    case invalidNumber(text: String, dtype: DType, reason: String, location: SourceLocation)
    /// A parameter's `"sample"` is not a valid distribution.
    case invalidSample(parameter: String, message: String, location: SourceLocation)

    // MARK: XLA HLO text

    /// An XLA opcode that fpaudit does not model (`custom-call`, `rng`, `sort`, ...).
    case unsupportedOpcode(opcode: String, instruction: String, reason: String, location: SourceLocation)
    /// An opcode that XLA does not define either (a typo).
    case unknownOpcode(opcode: String, instruction: String, suggestions: [String], location: SourceLocation)
    /// Several instructions of one module that fpaudit cannot read (each an
    /// ``unsupportedOpcode(opcode:instruction:reason:location:)`` or an
    /// ``unknownOpcode(opcode:instruction:suggestions:location:)``), all
    /// reported at once; located at the first.
    indirect case unreadableInstructions([FormatError])
    /// Valid HLO that uses a feature fpaudit does not model (a dtype, a
    /// comparison type, a dot algorithm, dynamic shapes, ...); `message` says which.
    case unsupported(message: String, location: SourceLocation)
    /// The contents are neither of the graph formats fpaudit reads.
    case unrecognizedFormat(file: String, found: String)

    // MARK: Binding values to parameters

    /// A values key names no parameter of the graph.
    case unknownParameter(key: String, suggestions: [String], location: SourceLocation?)
    /// Two keys resolve to the same parameter (e.g. `"x"` and `"#0"`).
    case duplicateBinding(parameter: String, key: String, firstKey: String, location: SourceLocation?)
    /// No value was given for a parameter.
    case missingBinding(parameter: String, type: ArrayType, location: SourceLocation?)
    /// A value's dtype or shape differs from its parameter's.
    case typeMismatch(key: String, message: String, location: SourceLocation?)
    /// A float element that is not a value of the dtype, or an integer outside its range.
    case notRepresentable(key: String, index: Int, value: String, dtype: DType, location: SourceLocation?)

    /// The source position, when the error points into a file.
    public var location: SourceLocation? {
        switch self {
        case .unreadableFile, .fileTooLarge:
            return nil
        case .syntax(_, let l), .emptyDocument(let l), .unterminatedString(let l), .invalidEscape(_, _, let l),
            .invalidUTF8(let l), .nestingTooDeep(_, let l), .duplicateKey(_, _, let l), .trailingContent(_, let l),
            .unsupportedFormat(_, _, let l), .wrongType(_, _, _, let l), .missingKey(_, _, let l),
            .unknownKey(_, _, _, _, let l), .unknownOp(_, _, _, let l), .unknownDType(_, _, let l),
            .invalidValue(_, _, let l), .invalidNumber(_, _, _, let l), .invalidSample(_, _, let l):
            return l
        case .unsupportedOpcode(_, _, _, let l), .unknownOpcode(_, _, _, let l), .unsupported(_, let l):
            return l
        case .unreadableInstructions(let errors):
            return errors.first?.location
        case .unrecognizedFormat:
            return nil
        case .unknownParameter(_, _, let l), .duplicateBinding(_, _, _, let l), .missingBinding(_, _, let l),
            .typeMismatch(_, _, let l), .notRepresentable(_, _, _, _, let l):
            return l
        }
    }

    /// The message without the location prefix.
    public var message: String {
        switch self {
        case .unreadableFile(_, let reason):
            return "cannot read file: \(reason)"
        case .fileTooLarge(_, let bytes, let limit):
            return "file is \(bytes) bytes, over the limit of \(limit) bytes"
        case .syntax(let message, _):
            return message
        case .emptyDocument:
            return "the file is empty; expected a JSON value"
        case .unterminatedString:
            return "unterminated string (a string must end with '\"' on the same line)"
        case .invalidEscape(let escape, let reason, _):
            return "invalid escape '\(escape)' in string: \(reason)"
        case .invalidUTF8:
            return "invalid UTF-8 byte sequence; the file must be UTF-8"
        case .nestingTooDeep(let limit, _):
            return "arrays and objects are nested deeper than \(limit) levels"
        case .duplicateKey(let key, let first, _):
            return "duplicate key '\(key)' (first given at \(first.line):\(first.column))"
        case .trailingContent(let found, _):
            return "unexpected \(found) after the JSON value; a file holds exactly one value"
        case .unsupportedFormat(let found, let expected, _):
            return "unsupported format '\(found)'; this reader understands '\(expected)'"
        case .wrongType(let what, let expected, let found, _):
            return "\(what) must be \(expected), found \(found)"
        case .missingKey(let key, let context, _):
            return "\(context) is missing the required key '\(key)'"
        case .unknownKey(let key, let context, let suggestions, let allowed, _):
            return "unknown key '\(key)' in \(context)" + Self.didYouMean(suggestions)
                + " (allowed keys: " + allowed.joined(separator: ", ") + ")"
        case .unknownOp(let op, let node, let suggestions, _):
            let hint =
                suggestions.isEmpty
                ? "; known ops: " + GraphJSON.opNames.joined(separator: " ")
                : Self.didYouMean(suggestions)
            return "unknown op '\(op)' in node '\(node)'" + hint
        case .unknownDType(let name, let suggestion, _):
            let hint =
                suggestion.map { "; write '\($0)'" }
                ?? "; expected one of " + DType.allCases.map(\.rawValue).joined(separator: " ")
            return "unknown dtype '\(name)'" + hint
        case .invalidValue(let what, let message, _):
            return "\(what): \(message)"
        case .invalidNumber(let text, let dtype, let reason, _):
            return "'\(text)' is not a valid \(dtype.rawValue) element: \(reason)"
        case .invalidSample(let parameter, let message, _):
            return "parameter '\(parameter)': invalid sample distribution: \(message)"
        case .unsupportedOpcode(let opcode, let instruction, let reason, _):
            return "instruction '\(instruction)' uses opcode '\(opcode)', which fpaudit does not support: \(reason)"
        case .unreadableInstructions(let errors):
            if errors.count == 1 { return errors[0].message }
            return "\(errors.count) instructions use opcodes fpaudit cannot read:"
                + errors.map { "\n  \($0.description)" }.joined()
        case .unknownOpcode(let opcode, let instruction, let suggestions, _):
            return "instruction '\(instruction)' uses '\(opcode)', which is not an XLA opcode"
                + Self.didYouMean(suggestions)
        case .unsupported(let message, _):
            return message
        case .unrecognizedFormat(_, let found):
            return "cannot tell the graph format: the file starts with \(found), but a JSON graph starts with '{' "
                + "and XLA HLO text with 'HloModule' (or name the file *.json, *.hlo or *.txt)"
        case .unknownParameter(let key, let suggestions, _):
            return "'\(key)' is not a parameter of the graph" + Self.didYouMean(suggestions)
        case .duplicateBinding(let parameter, let key, let firstKey, _):
            let via = key == parameter && firstKey == parameter ? "" : " (as '\(firstKey)' and as '\(key)')"
            return "the graph's parameter '\(parameter)' is given twice\(via)"
        case .missingBinding(let parameter, let type, _):
            return "no value given for the graph's parameter '\(parameter)' (\(type))"
        case .typeMismatch(_, let message, _):
            return message
        case .notRepresentable(let key, let index, let value, let dtype, _):
            if let format = dtype.floatFormat {
                var nearest = ""
                if let x = NumberText.parse(value) {
                    if format.round(x).isNaN && !x.isNaN {
                        nearest =
                            "; \(dtype.rawValue) has no infinities and its largest finite value is \(NumberText.format(format.maxFinite))"
                    } else {
                        nearest = "; the nearest \(dtype.rawValue) value is \(HexFloat.format(format.round(x)))"
                    }
                }
                return
                    "'\(key)' element \(index) (\(value)) is not exactly representable in \(dtype.rawValue)\(nearest)"
            }
            let range = dtype.integerRangeText.map { " (\($0))" } ?? ""
            return "'\(key)' element \(index) (\(value)) is out of range for \(dtype.rawValue)\(range)"
        }
    }

    /// `file:line:column: error: message`, or `path: error: message` for file-level errors.
    public var description: String {
        if let location { return "\(location): error: \(message)" }
        switch self {
        case .unreadableFile(let path, _): return "\(path): error: \(message)"
        case .fileTooLarge(let file, _, _): return "\(file): error: \(message)"
        case .unrecognizedFormat(let file, _): return "\(file): error: \(message)"
        default: return "error: \(message)"
        }
    }

    private static func didYouMean(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        return "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}

extension FormatError: ReportableError {
    /// ``location``.
    public var sourceLocation: SourceLocation? { location }
}
