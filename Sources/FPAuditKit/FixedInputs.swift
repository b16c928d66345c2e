import FPEval
import FPFormats
import FPGraph
import FPPolicy
import FPVerify
import Foundation

/// A policy's `data(FILE)` inputs as fixed values for a graph's parameters.
public enum FixedInputs {
    /// The fixed input of each parameter the policy gives `data(FILE)`,
    /// from the bytes the policy loaded.
    /// - Throws: `FormatError` when a file does not hold a value for the parameter.
    public static func load(_ policy: Policy, parameters: [GraphParameter]) throws -> [String: FixedInput] {
        var result: [String: FixedInput] = [:]
        for (name, rule) in policy.inputDataRules(for: parameters.map(\.name)) {
            guard let file = rule.dataFile, let bytes = rule.dataBytes,
                let parameter = parameters.first(where: { $0.name == name })
            else { continue }
            result[name] = try load(bytes: bytes, file: file, parameter: parameter)
        }
        return result
    }

    /// The values of a `.npy` array or a values `.json` file (the entry named
    /// after the parameter, or the only entry) as the parameter's fixed input.
    /// - Throws: `FormatError` for an unreadable file, a missing entry, or
    ///   values that do not fit the parameter.
    public static func load(bytes: Data, file: String, parameter: GraphParameter) throws -> FixedInput {
        let value: Tensor
        if file.hasSuffix(".npy") {
            value = try NumpyArray.read(data: bytes, file: file)
        } else {
            let entries = try ValuesJSON.read(data: bytes, file: file)
            guard
                let entry = entries.first(where: { $0.key == parameter.name })
                    ?? (entries.count == 1 ? entries[0] : nil)
            else {
                throw FormatError.missingBinding(parameter: parameter.name, type: parameter.type, location: nil)
            }
            value = entry.value
        }
        let bound = try ValuesJSON.bind([(key: parameter.name, value: value)], to: [parameter])[0]
        return FixedInput(description: "data(\((file as NSString).lastPathComponent))", data: bound.elements)
    }
}
