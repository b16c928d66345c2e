import FPAuditKit
import Foundation

/// A file a command reads, which none of its outputs may replace.
struct ReadFile {
    /// The path as the user gave it (or as the command found it).
    var path: String
    /// What the file is, for messages ("the ORIGINAL graph", "the audit log").
    var role: String
}

/// One output file a command was asked to write.
struct OutputTarget {
    /// The option that names it (`--output`, `--sarif`, ...).
    var option: String
    /// The path given to the option.
    var path: String
}

/// Writes the commands' output files: each one checked, before any work,
/// against the files the command reads and the other outputs, and each one
/// written atomically (a failed write leaves the old file as it was).
enum OutputFile {
    /// Throws when an output is the same file as an input (through any path,
    /// symbolic or hard link) or as another output. Call it before the work, so
    /// that a mistyped option costs nothing and overwrites nothing.
    static func checkTargets(_ outputs: [OutputTarget], reads inputs: [ReadFile]) throws {
        var claimed: [FileIdentity: OutputTarget] = [:]
        let read = inputs.map { (FileIdentity($0.path), $0) }
        for output in outputs {
            let id = FileIdentity(output.path)
            if let input = read.first(where: { $0.0 == id })?.1 {
                throw CLIError.outputIsInput(option: output.option, path: output.path, role: input.role)
            }
            if let earlier = claimed[id] {
                throw CLIError.outputsCollide(first: earlier.option, second: output.option, path: output.path)
            }
            claimed[id] = output
            try checkDirectory(of: output.path)
        }
    }

    /// Throws unless the directory that will hold `path` exists and is writable.
    private static func checkDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CLIError.unwritableFile(
                path: path, reason: "its directory \(directory) does not exist; nothing was run or written")
        }
        guard access(directory, W_OK) == 0 else {
            throw CLIError.unwritableFile(
                path: path, reason: "its directory \(directory) is not writable; nothing was run or written")
        }
    }

    /// Writes `data` to `path` atomically (a temporary file in the same
    /// directory, then a rename), turning I/O failures into errors that name the file.
    static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError.unwritableFile(path: path, reason: error.localizedDescription)
        }
    }

    /// Streams output into a temporary file beside `path`, then renames it over
    /// `path`: readers never see half a file, and a failure leaves `path` as it was.
    static func stream(to path: String, _ body: (FileHandle) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary.path)
        else {
            throw CLIError.unwritableFile(path: path, reason: "cannot create a file in its directory")
        }
        do {
            try body(handle)
            try handle.close()
            guard rename(temporary.path, path) == 0 else {
                throw CLIError.unwritableFile(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// What makes two paths the same file: the device and inode of an existing
/// file, else the absolute path with every existing symbolic link resolved.
private enum FileIdentity: Hashable {
    case inode(device: UInt64, inode: UInt64)
    case path(String)

    init(_ path: String) {
        var info = stat()
        if stat(path, &info) == 0 {
            self = .inode(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            return
        }
        // Not there yet: resolve the directory that holds it (which may exist).
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let directory = url.deletingLastPathComponent().resolvingSymlinksInPath()
        self = .path(directory.appendingPathComponent(url.lastPathComponent).path)
    }
}
