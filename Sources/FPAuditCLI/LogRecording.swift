import FPAuditLog
import FPFormats
import FPGraph
import FPNumerics
import FPPolicy
import FPReport
import FPTrace
import FPVerify
import Foundation

/// One graph of a recorded pair: its path, its bytes when they could be
/// read, and its canonical hash when it parsed.
struct RecordedGraph {
    var path: String
    var bytes: Data?
    var identity: GraphIdentity?

    /// Reads the file again for the log, checking it is the file that was verified.
    init(path: String, identity: GraphIdentity?, bytes: Data? = nil) throws {
        self.path = path
        self.identity = identity
        self.bytes = bytes ?? (try? FileAccess.read(path))
        if let identity, let data = self.bytes, Blob(kind: .graph, data: data).hash != identity.fileSHA256 {
            throw CLIError.badOption("\(path) changed while fpaudit was verifying it; nothing was recorded")
        }
    }

    var reference: GraphReference {
        GraphReference(
            path: path, sha256: blob?.hash ?? identity?.fileSHA256, canonicalHash: identity?.canonicalHash,
            format: bytes.flatMap { try? GraphFile.format(of: $0, file: path).rawValue })
    }

    var blob: Blob? { bytes.map { Blob(kind: .graph, data: $0) } }
}

/// What every entry of one invocation shares: the log, the policy (its
/// canonical text and data files as blobs), the fixed inputs and options.
struct EntryRecorder {
    let sink: LogSink
    let command: String
    let policy: PolicyReference
    let policyBlobs: [Blob]
    let fixed: [String: FixedReference]
    let failOn: FailOn
    /// The date waivers were judged against (`YYYY-MM-DD`, UTC).
    let waiversAsOf: String
    let maxElements: Int

    init(
        sink: LogSink, command: String, policy: Policy, config: VerificationConfig, failOn: FailOn,
        waiversAsOf: String, maxElements: Int
    ) throws {
        self.sink = sink
        self.command = command
        self.failOn = failOn
        self.waiversAsOf = waiversAsOf
        self.maxElements = maxElements
        let text = Blob(kind: .policy, data: Data(policy.canonicalText.utf8))
        precondition(
            text.hash == policy.canonicalHash, "a policy's canonical hash is the SHA-256 of its canonical text")
        var blobs = [text]
        var data: [PolicyData] = []
        var digests: [String: String] = [:]  // data file path -> SHA-256
        for rule in policy.inputs {
            guard let file = rule.dataFile, let sha = rule.dataSHA256 else { continue }
            let bytes = try FileAccess.read(file)
            let blob = Blob(kind: .data, data: bytes)
            guard blob.hash == sha else {
                throw CLIError.badOption("\(file) changed while fpaudit was running; nothing was recorded")
            }
            let name = String(rule.distribution.dropFirst("data(".count).dropLast())
            data.append(PolicyData(pattern: rule.pattern, file: name, sha256: sha))
            blobs.append(blob)
            digests[file] = sha
        }
        self.policy = PolicyReference(
            path: policy.sourcePath, name: policy.name, version: policy.version,
            canonicalHash: policy.canonicalHash, data: data)
        policyBlobs = blobs
        var fixed: [String: FixedReference] = [:]
        let files = policy.inputDataFiles(for: Array(config.fixedInputs.keys))
        for (key, input) in config.fixedInputs {
            guard let file = files[key], let sha = digests[file] else { continue }
            fixed[key] = FixedReference(description: input.description, file: file, sha256: sha)
        }
        self.fixed = fixed
    }

    /// The entry for one verified (or unverifiable) pair.
    /// - Parameters:
    ///   - defaults: the original graph's default distributions as the run used them.
    ///   - replayInputs: the values file of `--replay` inputs, when one input set was evaluated.
    ///   - outcome: the judged result, `unchanged`, or an error message.
    func draft(
        pass: String?, trace: TracePosition?, original: RecordedGraph, rewritten: RecordedGraph,
        config: VerificationConfig, defaults: [String: Distribution], replayInputs: Data?,
        outcome: TraceStepResult.Outcome
    ) throws -> EntryDraft {
        var blobs = policyBlobs + [original.blob, rewritten.blob].compactMap { $0 }
        let replayBlob = replayInputs.map { Blob(kind: .values, data: $0) }
        if let replayBlob { blobs.append(replayBlob) }
        let recordedConfig = RecordedConfig(
            samples: config.samples, seed: config.seed, exec: config.exec.rawValue,
            precision: config.precisionDescription, precisionStart: config.startPrecision,
            precisionCap: config.maxPrecision, reductionOrder: config.reductionOrder.rawValue,
            subnormals: config.subnormals.rawValue, matchByPosition: config.match == .position,
            match: config.match.rawValue,
            defaults: defaults.mapValues(\.description), inputs: config.inputs.mapValues(\.description),
            fixed: fixed.filter { config.fixedInputs[$0.key] != nil }, replayInputs: replayBlob?.hash,
            failOn: failOn.rawValue, waiversAsOf: waiversAsOf, maxElements: maxElements)
        var record = EntryRecord(
            tool: ToolStamp(version: ToolVersion.current), context: sink.context, run: sink.run,
            command: command, pass: pass, trace: trace, original: original.reference,
            rewritten: rewritten.reference, policy: policy, config: recordedConfig,
            outcome: .unchanged, verdict: "unchanged")
        switch outcome {
        case .unchanged:
            break
        case .error(let message):
            record.outcome = EntryOutcome.error
            record.error = message
            record.verdict = "error"
        case .verified(let result):
            record.setMeasurements(result)
            let report = Blob(kind: .report, data: try ReportJSON.encode(result))
            record.report = report.hash
            blobs.append(report)
        }
        return EntryDraft(record: record, blobs: blobs)
    }
}
