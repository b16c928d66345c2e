import FPAuditKit
import Foundation

/// Writes the commands' output files, turning I/O failures into errors that name the file.
enum OutputFile {
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError.unwritableFile(path: path, reason: error.localizedDescription)
        }
    }
}
