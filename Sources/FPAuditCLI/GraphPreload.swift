import FPAuditKit
import Foundation

/// Small graph files read and parsed on another core while ArgumentParser
/// parses the arguments (its reflection takes several milliseconds of a
/// short run), so that a command finds its graphs ready.
///
/// Which arguments are graphs is not known before parsing, so every
/// positional-looking argument that names a regular file of at most
/// ``maxBytes`` is tried, and what fails to parse is forgotten. A command
/// takes a preloaded graph only when the file's bytes are still the ones
/// parsed and its limits are the defaults the preload used; otherwise it
/// reads the file itself, so the result and every error are exactly those of
/// ``FPAuditKit/VerificationSubject/read(path:limits:)``.
enum GraphPreload {
    /// The largest file read ahead: the run of a bigger graph is long enough
    /// not to notice its reading.
    static let maxBytes = 1 << 20
    /// The most files read ahead.
    static let maxFiles = 4

    private static let lock = NSLock()
    nonisolated(unsafe) private static var started: DispatchGroup?
    nonisolated(unsafe) private static var parsed: [String: (data: Data, subject: VerificationSubject)] = [:]

    /// The arguments worth reading ahead: those after the subcommand that do
    /// not look like options.
    static func candidates(_ arguments: [String]) -> [String] {
        Array(arguments.dropFirst().filter { !$0.hasPrefix("-") }.prefix(maxFiles))
    }

    /// Registers the read-ahead that `work` (run on another thread) does, so
    /// that ``subject(path:limits:)`` waits for it, forgetting an earlier
    /// run's graphs; call once per command, before parsing. `then` runs on
    /// the same thread afterwards, and nothing waits for it.
    static func run(_ work: @escaping @Sendable () -> Void, then: (@Sendable () -> Void)? = nil) {
        let group = DispatchGroup()
        lock.lock()
        started = group
        parsed = [:]
        lock.unlock()
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async {
            work()
            group.leave()
            then?()
        }
    }

    /// Reads and parses each of `paths` that is a regular file of at most
    /// ``maxBytes`` and a graph, keeping what parsed. Anything else (a
    /// directory, a pipe such as a shell's `<(...)`, a device) is left alone:
    /// reading a pipe here would take its bytes from the command.
    static func read(_ paths: [String]) {
        for path in paths {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let size = attributes[.size] as? Int, size <= maxBytes,
                let data = try? FileAccess.read(path),
                let subject = try? VerificationSubject.read(data: data, path: path, limits: .default)
            else { continue }
            lock.lock()
            parsed[path] = (data, subject)
            lock.unlock()
        }
    }

    /// The graph file at `path` as ``FPAuditKit/VerificationSubject/read(path:limits:)``
    /// reads it: the preloaded subject when its bytes are the file's and
    /// `limits` are the defaults, otherwise read now.
    static func subject(path: String, limits: GraphLimits) throws -> VerificationSubject {
        lock.lock()
        let group = started
        lock.unlock()
        group?.wait()
        let data = try FileAccess.read(path)
        lock.lock()
        let preloaded = parsed[path]
        lock.unlock()
        if let preloaded, limits == .default, preloaded.data == data { return preloaded.subject }
        return try VerificationSubject.read(data: data, path: path, limits: limits)
    }
}
