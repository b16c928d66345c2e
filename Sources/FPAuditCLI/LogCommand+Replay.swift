import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit.LogCommand {
    /// `fpaudit log replay ID...`: run recorded verifications again from the stored blobs.
    struct Replay: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract:
                "Re-run recorded verifications from the stored graphs, policy and config; exit 1 unless every figure and verdict reproduces bit for bit."
        )

        @Argument(help: "Entry ids, unique id prefixes or sequence numbers.")
        var entries: [String]

        @OptionGroup var selection: LogSelection

        @Option(help: "Concurrent workers (results do not depend on it).")
        var workers: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            if workers < 1 { throw ValidationError("--workers must be at least 1") }
        }

        func execute(console: Console) async throws -> ExitCode {
            let log = try selection.open(console: console)
            var reproduced = 0
            let chosen = try entries.map { try log.entry($0) }
            for (k, entry) in chosen.enumerated() {
                if k > 0 { console.out("\n") }
                let outcome = try await EntryReplayer(log: log, workers: workers).replay(entry)
                console.out(outcome.text)
                if outcome.reproduced { reproduced += 1 }
            }
            if chosen.count > 1 {
                console.out("\n\(reproduced) of \(chosen.count) entries reproduced\n")
            }
            return reproduced == chosen.count ? .success : .failed
        }
    }
}

/// What one replay found.
struct ReplayOutcome {
    var text: String
    var reproduced: Bool
}

/// Runs one recorded verification again exactly as recorded: the stored
/// graph bytes, the stored policy (its canonical text and data files), the
/// recorded config and input distributions, waivers judged as of the
/// recorded date; then compares the measured sections byte for byte.
struct EntryReplayer {
    let log: AuditLog
    let workers: Int

    /// Why an entry cannot be replayed at all.
    struct NotReplayable: Error { let reason: String }

    func replay(_ entry: StoredEntry) async throws -> ReplayOutcome {
        let r = entry.record
        var out =
            "replay of entry \(entry.seq) (\(entry.id)): \(r.command)" + (r.pass.map { ", pass \($0)" } ?? "")
            + ", recorded \(r.timestamp) by fpaudit \(r.tool.version)"
            + (r.tool.version == ToolVersion.current ? "" : "; replaying with \(ToolVersion.current)") + "\n"
        var fresh = r
        var notes: [String] = []
        do {
            fresh = try await rerun(r, notes: &notes)
        } catch let e as NotReplayable {
            out += "  cannot replay: \(e.reason)\n"
            out += "not reproduced\n"
            return ReplayOutcome(text: out, reproduced: false)
        }
        for n in notes { out += "  \(n)\n" }
        var differences: [String] = []
        let before = try r.measuredSections()
        let after = try fresh.measuredSections()
        // An older record lacks what later versions add (a v1 entry has no `measured_in`,
        // `rewritten_name` or `comparison`): only what it recorded is compared.
        let older = r.schema != EntryRecord.currentSchema
        for ((name, recorded), (_, replayed)) in zip(before, after) {
            var found: [String] = []
            if recorded != replayed {
                let a = try JSONSerialization.jsonObject(with: recorded, options: .fragmentsAllowed)
                var b = try JSONSerialization.jsonObject(with: replayed, options: .fragmentsAllowed)
                if older { b = JSONDifference.restrict(b, toKeysOf: a) }
                JSONDifference.collect(a, b, path: name, into: &found)
                if found.isEmpty && !older { found = ["\(name): the encodings differ"] }
            }
            if !found.isEmpty, name == "error", let note = sameErrorSite(recorded, replayed) {
                // What fails, and where, is the figure; the wording of the message belongs to the
                // fpaudit version (a list of known ops grows).
                out += "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + note + "\n"
                continue
            }
            if found.isEmpty {
                if recorded == Data("null".utf8) { continue }
                out +=
                    "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + "identical" + summary(name, r)
                    + "\n"
                continue
            }
            out += "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + "DIFFERS\n"
            for d in found.prefix(8) { out += "    \(d)\n" }
            if found.count > 8 { out += "    ... and \(found.count - 8) more\n" }
            differences += found
        }
        if differences.isEmpty {
            out += "reproduced: every recorded figure, finding and the verdict, bit for bit\n"
        } else {
            out += "not reproduced: \(differences.count) difference\(differences.count == 1 ? "" : "s")\n"
        }
        return ReplayOutcome(text: out, reproduced: differences.isEmpty)
    }

