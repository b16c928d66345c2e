import Foundation

/// Reads input files, turning I/O failures into errors that name the file.
public enum FileAccess {
    /// The file's bytes.
    /// - Throws: ``FormatError/unreadableFile(path:reason:)``.
    public static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw FormatError.unreadableFile(path: path, reason: reason)
        }
    }
}
