import FPEval
import FPGraph
import FPNumerics
import FPVerify
import Foundation
import Yams

/// One policy file as written, before merging with what it extends.
struct PolicyFile {
    static let topKeys = ["name", "version", "extends", "settings", "inputs", "rules", "waivers"]
    static let settingsKeys = [
        "samples", "seed", "exec", "precision", "precision_cap", "reduction_order", "subnormals",
    ]
    static let ruleKeys = ["id", "description", "severity", "scope", "require"]
    static let scopeKeys = ["outputs", "dtypes", "passes", "graphs"]
    static let waiverKeys = ["rule", "match", "reason", "approved_by", "expires"]
    static let matchKeys = ["graph", "pass", "output"]

    var name: String?
    var version: String?
    var extends: (String, Yams.Node)?
    var settings = PolicySettings()
    var inputs: [InputRule] = []
    var rules: [PolicyRule] = []
    var waivers: [Waiver] = []
    /// The `rule` node of each waiver, for unknown-rule errors.
    var waiverRuleNodes: [Yams.Node] = []

    init(_ root: Yams.Node, reader r: YAMLReader) throws {
        for (key, _, value) in try r.mapping(root, "", allowed: Self.topKeys) {
            switch key {
            case "name": name = try r.nonEmptyString(value, key)
            case "version": version = try r.nonEmptyString(value, key)
            case "extends": extends = (try r.nonEmptyString(value, key), value)
            case "settings": settings = try Self.parseSettings(value, r)
            case "inputs": inputs = try Self.parseInputs(value, r)
            case "rules": rules = try Self.parseRules(value, r)
            case "waivers":
                for (i, node) in try r.sequence(value, key).enumerated() {
                    let (waiver, ruleNode) = try Self.parseWaiver(node, "waivers[\(i)]", r)
                    waivers.append(waiver)
                    waiverRuleNodes.append(ruleNode)
                }
            default: fatalError("unreachable: \(key)")
            }
        }
        if extends == nil, name == nil {
            throw PolicyError.missingKey(r.location(root), keyPath: "", key: "name")
        }
    }

    // MARK: Sections

    static func parseSettings(_ node: Yams.Node, _ r: YAMLReader) throws -> PolicySettings {
        var s = PolicySettings()
        let precisionRange = 64...(1 << 20)
        for (key, _, value) in try r.mapping(node, "settings", allowed: settingsKeys) {
            let path = "settings.\(key)"
            switch key {
            case "samples": s.samples = try r.integer(value, path, in: 1...Int.max)
            case "seed": s.seed = UInt64(try r.integer(value, path, in: 0...Int.max))
            case "exec": s.exec = try r.choice(value, path, ExecutionMode.self)
            case "precision":
                if case .scalar(let scalar) = value, scalar.string == "auto" {
                    s.precision = .auto
                } else if value.scalarKind == .int {
                    s.precision = .bits(try r.integer(value, path, in: precisionRange))
                } else {
                    throw r.wrongType(value, path, "'auto' or a number of bits")
                }
            case "precision_cap": s.precisionCap = try r.integer(value, path, in: precisionRange)
            case "reduction_order": s.reductionOrder = try r.choice(value, path, ReductionOrder.self)
            case "subnormals": s.subnormals = try r.choice(value, path, SubnormalMode.self)
            default: fatalError("unreachable: \(key)")
            }
        }
        return s
    }

    static func parseInputs(_ node: Yams.Node, _ r: YAMLReader) throws -> [InputRule] {
        try r.anyMapping(node, "inputs").map { key, _, value in
            let path = "inputs.\(key)"
            let spec = try r.string(value, path)
            if spec.hasPrefix("data(") && spec.hasSuffix(")") {
                return try Self.dataInput(key, spec, value, path, r)
            }
            if spec.hasPrefix("checkpoint(") && spec.hasSuffix(")") {
                return try Self.checkpointInput(key, spec, value, path, r)
            }
            do {
                _ = try Distribution.parse(spec)
            } catch let error as DistributionError {
                throw PolicyError.invalidValue(r.location(value), keyPath: path, message: error.description)
            }
            return InputRule(pattern: key, distribution: spec)
        }
    }