    /// When two error messages point at the same place (`file:line:col`, or
    /// the same text before `error:`), a note saying so; nil otherwise.
    private func sameErrorSite(_ recorded: Data, _ replayed: Data) -> String? {
        guard let a = try? JSONDecoder().decode(String.self, from: recorded),
            let b = try? JSONDecoder().decode(String.self, from: replayed)
        else { return nil }
        func site(_ message: String) -> String? {
            message.range(of: ": error:").map { String(message[..<$0.lowerBound]) }
        }
        guard let siteA = site(a), siteA == site(b) else { return nil }
        return "same failure at \(siteA) (the message's wording differs in this fpaudit)"
    }

    private func summary(_ section: String, _ r: EntryRecord) -> String {
        switch section {
        case "outputs":
            guard let worst = r.worstBitsLost else { return "" }
            return
                " (\(r.outputs.count) output\(r.outputs.count == 1 ? "" : "s"), bits lost max \(CFormat.string("%.2f", worst)))"
        case "findings": return " (\(r.findings.count))"
        case "waivers": return " (\(r.waivers.count))"
        case "verdict": return " (\(r.verdict))"
        case "outcome": return " (\(r.outcome.rawValue))"
        case "interface": return r.interface.map { " (parameters by \($0.parameters), outputs by \($0.outputs))" } ?? ""
        default: return ""
        }
    }

    /// The record as this run makes it.
    private func rerun(_ r: EntryRecord, notes: inout [String]) async throws -> EntryRecord {
        guard let aHash = r.original.sha256, let bHash = r.rewritten.sha256 else {
            throw NotReplayable(
                reason: "a graph file could not be read when the entry was recorded, so it was not stored")
        }
        let aBytes = try log.blob(aHash, kind: .graph)
        let bBytes = try log.blob(bHash, kind: .graph)
        let (policy, policyNote) = try loadPolicy(r.policy)
        notes.append(policyNote + "; waivers judged as of \(r.config.waiversAsOf)")
        var fresh = r
        let limits = GraphLimits(maxElements: r.config.maxElements)
        do {
            var a = try VerificationSubject.read(data: aBytes, path: r.original.path, limits: limits)
            let b = try VerificationSubject.read(data: bBytes, path: r.rewritten.path, limits: limits)
            notes.append(
                graphNote(a.identity, r.original, "original") + "; " + graphNote(b.identity, r.rewritten, "rewritten"))
            if r.command == .trace && a.identity.canonicalHash == b.identity.canonicalHash {
                fresh.outcome = .unchanged
                fresh.error = nil
                fresh.verdict = .unchanged
                return fresh
            }
            a.defaultInputs = try r.config.defaults.mapValues { try Distribution.parse($0) }
            let config = try verificationConfig(r.config, graph: a.graph)
            let replayInputs = try r.config.replayInputs.map { hash -> [Tensor.Elements] in
                let values = try ValuesJSON.read(
                    data: try log.blob(hash, kind: .values), file: "<recorded replay inputs>")
                return try ValuesJSON.bind(values, to: a.graph.parameters).map(\.elements)
            }
            notes.append(
                "re-ran \(replayInputs == nil ? "\(config.samples) samples" : "the recorded input set"), seed \(config.seed), "
                    + "exec \(config.exec.rawValue), precision \(config.precisionDescription), reduction "
                    + "\(config.reductionOrder.rawValue), subnormals \(config.subnormals.rawValue)")
            var result = try await Verifier(original: a, rewritten: b, config: config).run(replay: replayInputs)
            guard let judgedOn = Timestamp.parse(r.config.waiversAsOf) else {
                throw NotReplayable(reason: "the recorded waiver date '\(r.config.waiversAsOf)' does not parse")
            }
            PolicyEvaluator(policy: policy, today: judgedOn)
                .judge(&result, pass: r.pass, failOn: r.config.failOn.severity)
            fresh.setMeasurements(result)
        } catch let e as NotReplayable {
            throw e
        } catch {
            // Failures the recorded run also met are part of what is compared (trace steps record them).
            fresh.setError("\(error)")
        }
        return fresh
    }

    private func graphNote(_ identity: GraphIdentity, _ recorded: GraphReference, _ label: String) -> String {
        identity.canonicalHash == recorded.canonicalHash
            ? "\(label) \(identity.canonicalHash.prefix(12)) matches"
            : "\(label) canonical hash \(identity.canonicalHash.prefix(12)) differs from the recorded \(recorded.canonicalHash?.prefix(12) ?? "none")"
    }

