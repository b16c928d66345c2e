import Foundation

/// A fresh, uniquely named directory under the system's temporary directory.
///
/// Remove it with ``remove()`` (or use ``withTemporaryDirectory(_:)``).
public struct TemporaryDirectory {
    /// Where the directory is.
    public let url: URL

    /// Creates the directory; `prefix` starts its name for easier debugging.
    public init(prefix: String = "fpaudit-test") throws {
        let name = "\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory (not created).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` as UTF-8 to `name` inside the directory and returns its URL.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> URL {
        let target = file(name)
        try Data(text.utf8).write(to: target)
        return target
    }

    /// Deletes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs `body` with a fresh temporary directory and deletes it afterwards,
/// whether `body` returns or throws.
public func withTemporaryDirectory<T>(
    prefix: String = "fpaudit-test",
    _ body: (TemporaryDirectory) throws -> T
) throws -> T {
    let directory = try TemporaryDirectory(prefix: prefix)
    defer { directory.remove() }
    return try body(directory)
}

/// An executable product of this package, built next to the test binary
/// (`swift build --build-tests` builds them all).
/// - Throws: an error naming the product when it is not there.
public func builtProduct(_ name: String) throws -> URL {
    struct NotBuilt: Error, CustomStringConvertible { let description: String }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    throw NotBuilt(description: "\(name) is not built next to the tests (run `swift build --build-tests` first)")
}