    /// `data(FILE)`: fixed values for the matching parameters, from a `.npy`
    /// array or a values `.json` file, relative to the policy's directory.
    static func dataInput(
        _ pattern: String, _ spec: String, _ node: Yams.Node, _ path: String,
        _ r: YAMLReader
    ) throws -> InputRule {
        try fileInput(
            pattern, spec, prefix: "data(", extensions: [".npy", ".json"],
            kinds: ("data files are .npy arrays or .json values files", "data file"), node, path, r)
    }

    /// `checkpoint(FILE)`: the matching parameters take tensors of a `.safetensors` or
    /// `.npz` checkpoint, bound by name, relative to the policy's directory.
    static func checkpointInput(
        _ pattern: String, _ spec: String, _ node: Yams.Node, _ path: String, _ r: YAMLReader
    ) throws -> InputRule {
        try fileInput(
            pattern, spec, prefix: "checkpoint(", extensions: [".safetensors", ".npz"],
            kinds: ("checkpoints are .safetensors or .npz files", "checkpoint"), node, path, r)
    }

    /// An input read from a file named in `spec` (`prefix` FILE `)`), relative to the
    /// policy's directory: its bytes, read once, and their SHA-256 (part of the policy's
    /// canonical hash).
    private static func fileInput(
        _ pattern: String, _ spec: String, prefix: String, extensions: [String],
        kinds: (rule: String, noun: String), _ node: Yams.Node, _ path: String, _ r: YAMLReader
    ) throws -> InputRule {
        let name = String(spec.dropFirst(prefix.count).dropLast())
        guard extensions.contains(where: { name.hasSuffix($0) }) else {
            throw PolicyError.invalidValue(r.location(node), keyPath: path, message: "\(kinds.rule), got '\(name)'")
        }
        let file = PolicyLoader.dataPath(name, policyPath: r.file)
        guard let bytes = r.readFile(file) else {
            throw PolicyError.invalidValue(
                r.location(node), keyPath: path, message: "cannot read \(kinds.noun) '\(file)'")
        }
        let digest = fileSHA256(bytes)
        return InputRule(pattern: pattern, distribution: spec, dataFile: file, dataSHA256: digest, dataBytes: bytes)
    }

    static func parseRules(_ node: Yams.Node, _ r: YAMLReader) throws -> [PolicyRule] {
        var rules: [PolicyRule] = []
        for (i, item) in try r.sequence(node, "rules").enumerated() {
            let path = "rules[\(i)]"
            var id: String?
            var description = ""
            var severity: Severity?
            var scope = RuleScope()
            var require: PolicyExpression?
            var idNode: Yams.Node?
            for (key, _, value) in try r.mapping(item, path, allowed: ruleKeys) {
                let keyPath = "\(path).\(key)"
                switch key {
                case "id":
                    id = try r.nonEmptyString(value, keyPath)
                    idNode = value
                case "description": description = try r.string(value, keyPath)
                case "severity": severity = try r.choice(value, keyPath, SeverityName.self).severity
                case "scope": scope = try Self.parseScope(value, keyPath, r)
                case "require":
                    let text = try r.nonEmptyString(value, keyPath)
                    require = try PolicyExpression.parse(text, keyPath: keyPath, position: r.positions(of: value))
                default: fatalError("unreachable: \(key)")
                }
            }
            guard let id, let idNode else { throw PolicyError.missingKey(r.location(item), keyPath: path, key: "id") }
            guard let severity else { throw PolicyError.missingKey(r.location(item), keyPath: path, key: "severity") }
            guard let require else { throw PolicyError.missingKey(r.location(item), keyPath: path, key: "require") }
            if rules.contains(where: { $0.id == id }) {
                throw PolicyError.duplicateRule(r.location(idNode), keyPath: "\(path).id", id: id)
            }
            rules.append(
                PolicyRule(id: id, description: description, severity: severity, scope: scope, require: require))
        }
        return rules
    }

