import FPFormats
import Foundation

/// A trace given as a manifest file, for optimizers other than XLA:
///
/// ```json
/// [ { "pass": "input", "graph": "step0.json" },
///   { "pass": "reassociate", "graph": "step1.json" } ]
/// ```
///
/// or `{ "steps": [ ... ] }`. Graph paths are relative to the manifest; each
/// graph may be in our JSON format or HLO text.
public enum TraceManifest {
    /// Reads a manifest file.
    /// - Parameter path: the manifest's path; relative graph paths in it are resolved
    ///   against its directory.
    /// - Returns: the snapshots in manifest order (at least two).
    /// - Throws: ``TraceError/badManifest(path:message:)`` when the file cannot be
    ///   read or a step lacks its string `pass` and `graph`, `FormatError` when it
    ///   is not valid JSON, ``TraceError/tooFewSnapshots(module:count:)`` with fewer
    ///   than two steps.
    public static func read(path: String) throws -> [TraceSnapshot] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TraceError.badManifest(path: path, message: "cannot read the manifest")
        }
        let root = try JSONValue.parse(data, file: path)
        let list = root["steps"] ?? root
        guard let steps = list.arrayElements else {
            throw TraceError.badManifest(
                path: path, message: "expected an array of {\"pass\", \"graph\"} objects (or {\"steps\": [...]})")
        }
        let base = (path as NSString).deletingLastPathComponent
        let snapshots = try steps.enumerated().map { k, step -> TraceSnapshot in
            guard let pass = step["pass"]?.stringValue, let graph = step["graph"]?.stringValue else {
                throw TraceError.badManifest(
                    path: path,
                    message:
                        "step \(k) at \(step.location.line):\(step.location.column) needs string keys \"pass\" and \"graph\""
                )
            }
            return TraceSnapshot(
                pass: pass, path: graph.hasPrefix("/") ? graph : (base as NSString).appendingPathComponent(graph))
        }
        guard snapshots.count >= 2 else { throw TraceError.tooFewSnapshots(module: path, count: snapshots.count) }
        return snapshots
    }
}
