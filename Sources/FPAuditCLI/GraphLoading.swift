import FPFormats
import FPGraph
import FPNumerics
import FPTrace
import FPVerify
import Foundation

/// Reads files for the commands, turning I/O failures into located errors.
enum FileAccess {
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw CLIError.unreadableFile(path: path, reason: reason)
        }
    }

    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.unwritableFile(path: path, reason: error.localizedDescription)
        }
    }
}

/// Loads a graph file in any supported format.
enum GraphLoader {
    static func load(_ path: String, limits: GraphLimits) throws -> VerificationSubject {
        try VerificationSubject.read(data: FileAccess.read(path), path: path, limits: limits)
    }
}
