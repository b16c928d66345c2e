import FPVerify
import Foundation

extension EntryRecord {
    /// Sets the measured part from a judged verification result: outcome
    /// `verified`, sample counts, per-output metrics (without the worst
    /// point's inputs, which the stored report keeps), findings, applied
    /// waivers and the verdict.
    public mutating func setMeasurements(_ result: VerificationResult) {
        outcome = .verified
        error = nil
        interface = result.interface?.pairings
        samples = result.samples
        outputs = result.outputs.map { output in
            var o = output
            o.worst?.inputs = nil
            return o
        }
        findings = result.findings
        waivers = result.checks.compactMap { c in
            c.waiver.map { AppliedWaiver(rule: c.rule, output: c.output, waiver: $0) }
        }
        verdict = StepVerdict(result.verdict)
    }

    /// Sets the record of a pair that could not be verified: outcome `error`
    /// with its message, nothing measured.
    public mutating func setError(_ message: String) {
        outcome = .error
        error = message
        interface = nil
        samples = nil
        outputs = []
        findings = []
        waivers = []
        verdict = .error
    }

    /// The measured part as canonical JSON sections, by name (`outcome`,
    /// `interface`, `error`, `samples`, `outputs`, `findings`, `waivers`,
    /// `verdict`): what `log replay` compares byte for byte.
    public func measuredSections() throws -> [(name: String, json: Data)] {
        let e = EntryRecord.encoder
        func encode<T: Encodable>(_ value: T?) throws -> Data {
            try value.map { try e.encode($0) } ?? Data("null".utf8)
        }
        return [
            ("outcome", try encode(outcome)),
            ("interface", try encode(interface)),
            ("error", try encode(error)),
            ("samples", try encode(samples)),
            ("outputs", try encode(outputs)),
            ("findings", try encode(findings)),
            ("waivers", try encode(waivers)),
            ("verdict", try encode(verdict)),
        ]
    }
}
