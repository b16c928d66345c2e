/// The one naming rule that binds checkpoint tensors to graph parameters.
///
/// A name is read as a path of components, whatever its spelling:
/// - pytree paths as JAX writes them in `op_name` metadata:
///   `params['Dense_0']['kernel']`, `x[0]`, `state["step"]` → `params/Dense_0/kernel`, `x/0`, `state/step`;
/// - `/`-separated keys (`np.savez(**flatten_dict(params, sep="/"))`): `params/Dense_0/kernel`;
/// - `.`-separated keys (safetensors from flax or PyTorch): `params.Dense_0.kernel`, `layer.0.weight`;
/// - JAX's sanitised parameter names in HLO without metadata, where each `['k']` became `__k__`
///   and XLA appended `.N`: `params__Dense_0____kernel__.1` → `params/Dense_0/kernel` (read this
///   way only when the name has a `__`).
///
/// Two paths match when they are equal, or when the shorter one is a component suffix of the
/// longer one (`variables/params/Dense_0/kernel` matches `Dense_0/kernel` and `params/Dense_0/kernel`,
/// not `0/kernel`... that is, any suffix of whole components). Exact matches win over suffix matches.
public struct TensorPath: Hashable, Sendable, CustomStringConvertible {
    /// The path's components, outermost first.
    public var components: [String]

    /// A path from its components.
    public init(components: [String]) { self.components = components }

    /// Reads a name under the rule above.
    public init(_ name: String) {
        components = Self.parse(name)
    }

    /// A graph parameter's name as HLO wrote it: an instruction name that may carry
    /// XLA's `.N` suffix and JAX's `__k__` sanitisation of `['k']`.
    public init(hloInstructionName name: String) {
        var base = Substring(name)
        if let dot = base.lastIndex(of: "."), base[base.index(after: dot)...].allSatisfy(\.isNumber),
            base.index(after: dot) < base.endIndex
        {
            base = base[..<dot]
        }
        if base.contains("__") {
            components = base.components(separatedBy: "__").filter { !$0.isEmpty }
        } else {
            components = Self.parse(String(base))
        }
    }

    /// `a/b/c`.
    public var description: String { components.joined(separator: "/") }

    /// The path without its first `count` components when they equal `prefix`'s; nil otherwise.
    public func dropping(prefix: TensorPath) -> TensorPath? {
        guard components.count > prefix.components.count,
            Array(components.prefix(prefix.components.count)) == prefix.components
        else { return nil }
        return TensorPath(components: Array(components.dropFirst(prefix.components.count)))
    }

    /// How well two paths match: `.exact` when equal, `.suffix` when one is a whole-component
    /// suffix of the other, nil otherwise.
    public func match(_ other: TensorPath) -> Match? {
        guard !components.isEmpty, !other.components.isEmpty else { return nil }
        if components == other.components { return .exact }
        let (short, long) =
            components.count < other.components.count ? (components, other.components) : (other.components, components)
        return Array(long.suffix(short.count)) == short ? .suffix : nil
    }

    /// The strength of a match; exact matches win over suffix matches.
    public enum Match: Int, Comparable, Sendable {
        case suffix = 1, exact = 2
        /// A suffix match is weaker than an exact one.
        public static func < (a: Match, b: Match) -> Bool { a.rawValue < b.rawValue }
    }

    private static func parse(_ name: String) -> [String] {
        var components: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { components.append(current) }
            current = ""
        }
        var chars = Array(name)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case "/", ".":
                flush()
            case "[":
                flush()
                // ['key'], ["key"] or [index]; an unterminated bracket keeps its text.
                var key = ""
                var quote: Character?
                if let q = chars.first, q == "'" || q == "\"" {
                    quote = q
                    chars = chars.dropFirst()
                }
                while let d = chars.first {
                    if quote != nil, d == "\\", chars.count > 1 {
                        key.append(chars[chars.index(after: chars.startIndex)])
                        chars = chars.dropFirst(2)
                        continue
                    }
                    if let quote, d == quote {
                        chars = chars.dropFirst()
                        continue
                    }
                    if d == "]" { break }
                    key.append(d)
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst()  // the "]"
                if !key.isEmpty { components.append(key) }
            default:
                current.append(c)
            }
        }
        flush()
        return components
    }
}
