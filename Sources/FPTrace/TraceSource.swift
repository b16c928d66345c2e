import FPFormats
import Foundation

/// Where a trace's snapshots come from: an XLA dump directory or a
/// `trace.json` manifest.
public enum TraceSource {
    /// The traced module's name and its snapshots, in pipeline order.
    /// - Parameter module: which module of a dump holding several.
    /// - Throws: ``TraceError`` for a dump without (that) module or a bad
    ///   manifest; ``FormatError`` when `path` does not exist.
    public static func snapshots(_ path: String, module: String?) throws -> (name: String, snapshots: [TraceSnapshot]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FormatError.unreadableFile(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            let (name, snapshots) = try XLADumpDirectory(path: path).snapshots(module: module)
            return (name, snapshots)
        }
        return (path, try TraceManifest.read(path: path))
    }
}
