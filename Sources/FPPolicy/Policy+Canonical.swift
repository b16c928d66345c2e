import FPGraph
import FPNumerics
import FPVerify
import Foundation

extension Policy {
    /// SHA-256 (hex) of ``canonicalText``: the same for any two files whose
    /// merged policies are equal, whatever their formatting, key order,
    /// comments or `extends` structure.
    public var canonicalHash: String {
        fileSHA256(Data(canonicalText.utf8))
    }

    /// The merged policy as YAML in a fixed layout (keys in language order,
    /// strings double-quoted, expressions in canonical form, unset settings
    /// omitted, no `extends`). Loading it gives the same policy.
    public var canonicalText: String { render(defaults: nil) }

    /// `policy explain`: the merged policy as loadable YAML with every
    /// default made explicit (settings from `defaults`, empty scopes as `[]`,
    /// absent waiver matches as `"*"`), headed by comments naming the source,
    /// the `extends` chain and the canonical hash.
    public func explained(defaults: VerificationConfig = VerificationConfig()) -> String {
        var header = "# effective policy from \(sourcePath)\n"
        for parent in extendsChain { header += "#   extends \(parent)\n" }
        header += "# canonical hash: \(canonicalHash)\n"
        return header + render(defaults: defaults)
    }

    private func render(defaults: VerificationConfig?) -> String {
        var out = "name: \(quote(name))\nversion: \(quote(version))\n"
        let s = defaults.map { settings.resolved(over: $0) } ?? settings
        var lines: [String] = []
        if let v = s.samples { lines.append("samples: \(v)") }
        if let v = s.seed { lines.append("seed: \(v)") }
        if let v = s.exec { lines.append("exec: \(v.rawValue)") }
        if let v = s.precision { lines.append("precision: \(v)") }
        if let v = s.precisionCap { lines.append("precision_cap: \(v)") }
        if let v = s.reductionOrder { lines.append("reduction_order: \(v.rawValue)") }
        if let v = s.subnormals { lines.append("subnormals: \(v.rawValue)") }
        out += lines.isEmpty ? "settings: {}\n" : "settings:\n" + lines.map { "  \($0)\n" }.joined()
        out +=
            inputs.isEmpty
            ? "inputs: {}\n"
            : "inputs:\n"
                + inputs.map {
                    "  \(quote($0.pattern)): \(quote($0.distribution))"
                        + ($0.dataSHA256.map { "  # sha256 \($0)" } ?? "") + "\n"
                }.joined()
        func list(_ items: [String]) -> String { "[" + items.map(quote).joined(separator: ", ") + "]" }
        let explicit = defaults != nil
        out += rules.isEmpty ? "rules: []\n" : "rules:\n"
        for r in rules {
            out += "  - id: \(quote(r.id))\n    description: \(quote(r.description))\n"
            out += "    severity: \(r.severity.rawValue)\n"
            let scopes = [
                ("outputs", r.scope.outputs), ("dtypes", r.scope.dtypes.map(\.rawValue)),
                ("passes", r.scope.passes), ("graphs", r.scope.graphs),
            ]
            .filter { explicit || !$0.1.isEmpty }
            if !scopes.isEmpty {
                out += "    scope:\n" + scopes.map { "      \($0.0): \(list($0.1))\n" }.joined()
            }
            out += "    require: \(quote(r.require.canonical))\n"
        }
        out += waivers.isEmpty ? "waivers: []\n" : "waivers:\n"
        for w in waivers {
            out += "  - rule: \(quote(w.rule))\n"
            let match = [("graph", w.match.graph), ("pass", w.match.pass), ("output", w.match.output)]
                .compactMap { k, v in (v ?? (explicit ? "*" : nil)).map { (k, $0) } }
            if !match.isEmpty { out += "    match:\n" + match.map { "      \($0.0): \(quote($0.1))\n" }.joined() }
            out += "    reason: \(quote(w.reason))\n    approved_by: \(quote(w.approvedBy))\n"
            out += "    expires: \(w.expires)\n"
        }
        return out
    }
}

/// A YAML double-quoted string (JSON escapes are valid YAML).
private func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 { out += CFormat.string("\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}
