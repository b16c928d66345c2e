import FPAuditLog
import FPGraph
import FPVerify
import Foundation

/// Log entries with every field set, for the audit log's tests and its stress tool.
public enum AuditLogFixtures {
    /// A draft with every field of the record populated (two outputs, two
    /// findings, a waiver, a trace position, policy data, replay inputs, CI
    /// context) and its five blobs; `index` varies the values, `payload`
    /// pads the graph blobs (to make appends take longer).
    public static func draft(index: Int, payload: Int = 0, run: String = "01a00000-0000-7000-8000-000000000000")
        -> EntryDraft
    {
        func bytes(_ label: String, _ size: Int) -> Data {
            var text = "\(label) #\(index)\n"
            var state = UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15 | 1
            while text.utf8.count < size {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += String(state >> 33, radix: 16) + (state & 7 == 0 ? "\n" : " ")
            }
            return Data(text.utf8)
        }
        let original = Blob(kind: .graph, data: bytes("HloModule original", 200 + payload))
        let rewritten = Blob(kind: .graph, data: bytes("HloModule rewritten", 300 + payload))
        let policy = Blob(
            kind: .policy, data: Data("name: \"fixture\"\nversion: \"\(index % 3)\"\nrules: []\nwaivers: []\n".utf8))
        let data = Blob(kind: .data, data: bytes("weights", 64))
        let values = Blob(
            kind: .values, data: Data("{\"x\": {\"dtype\": \"f32\", \"shape\": [], \"data\": [\"0x1p+0\"]}}".utf8))
        let report = Blob(kind: .report, data: bytes("{\"schema\": \"fpaudit.report/v1\"}", 500))
        let k = Double(index)
        func side(_ scale: Double) -> SideMetrics {
            SideMetrics(
                bits: Summary(max: scale * 3, mean: scale / 7, p50: 0, p95: scale, p99: scale * 2),
                ulps: Summary(max: scale * 8, mean: scale / 3, p50: 0, p95: scale * 2, p99: scale * 4),
                relativeMax: scale * 1.5e-7, relativeMean: scale * 2e-8, absoluteMax: scale * 3e-6,
                nonfinite: index % 2, bitsHistogram: [10, index % 5, 1, 0, 0, 2])
        }
        let outputs = [
            OutputMetrics(
                name: "y", type: ArrayType(.f32, [4, 16]), original: side(0.5), rewritten: side(1 + k),
                bitsLost: BitsLost(max: 1 + k, mean: 0.25 + k / 100, shareOfSamplesWorseThan1Bit: 0.125),
                newNonfinite: index % 3,
                semantic: SemanticDeviation(maxULPs: k, samplesCompared: 64, samplesDiffering: index % 4),
                worst: WorstCase(
                    sample: index, element: 3, bitsLost: 1 + k, original: 0x1.70b2acp+0,
                    rewritten: 0x1.70b2aap+0, truth: 0x1.70b2acp+0, inputs: nil),
                comparison: ErrorComparison(
                    points: 64, changedPoints: 60 - index % 7, worsePoints: 30 + index % 5, betterPoints: 20,
                    reductionDepth: index % 17, signTestZ: 1.25 + k),
                rewrittenName: "y.\(index)", measuredIn: "f32"),
            OutputMetrics(
                name: "aux", type: ArrayType(.bf16, []), original: side(0), rewritten: side(0.25),
                bitsLost: BitsLost(max: .infinity, mean: .nan, shareOfSamplesWorseThan1Bit: 0),
                newNonfinite: 0, semantic: SemanticDeviation(maxULPs: 0, samplesCompared: 64, samplesDiffering: 0),
                worst: nil),
        ]
        let findings = [
            Finding(
                rule: "bits-lost", severity: .error, output: "y", message: "lost \(1 + k) bits",
                value: 1 + k, threshold: 2, waiver: index % 2 == 0 ? "waived by alice until 2099-01-01: known" : nil),
            Finding(
                rule: "waiver-expired", severity: .info, output: nil, message: "a waiver expired",
                value: nil, threshold: nil, waiver: nil),
        ]
        let config = RecordedConfig(
            verification: VerificationConfig(
                samples: 64 + index, seed: UInt64(index) + 1, inputs: ["#1": .normal(mean: 0, std: 1)],
                exec: .declared, reductionOrder: .sequential, subnormals: .keep, startPrecision: 128,
                maxPrecision: 4096, match: index % 2 == 1 ? .position : .auto),
            defaults: ["x": "uniform(1, 2)"],
            fixed: ["w": FixedReference(description: "data(w.npy)", file: "/data/w.npy", sha256: data.hash)],
            replayInputs: values.hash, failOn: index % 2 == 0 ? .error : .warning,
            waiversAsOf: "2026-12-01", maxElements: 1 << 24)
        let context = RunContext(
            user: "ci-user", host: "builder-\(index % 4)", cwd: "/work/repo",
            arguments: ["trace", "dump", "--samples", "64"],
            git: GitState(commit: String(repeating: "ab", count: 20), branch: index % 2 == 0 ? "main" : nil),
            ci: ["GITHUB_RUN_ID": "\(1000 + index)", "CI": "true"])
        let record = EntryRecord(
            tool: ToolStamp(version: "0.0-test"), context: context, run: run, command: .trace,
            pass: ["simplification/algsimp", "fusion", "cse"][index % 3],
            trace: TracePosition(module: "jit_f", step: index + 1, steps: 40, kind: .step, fromPass: "before"),
            original: GraphReference(
                path: "dump/a\(index).txt", sha256: original.hash, canonicalHash: String(repeating: "c", count: 64),
                format: "hlo-text"),
            rewritten: GraphReference(
                path: "dump/b\(index).txt", sha256: rewritten.hash,
                canonicalHash: String(format: "%064x", index), format: "hlo-text"),
            policy: PolicyReference(
                path: "Policies/fixture.yaml", name: "fixture", version: "\(index % 3)",
                canonicalHash: policy.hash, data: [PolicyData(pattern: "w", file: "w.npy", sha256: data.hash)]),
            config: config, outcome: .verified, error: nil,
            samples: SampleCounts(
                requested: 64 + index, measured: 64 + index, referenceUnstable: index % 2,
                rewrittenReferenceUnstable: 0, branchFlips: 1, maxPrecisionUsed: 256),
            outputs: outputs, findings: findings,
            waivers: index % 2 == 0
                ? [AppliedWaiver(rule: "bits-lost", output: "y", waiver: "waived by alice until 2099-01-01: known")]
                : [],
            verdict: [StepVerdict.pass, .warn, .fail][index % 3], report: report.hash)
        return EntryDraft(record: record, blobs: [original, rewritten, policy, data, values, report])
    }
}
