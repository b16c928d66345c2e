import FPEval
import FPFormats
import FPGraph
import Foundation

/// Loads the inputs of `--replay`: a values file, or a JSON report (its worst case).
enum ReplayLoader {
    static func load(_ path: String, graph: Graph) throws -> [HostData] {
        let data = try FileAccess.read(path)
        let root = try JSONValue.parse(data, file: path)
        var valuesData = data
        if root["schema"]?.stringValue == "fpaudit.report/v1" {
            // Take the worst case with the most bits lost.
            guard let outputs = root["outputs"]?.arrayElements else {
                throw CLIError.badOption("\(path): report has no outputs")
            }
            let worst = outputs.compactMap { $0["worst"] }.max { a, b in
                (Double(a["bits_lost"]?.numberText ?? "") ?? -.infinity) < (Double(b["bits_lost"]?.numberText ?? "") ?? -.infinity)
            }
            guard let inputs = worst?["inputs"] else {
                throw CLIError.badOption("\(path): report has no worst case to replay")
            }
            valuesData = try inputsText(inputs, data: data)
        }
        let values = try ValuesJSON.read(data: valuesData, file: path)
        return try ValuesJSON.bind(values, to: graph.parameters).map(\.hostData)
    }

    /// The source text of a nested JSON value (the report's `inputs` object).
    private static func inputsText(_ value: JSONValue, data: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let outputs = object?["outputs"] as? [[String: Any]] ?? []
        let worst = outputs.compactMap { $0["worst"] as? [String: Any] }.max { a, b in
            (a["bits_lost"] as? Double ?? -.infinity) < (b["bits_lost"] as? Double ?? -.infinity)
        }
        guard let inputs = worst?["inputs"] else { throw CLIError.badOption("report has no worst case to replay") }
        return try JSONSerialization.data(withJSONObject: inputs)
    }
}

extension TensorValue {
    /// The interpreter's form of these values.
    var hostData: HostData {
        switch storage {
        case .floats(let v): return .floats(v)
        case .integers(let v): return .integers(v)
        }
    }
}
