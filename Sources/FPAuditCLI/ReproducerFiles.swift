import FPAuditKit
import Foundation

/// The directory `reduce --out` and `trace --reduce` write a reduced pair to:
/// `original.json`, `rewritten.json`, `values.json` and `command.txt` (the
/// `fpaudit verify` command that reproduces the failure), and when both
/// inputs were HLO text, `original.hlo` and `rewritten.hlo` (the same pair as
/// HLO modules). Nothing in it is ever overwritten: the files must not exist yet.
struct ReproducerFiles {
    /// The directory, as the user gave it.
    var directory: String
    /// The option that names it (`--out`, `--reduce`), for messages.
    var option: String
    /// Whether ``prepare(reads:)`` created the directory (``discard()`` removes it then).
    private(set) var created = false

    /// A writer for `directory`, named by `option` in messages.
    init(directory: String, option: String) {
        self.directory = directory
        self.option = option
    }

    /// Every file the directory may receive.
    static let names = [
        "original.json", "rewritten.json", "values.json", "command.txt", "original.hlo", "rewritten.hlo",
    ]

    func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Refuses a directory that is a file, or that already holds one of the
    /// files, or whose files would replace something the command reads; then
    /// creates the directory if needed. Call before any work.
    mutating func prepare(reads: [ReadFile]) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError.unwritableFile(path: directory, reason: "\(option) names a file, not a directory")
            }
            for name in Self.names where FileManager.default.fileExists(atPath: path(name)) {
                throw CLIError.unwritableFile(
                    path: path(name),
                    reason:
                        "it exists and \(option) never overwrites; nothing was run or written (choose a new directory)")
            }
        } else {
            let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw CLIError.unwritableFile(
                    path: directory, reason: "its parent directory \(parent) does not exist; nothing was run or written"
                )
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            } catch {
                throw CLIError.unwritableFile(path: directory, reason: error.localizedDescription)
            }
            created = true
        }
        do {
            try OutputFile.checkTargets(
                Self.names.map { OutputTarget(option: option, path: path($0)) }, reads: reads)
        } catch {
            discard()
            throw error
        }
    }

    /// Removes the directory and what was written to it, if ``prepare(reads:)`` created it.
    func discard() {
        if created { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The `fpaudit verify` command line that replays the reduced pair under
    /// the same policy and settings.
    func command(measurement: MeasurementOptions, pass: String?) -> [String] {
        // Every element measured, as each candidate was.
        var words = [
            "fpaudit", "verify", path("original.json"), path("rewritten.json"), "--replay", path("values.json"),
            "--elements", "all",
        ]
        if let policy = measurement.policy { words += ["--policy", policy] }
        if measurement.failOn != .error { words += ["--fail-on", measurement.failOn.rawValue] }
        if let exec = measurement.exec { words += ["--exec", exec.rawValue] }
        if let subnormals = measurement.subnormals { words += ["--subnormals", subnormals.rawValue] }
        if let order = measurement.reductionOrder { words += ["--reduction-order", order.rawValue] }
        if let precision = measurement.precision {
            words += ["--precision", precision.bits.map(String.init) ?? "auto"]
        }
        if let cap = measurement.precisionCap { words += ["--precision-cap", String(cap)] }
        if let pass { words += ["--pass", pass] }
        return words
    }

    /// Writes the pair, its values and the reproducing command, and the pair
    /// as HLO when both `sources` are HLO text.
    /// - Returns: the files written, and why the HLO pair was not written when it could not be.
    func write(
        _ reduction: AuditedReduction, command: [String], sources: (VerificationSubject, VerificationSubject)
    ) throws -> (files: [String], note: String?) {
        let metadata = ["reduced_from": reduction.output, "rule": reduction.rule]
        try OutputFile.write(
            GraphJSONWriter.write(reduction.pair.original, metadata: metadata), to: path("original.json"))
        try OutputFile.write(
            GraphJSONWriter.write(reduction.pair.rewritten, metadata: metadata), to: path("rewritten.json"))
        try OutputFile.write(ValuesJSON.write(reduction.pair.inputs), to: path("values.json"))
        try OutputFile.write(Data((Self.shellLine(command) + "\n").utf8), to: path("command.txt"))
        var files = ["original.json", "rewritten.json", "values.json", "command.txt"].map(path)
        let pairs = [
            (reduction.pair.original, sources.0, "original.hlo"),
            (reduction.pair.rewritten, sources.1, "rewritten.hlo"),
        ]
        guard
            pairs.allSatisfy({ _, subject, _ in
                subject.bytes.map { (try? GraphFile.format(of: $0, file: subject.identity.path)) == .hloText } ?? false
            })
        else { return (files, nil) }
        var texts: [Data] = []
        for (graph, subject, _) in pairs {
            do {
                texts.append(try HLOText.subgraph(graph, of: subject.bytes!, file: subject.identity.path))
            } catch let error as FormatError {
                return (files, "the HLO pair was not written: \(error.description)")
            }
        }
        for ((_, _, name), text) in zip(pairs, texts) {
            try OutputFile.write(text, to: path(name))
            files.append(path(name))
        }
        return (files, nil)
    }

    /// What the run found and where it wrote it.
    func summary(_ reduction: AuditedReduction, command: [String], written: (files: [String], note: String?)) -> String
    {
        func measured(_ f: Finding) -> String {
            guard let v = f.value, let t = f.threshold else { return "" }
            return " (measured \(CFormat.string("%.4g", v)), threshold \(CFormat.string("%.4g", t)))"
        }
        let share = Double(reduction.pair.nodeCount) / Double(max(reduction.fullNodeCount, 1))
        var lines = [
            "fpaudit reduce: rule \(reduction.rule) fails on output \(reduction.output)\(measured(reduction.originalFinding))"
        ]
        lines += reduction.stages.map { "  " + $0 }
        lines.append(
            "reduced \(reduction.fullNodeCount) -> \(reduction.pair.nodeCount) nodes (\(CFormat.string("%.1f", share * 100))%) in \(reduction.tests) verifications at the worst input; the reduced pair fails \(reduction.rule)\(measured(reduction.finding))"
        )
        lines.append(
            "  original:  \(reduction.pair.outputNodes.original) (\(ReproducerFiles.describe(reduction.pair.original)))"
        )
        lines.append(
            "  rewritten: \(reduction.pair.outputNodes.rewritten) (\(ReproducerFiles.describe(reduction.pair.rewritten)))"
        )
        if !reduction.pair.cutNodes.isEmpty {
            lines.append("  cut to parameters: \(reduction.pair.cutNodes.joined(separator: ", "))")
        }
        lines.append("wrote \(written.files.joined(separator: ", "))")
        if let note = written.note { lines.append(note) }
        lines.append("reproduce: \(Self.shellLine(command))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `root = op(operands)` lines of a reduced graph's entry, cut to one line: `divide(exp, broadcast(reduce))`.
    static func describe(_ graph: Graph) -> String {
        let entry = graph.entry
        func text(_ i: Int, depth: Int) -> String {
            let node = entry.nodes[i]
            if case .parameter = node.operation { return node.name }
            if case .constant(let t) = node.operation, t.type.elementCount == 1, case .floats(let v) = t.elements {
                return t.literals?[0] ?? NumberText.format(v[0])
            }
            guard depth < 6, !node.operands.isEmpty else { return node.operation.opcodeName }
            return
                "\(node.operation.opcodeName)(\(node.operands.map { text($0, depth: depth + 1) }.joined(separator: ", ")))"
        }
        return text(entry.root, depth: 0)
    }

    /// Words joined for a POSIX shell, single-quoting those that need it.
    static func shellLine(_ words: [String]) -> String {
        words.map { word in
            let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@".contains($0) }
            return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
