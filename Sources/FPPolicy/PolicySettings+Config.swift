import FPNumerics
import FPVerify

extension PolicySettings {
    /// Every field set: this policy's value, else `config`'s.
    public func resolved(over config: VerificationConfig) -> PolicySettings {
        PolicySettings(
            samples: samples ?? config.samples, seed: seed ?? config.seed, exec: exec ?? config.exec,
            precision: precision ?? config.fixedPrecision.map { .bits($0) } ?? .auto,
            precisionCap: precisionCap ?? config.maxPrecision,
            reductionOrder: reductionOrder ?? config.reductionOrder,
            subnormals: subnormals ?? config.subnormals)
    }

    /// Writes the fields these settings set into `config` (`FPAuditKit`'s `Audit` applies
    /// the policy's, then its options', so the options win over the policy).
    public func apply(to config: inout VerificationConfig) {
        if let samples { config.samples = samples }
        if let seed { config.seed = seed }
        if let exec { config.exec = exec }
        if let precision {
            switch precision {
            case .auto: config.fixedPrecision = nil
            case .bits(let n): config.fixedPrecision = n
            }
        }
        if let precisionCap { config.maxPrecision = precisionCap }
        if let reductionOrder { config.reductionOrder = reductionOrder }
        if let subnormals { config.subnormals = subnormals }
    }
}

extension Policy {
    /// The policy's input distributions for the given parameter names: for
    /// each parameter, the first `inputs` pattern that matches it (child
    /// patterns before parents'). Parameters no pattern matches are absent
    /// (the graph's own `sample` distribution applies). Suitable for
    /// ``VerificationConfig/inputs`` (merge the command line's `--input` over it).
    public func inputDistributions(for parameters: [String]) -> [String: Distribution] {
        var result: [String: Distribution] = [:]
        for name in parameters {
            // Specs were validated at load time.
            if let rule = inputs.first(where: { Glob.matches($0.pattern, name) }),
                let d = try? Distribution.parse(rule.distribution)
            {
                result[name] = d
            }
        }
        return result
    }

    /// The `data(FILE)` rule of each given parameter that has one: the first
    /// `inputs` pattern that matches it, when that pattern gives data rather
    /// than a distribution.
    public func inputDataRules(for parameters: [String]) -> [String: InputRule] {
        var result: [String: InputRule] = [:]
        for name in parameters {
            if let rule = inputs.first(where: { Glob.matches($0.pattern, name) }), rule.dataFile != nil,
                !rule.isCheckpoint
            {
                result[name] = rule
            }
        }
        return result
    }

    /// The fixed-data files (`data(FILE)`) of the given parameters: for each,
    /// the file of the first `inputs` pattern that matches it, when that
    /// pattern gives data rather than a distribution.
    public func inputDataFiles(for parameters: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for name in parameters {
            if let rule = inputs.first(where: { Glob.matches($0.pattern, name) }), let file = rule.dataFile,
                !rule.isCheckpoint
            {
                result[name] = file
            }
        }
        return result
    }
}
