import FPAuditKit
import Foundation

/// Loads the inputs of `--replay`: a values file, or a JSON report (its worst case).
enum ReplayLoader {
    static func load(_ path: String, graph: Graph) throws -> NamedTensors {
        var data = try FileAccess.read(path)
        if let report = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            report["schema"] as? String == VerificationResult.reportSchema
        {
            // A report: replay the worst case with the most bits lost.
            let outputs = report["outputs"] as? [[String: Any]] ?? []
            let worst = outputs.compactMap { $0["worst"] as? [String: Any] }.max { a, b in
                (a["bits_lost"] as? Double ?? -.infinity) < (b["bits_lost"] as? Double ?? -.infinity)
            }
            guard let inputs = worst?["inputs"] else {
                throw CLIError.badOption("\(path): the report has no worst case to replay")
            }
            data = try JSONSerialization.data(withJSONObject: inputs)
        }
        let values = try ValuesJSON.read(data: data, file: path)
        return NamedTensors(
            names: graph.parameters.map(\.name), tensors: try ValuesJSON.bind(values, to: graph.parameters))
    }
}
