import Foundation

/// The HLO text snapshots of an XLA dump directory
/// (`XLA_FLAGS=--xla_dump_to=DIR --xla_dump_hlo_pass_re=.*`), grouped by module.
///
/// XLA names them `module_NNNN.NAME.before_optimizations.txt`, then
/// `module_NNNN.NAME.SSSS.PIPELINE.after_PASS.before_NEXT.txt` for each pass
/// step SSSS, then `module_NNNN.NAME.cpu_after_optimizations.txt` (or another
/// backend's `*_after_optimizations.txt`). Other files (`.ll`, `.o`, buffer
/// assignment, memory reports, `-autotune` ...) are ignored.
public struct XLADumpDirectory: Sendable {
    /// Module name (`module_0006.jit_f`) → its snapshots in pipeline order.
    public let modules: [String: [TraceSnapshot]]

    /// Scans `path`.
    /// - Throws: ``TraceError`` when it is not a directory or holds no module.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TraceError.notADirectory(path)
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var grouped: [String: [(order: Int, snapshot: TraceSnapshot)]] = [:]
        for name in names {
            guard let parsed = Self.parse(name) else { continue }
            let full = (path as NSString).appendingPathComponent(name)
            grouped[parsed.module, default: []].append((parsed.order, TraceSnapshot(pass: parsed.pass, path: full)))
        }
        guard !grouped.isEmpty else { throw TraceError.noModules(path) }
        modules = grouped.mapValues { $0.sorted { $0.order < $1.order }.map(\.snapshot) }
    }

    /// The snapshots of `module` (a full name, or the part after `module_NNNN.`),
    /// or of the only module when `module` is nil.
    public func snapshots(module: String?) throws -> (name: String, snapshots: [TraceSnapshot]) {
        let names = modules.keys.sorted()
        let chosen: String
        if let module {
            let matches = names.filter {
                $0 == module || $0.split(separator: ".", maxSplits: 1).last.map(String.init) == module
            }
            guard matches.count == 1 else { throw TraceError.unknownModule(module, available: names) }
            chosen = matches[0]
        } else {
            guard names.count == 1 else { throw TraceError.severalModules(names) }
            chosen = names[0]
        }
        let snapshots = modules[chosen]!
        guard snapshots.count >= 2 else { throw TraceError.tooFewSnapshots(module: chosen, count: snapshots.count) }
        return (chosen, snapshots)
    }

    /// `(module, order, pass)` of a snapshot file name, or nil for other files.
    /// Order: before_optimizations = -1, pass steps by their number, the
    /// final `*_after_optimizations` last.
    static func parse(_ file: String) -> (module: String, order: Int, pass: String)? {
        guard file.hasPrefix("module_"), file.hasSuffix(".txt") else { return nil }
        let stem = String(file.dropLast(4))
        let parts = stem.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return nil }
        let module = parts[0] + "." + parts[1]
        let rest = Array(parts[2...])
        if rest == ["before_optimizations"] { return (module, -1, "before_optimizations") }
        if rest.count == 1, rest[0].hasSuffix("_after_optimizations") { return (module, Int.max, rest[0]) }
        // SSSS.PIPELINE.after_PASS[.before_NEXT]
        guard rest.count >= 3, let step = Int(rest[0]), rest[2].hasPrefix("after_") else { return nil }
        let pass = String(rest[2].dropFirst("after_".count))
        return (module, step, "\(rest[1])/\(pass)")
    }
}
