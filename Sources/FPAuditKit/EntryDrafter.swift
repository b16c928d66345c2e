import FPAuditLog
import FPFormats
import FPPolicy
import FPReport
import FPTrace
import FPVerify
import Foundation

/// Makes the audit log drafts of one invocation: the policy's canonical text
/// and data files as blobs, the graphs' bytes, the recorded config, and the
/// measured part of each judged result.
struct EntryDrafter {
    let session: AuditSession
    let command: AuditedCommand
    let policy: PolicyReference
    let policyBlobs: [Blob]
    let fixed: [String: FixedReference]
    let options: AuditOptions
    /// The date waivers were judged against (`YYYY-MM-DD`, UTC).
    let waiversAsOf: String

    init(
        session: AuditSession, command: AuditedCommand, policy: Policy, config: VerificationConfig,
        options: AuditOptions, waiversAsOf: String
    ) {
        self.session = session
        self.command = command
        self.options = options
        self.waiversAsOf = waiversAsOf
        let text = Blob(kind: .policy, data: Data(policy.canonicalText.utf8))
        precondition(
            text.hash == policy.canonicalHash, "a policy's canonical hash is the SHA-256 of its canonical text")
        var blobs = [text]
        var data: [PolicyData] = []
        var digests: [String: String] = [:]  // data file path -> SHA-256
        for rule in policy.inputs {
            // Checkpoints are not copied into the log: the configuration records their
            // paths and SHA-256, and a replay reads them again.
            guard let file = rule.dataFile, let sha = rule.dataSHA256, let bytes = rule.dataBytes,
                let name = rule.dataName, !rule.isCheckpoint
            else { continue }
            data.append(PolicyData(pattern: rule.pattern, file: name, sha256: sha))
            blobs.append(Blob(kind: .data, data: bytes))
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

    /// One graph of a recorded pair: the path it was given as, its bytes when
    /// they could be read, and its identity when it parsed.
    struct Graph {
        var path: String
        var bytes: Data?
        var identity: GraphIdentity?

        var blob: Blob? { bytes.map { Blob(kind: .graph, data: $0) } }

        var reference: GraphReference {
            GraphReference(
                path: path, sha256: blob?.hash ?? identity?.fileSHA256, canonicalHash: identity?.canonicalHash,
                format: bytes.flatMap { try? GraphFile.format(of: $0, file: path).rawValue })
        }
    }

    /// The draft for one verified (or unverifiable, or unchanged) pair.
    /// - Parameters:
    ///   - defaults: the original graph's default distributions as the run used them.
    ///   - replayInputs: the values file of `--replay` inputs, when one input set was evaluated.
    func draft(
        pass: String?, trace: TracePosition?, original: Graph, rewritten: Graph, config: VerificationConfig,
        defaults: [String: Distribution], replayInputs: Data?, outcome: TraceStepResult.Outcome
    ) throws -> EntryDraft {
        var blobs = policyBlobs + [original.blob, rewritten.blob].compactMap { $0 }
        let replayBlob = replayInputs.map { Blob(kind: .values, data: $0) }
        if let replayBlob { blobs.append(replayBlob) }
        var verification = config
        verification.fixedInputs = [:]
        let recordedConfig = RecordedConfig(
            verification: verification, defaults: defaults.mapValues(\.description),
            fixed: fixed.filter { config.fixedInputs[$0.key] != nil }, replayInputs: replayBlob?.hash,
            failOn: options.failOn, waiversAsOf: waiversAsOf, maxElements: options.limits.maxElements)
        var record = EntryRecord(
            tool: ToolStamp(version: ToolVersion.current), context: session.context, run: session.run,
            command: command, pass: pass, trace: trace, original: original.reference,
            rewritten: rewritten.reference, policy: policy, config: recordedConfig,
            outcome: .unchanged, verdict: .unchanged)
        switch outcome {
        case .unchanged:
            break
        case .error(let message):
            record.setError(message)
        case .verified(let result):
            record.setMeasurements(result)
            let report = Blob(kind: .report, data: try ReportJSON.encode(result))
            record.report = report.hash
            blobs.append(report)
        }
        return EntryDraft(record: record, blobs: blobs)
    }
}