    /// The recorded policy, from its stored canonical text and data files.
    private func loadPolicy(_ ref: PolicyReference) throws -> (Policy, String) {
        let text = String(decoding: try log.blob(ref.canonicalHash, kind: .policy), as: UTF8.self)
        let path = "<recorded policy>/" + ((ref.path as NSString).lastPathComponent)
        var files: [String: Data] = [:]
        for d in ref.data {
            files[PolicyLoader.dataPath(d.file, policyPath: path)] = try log.blob(d.sha256, kind: .data)
        }
        // A policy's checkpoints are not stored in the log (they may be large): they are
        // read again next to the recorded policy path, and the policy's canonical hash
        // (which holds their SHA-256) proves them unchanged.
        let recordedDirectory = (ref.path as NSString).deletingLastPathComponent
        func onDisk(_ resolved: String) -> Data? {
            let prefix = "<recorded policy>/"
            guard resolved.hasPrefix(prefix) else { return nil }
            let relative = String(resolved.dropFirst(prefix.count))
            return FileManager.default.contents(
                atPath: (recordedDirectory as NSString).appendingPathComponent(relative))
        }
        let policy: Policy
        do {
            policy = try PolicyLoader.load(yaml: text, path: path) { files[$0] ?? onDisk($0) }
        } catch {
            throw NotReplayable(reason: "the recorded policy does not load: \(error)")
        }
        let note =
            policy.canonicalHash == ref.canonicalHash
            ? "policy \(ref.name) v\(ref.version): canonical hash \(ref.canonicalHash.prefix(12)) matches"
            : "policy \(ref.name) v\(ref.version): canonical hash \(policy.canonicalHash.prefix(12)) differs from the recorded \(ref.canonicalHash.prefix(12))"
        return (policy, note)
    }

    private func verificationConfig(_ c: RecordedConfig, graph: Graph) throws -> VerificationConfig {
        var config = c.verification
        config.workers = workers
        for (key, ref) in c.fixed {
            guard let parameter = graph.parameters.first(where: { $0.name == key }) else {
                throw NotReplayable(reason: "fixed input '\(key)' names no parameter of the original graph")
            }
            config.fixedInputs[key] = try FixedInputs.load(
                bytes: try log.blob(ref.sha256, kind: .data), file: ref.file,
                parameter: parameter)
        }
        do {
            if let record = config.checkpoints {
                config.fixedInputs.merge(try CheckpointInputs.recorded(record, parameters: graph.parameters)) { $1 }
            }
            if let record = config.recordedInputs {
                config.recorded = try RecordedInputOptions.recorded(record, parameters: graph.parameters)
            }
        } catch {
            throw NotReplayable(reason: "\(error)")
        }
        return config
    }
}

/// The paths where two JSON values differ, with both values.
enum JSONDifference {
    /// `value` without the object keys `reference` does not have (recursively;
    /// arrays element by element).
    static func restrict(_ value: Any, toKeysOf reference: Any) -> Any {
        switch (value, reference) {
        case (let x as [String: Any], let y as [String: Any]):
            var out: [String: Any] = [:]
            for (key, v) in x { if let w = y[key] { out[key] = restrict(v, toKeysOf: w) } }
            return out
        case (let x as [Any], let y as [Any]):
            return x.enumerated().map { k, v in k < y.count ? restrict(v, toKeysOf: y[k]) : v }
        default:
            return value
        }
    }

    static func collect(_ a: Any, _ b: Any, path: String, into found: inout [String]) {
        switch (a, b) {
        case (let x as [String: Any], let y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() {
                let p = "\(path).\(key)"
                switch (x[key], y[key]) {
                case (let u?, let v?): collect(u, v, path: p, into: &found)
                case (let u?, nil): found.append("\(p): recorded \(show(u)), missing when replayed")
                case (nil, let v?): found.append("\(p): not recorded, replayed \(show(v))")
                default: break
                }
            }
        case (let x as [Any], let y as [Any]):
            if x.count != y.count { found.append("\(path): recorded \(x.count) items, replayed \(y.count)") }
            for (k, (u, v)) in zip(x, y).enumerated() { collect(u, v, path: "\(path)[\(k)]", into: &found) }
        default:
            if show(a) != show(b) { found.append("\(path): recorded \(show(a)), replayed \(show(b))") }
        }
    }

    static func show(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if let s = v as? String { return "\"\(s)\"" }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(v)"
    }
}