    static func parseScope(_ node: Yams.Node, _ path: String, _ r: YAMLReader) throws -> RuleScope {
        var scope = RuleScope()
        for (key, _, value) in try r.mapping(node, path, allowed: scopeKeys) {
            let keyPath = "\(path).\(key)"
            let list = try r.stringList(value, keyPath)
            switch key {
            case "outputs": scope.outputs = list
            case "passes": scope.passes = list
            case "graphs": scope.graphs = list
            case "dtypes":
                scope.dtypes = try list.map { name in
                    guard let dtype = DType(name: name) else {
                        throw PolicyError.invalidValue(
                            r.location(value), keyPath: keyPath,
                            message:
                                "unknown dtype '\(name)'; expected one of \(DType.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    return dtype
                }
            default: fatalError("unreachable: \(key)")
            }
        }
        return scope
    }

    static func parseWaiver(_ node: Yams.Node, _ path: String, _ r: YAMLReader) throws -> (Waiver, Yams.Node) {
        var rule: (String, Yams.Node)?
        var match = WaiverMatch()
        var reason: String?
        var approvedBy: String?
        var expires: String?
        for (key, _, value) in try r.mapping(node, path, allowed: waiverKeys) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "rule": rule = (try r.nonEmptyString(value, keyPath), value)
            case "reason": reason = try r.nonEmptyString(value, keyPath)
            case "approved_by": approvedBy = try r.nonEmptyString(value, keyPath)
            case "expires":
                let text = try r.string(value, keyPath)
                guard isISODate(text) else {
                    throw PolicyError.invalidValue(
                        r.location(value), keyPath: keyPath,
                        message: "expected a date YYYY-MM-DD, got '\(text)'")
                }
                expires = text
            case "match":
                for (k, _, v) in try r.mapping(value, keyPath, allowed: matchKeys) {
                    let s = try r.nonEmptyString(v, "\(keyPath).\(k)")
                    switch k {
                    case "graph": match.graph = s
                    case "pass": match.pass = s
                    default: match.output = s
                    }
                }
            default: fatalError("unreachable: \(key)")
            }
        }
        for (key, value) in [("rule", rule?.0), ("reason", reason), ("approved_by", approvedBy), ("expires", expires)]
        where value == nil {
            throw PolicyError.missingKey(r.location(node), keyPath: path, key: key)
        }
        return (
            Waiver(rule: rule!.0, match: match, reason: reason!, approvedBy: approvedBy!, expires: expires!), rule!.1
        )
    }

    /// `YYYY-MM-DD` naming a real calendar day.
    static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m)
        else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }

    // MARK: Merging

    /// This file's content merged over `parent` (see ``PolicyLoader``).
    /// A parent's input pattern that the child repeats is dropped: the
    /// child's comes first and always wins, and the canonical text must not
    /// hold the same key twice.
    func merged(over parent: Policy?, path: String) throws -> Policy {
        var rules = parent?.rules ?? []
        for rule in self.rules {
            if let i = rules.firstIndex(where: { $0.id == rule.id }) { rules[i] = rule } else { rules.append(rule) }
        }
        var settings = parent?.settings ?? PolicySettings()
        let own = self.settings
        settings.samples = own.samples ?? settings.samples
        settings.seed = own.seed ?? settings.seed
        settings.exec = own.exec ?? settings.exec
        settings.precision = own.precision ?? settings.precision
        settings.precisionCap = own.precisionCap ?? settings.precisionCap
        settings.reductionOrder = own.reductionOrder ?? settings.reductionOrder
        settings.subnormals = own.subnormals ?? settings.subnormals
        let chain = parent.map { [$0.sourcePath] + $0.extendsChain } ?? []
        return Policy(
            name: name ?? parent?.name ?? "", version: version ?? parent?.version ?? "0",
            sourcePath: path, extendsChain: chain, settings: settings,
            inputs: inputs + (parent?.inputs ?? []).filter { p in !inputs.contains { $0.pattern == p.pattern } },
            rules: rules,
            waivers: (parent?.waivers ?? []) + waivers)
    }

    /// Every waiver of this file must name a rule of the merged policy.
    func checkWaivers(against policy: Policy, reader: YAMLReader) throws {
        let ids = policy.rules.map(\.id)
        for (i, waiver) in waivers.enumerated() where !ids.contains(waiver.rule) {
            throw PolicyError.unknownRule(
                reader.location(waiverRuleNodes[i]), keyPath: "waivers[\(i)].rule",
                id: waiver.rule, suggestion: closest(to: waiver.rule, in: ids))
        }
    }
}

/// The spellings of ``Severity`` in a policy.
enum SeverityName: String, CaseIterable {
    case error, warning, info

    var severity: Severity { Severity(rawValue: rawValue)! }
}
