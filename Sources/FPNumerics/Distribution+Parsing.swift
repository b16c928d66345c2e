extension Distribution {
    /// Parses a distribution spelling.
    ///
    /// Grammar (names and parameter names are case-insensitive, whitespace
    /// around every token is ignored):
    /// - `normal(mean, std)`, e.g. `normal(0, 1)` or `normal(mean=0, std=1)`;
    /// - `uniform(lo, hi)`, e.g. `uniform(-1, 1)`;
    /// - `loguniform(lo, hi)` and, with a random sign,
    ///   `loguniform(lo, hi, symmetric)` or its shorthand `sloguniform(lo, hi)`;
    /// - `ieee` (or `ieee()`);
    /// - `integers(lo, hi)`, uniform over the integers from lo to hi inclusive;
    /// - `const(value)` (or `constant(value)`).
    ///
    /// Arguments are positional or `name=value`, in any mix (positional ones
    /// fill the parameters not named, in order). Numbers are anything
    /// ``NumberText/parse(_:)`` accepts: decimal, C99 hex floats, `inf`, `nan`.
    /// The result is checked with ``validate()``.
    ///
    /// - Throws: ``DistributionError`` describing what was expected.
    public static func parse(_ text: String) throws -> Distribution {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw DistributionError.empty }

        let nameEnd = trimmed.firstIndex(where: { !($0.isASCII && $0.isLetter) }) ?? trimmed.endIndex
        let name = String(trimmed[..<nameEnd]).lowercased()
        let rest = String(trimmed[nameEnd...]).trimmingASCIIWhitespace()
        guard let kind = Kind(rawName: name) else {
            throw DistributionError.unknownDistribution(name.isEmpty ? trimmed : String(trimmed[..<nameEnd]))
        }

        var arguments: [String] = []
        if !rest.isEmpty {
            guard rest.first == "(", rest.last == ")", rest.count >= 2 else {
                throw DistributionError.malformed(text: trimmed, expected: "\(kind.signature)")
            }
            let inner = String(rest.dropFirst().dropLast()).trimmingASCIIWhitespace()
            if !inner.isEmpty {
                arguments = inner.split(separator: ",", omittingEmptySubsequences: false)
                    .map { String($0).trimmingASCIIWhitespace() }
            }
        } else if kind != .ieee {
            throw DistributionError.malformed(text: trimmed, expected: "\(kind.signature)")
        }

        let distribution = try kind.build(from: arguments, originalText: trimmed)
        try distribution.validate()
        return distribution
    }

    /// The distribution families as spelled, with their parameters.
    private enum Kind: Equatable {
        case normal, uniform, logUniform(symmetric: Bool), ieee, integers, constant

        init?(rawName: String) {
            switch rawName {
            case "normal": self = .normal
            case "uniform": self = .uniform
            case "loguniform": self = .logUniform(symmetric: false)
            case "sloguniform": self = .logUniform(symmetric: true)
            case "ieee": self = .ieee
            case "integers": self = .integers
            case "const", "constant": self = .constant
            default: return nil
            }
        }

        var name: String {
            switch self {
            case .normal: return "normal"
            case .uniform: return "uniform"
            case .logUniform(let symmetric): return symmetric ? "sloguniform" : "loguniform"
            case .ieee: return "ieee"
            case .integers: return "integers"
            case .constant: return "const"
            }
        }

        var parameters: [String] {
            switch self {
            case .normal: return ["mean", "std"]
            case .uniform, .logUniform, .integers: return ["lo", "hi"]
            case .ieee: return []
            case .constant: return ["value"]
            }
        }

        var signature: String {
            switch self {
            case .ieee: return "'ieee'"
            case .logUniform(false): return "'loguniform(lo, hi)' or 'loguniform(lo, hi, symmetric)'"
            default: return "'\(name)(\(parameters.joined(separator: ", ")))'"
            }
        }

        func build(from arguments: [String], originalText: String) throws -> Distribution {
            var symmetric = false
            if case .logUniform(let s) = self { symmetric = s }
            var values: [String: Double] = [:]
            var positional: [String] = []

            for argument in arguments {
                if argument.isEmpty {
                    throw DistributionError.malformed(text: originalText, expected: "an argument between commas")
                }
                if case .logUniform = self, argument.lowercased() == "symmetric" {
                    symmetric = true
                    continue
                }
                guard let equals = argument.firstIndex(of: "=") else {
                    positional.append(argument)
                    continue
                }
                let key = String(argument[..<equals]).trimmingASCIIWhitespace().lowercased()
                let valueText = String(argument[argument.index(after: equals)...]).trimmingASCIIWhitespace()
                guard parameters.contains(key) else {
                    throw DistributionError.unknownParameter(distribution: name, name: key, expected: parameters)
                }
                guard values[key] == nil else {
                    throw DistributionError.duplicateParameter(distribution: name, name: key)
                }
                values[key] = try number(valueText, parameter: key)
            }

            let unnamed = parameters.filter { values[$0] == nil }
            guard positional.count == unnamed.count else {
                throw DistributionError.wrongArgumentCount(
                    distribution: name, expected: parameters, got: values.count + positional.count)
            }
            for (key, text) in zip(unnamed, positional) {
                values[key] = try number(text, parameter: key)
            }

            let v = { (key: String) in values[key]! }
            switch self {
            case .normal: return .normal(mean: v("mean"), std: v("std"))
            case .uniform: return .uniform(lo: v("lo"), hi: v("hi"))
            case .logUniform: return .logUniform(lo: v("lo"), hi: v("hi"), symmetric: symmetric)
            case .ieee: return .ieee
            case .integers:
                for key in ["lo", "hi"] where v(key) != v(key).rounded() || Swift.abs(v(key)) > 0x1p53 {
                    throw DistributionError.invalidParameters(
                        distribution: "integers",
                        reason: "\(key) must be an integer of magnitude at most 2^53, got \(NumberText.format(v(key)))")
                }
                return .integers(lo: Int64(v("lo")), hi: Int64(v("hi")))
            case .constant: return .constant(v("value"))
            }
        }

        private func number(_ text: String, parameter: String) throws -> Double {
            guard let value = NumberText.parse(text) else {
                throw DistributionError.invalidNumber(distribution: name, parameter: parameter, text: text)
            }
            return value
        }
    }
}
