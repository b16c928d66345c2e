import Foundation

/// Reads input files, turning I/O failures into errors that name the file.
public enum FileAccess {
    /// The file's bytes. A pipe or other stream (a shell's `<(...)`,
    /// `/dev/stdin`) is read to its end; Foundation's whole-file read refuses
    /// those (with a misleading "permission" message).
    /// - Throws: ``FormatError/unreadableFile(path:reason:)``.
    public static func read(_ path: String) throws -> Data {
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        if type == .typeDirectory {
            throw FormatError.unreadableFile(path: path, reason: "it is a directory")
        }
        if let type, type != .typeRegular, let handle = FileHandle(forReadingAtPath: path) {
            defer { try? handle.close() }
            do {
                return try handle.readToEnd() ?? Data()
            } catch {
                throw FormatError.unreadableFile(path: path, reason: error.localizedDescription)
            }
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw FormatError.unreadableFile(path: path, reason: reason)
        }
    }
}
