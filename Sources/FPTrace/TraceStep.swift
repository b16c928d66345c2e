import FPGraph
import Foundation

/// One snapshot of a pipeline: the graph file and the pass that produced it.
public struct TraceSnapshot: Sendable, Equatable {
    /// The pass that produced this snapshot (`before_optimizations` for the first).
    public var pass: String
    /// The path of the snapshot's graph file (HLO text, or for a manifest also our
    /// JSON format).
    public var path: String

    /// Creates a snapshot from its parts.
    public init(pass: String, path: String) {
        self.pass = pass
        self.path = path
    }
}

/// Why a trace could not be assembled.
public enum TraceError: Error, Equatable, Sendable, CustomStringConvertible {
    case notADirectory(String)
    case noModules(String)
    case unknownModule(String, available: [String])
    case severalModules([String])
    case tooFewSnapshots(module: String, count: Int)
    case badManifest(path: String, message: String)

    /// The message for the user, starting with the path concerned or `error:`.
    public var description: String {
        switch self {
        case .notADirectory(let p): return "\(p): error: not a directory or a trace manifest"
        case .noModules(let p):
            return
                "\(p): error: no XLA dump modules found (expected files like module_0000.jit_f.before_optimizations.txt)"
        case .unknownModule(let name, let available):
            return "error: no module '\(name)' in the dump; modules are \(available.joined(separator: ", "))"
        case .severalModules(let names):
            return "error: the dump holds several modules (\(names.joined(separator: ", "))); choose one with --module"
        case .tooFewSnapshots(let module, let count):
            return "error: module '\(module)' has \(count) snapshot(s); a trace needs at least two"
        case .badManifest(let path, let message): return "\(path): error: \(message)"
        }
    }
}

extension TraceError: ReportableError {}
