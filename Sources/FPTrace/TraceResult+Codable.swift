import FPVerify
import Foundation

// The `fpaudit.trace/v1` document (docs/report-format.md): the trace
// result's own encoding, embedding each verified step's `fpaudit.report/v1`.

extension TraceResult: Encodable {
    /// The `schema` of the trace document.
    public static let schema = "fpaudit.trace/v1"

    enum CodingKeys: String, CodingKey {
        case schema, module, steps, endToEnd = "end_to_end", firstFailure = "first_failure"
    }
    enum FailureKeys: String, CodingKey { case step, pass }

    /// Encodes `{schema, module, steps, end_to_end, first_failure}`; steps are
    /// numbered from 1, the end-to-end pair is step 0.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.schema, forKey: .schema)
        try c.encode(module, forKey: .module)
        try c.encode(steps.enumerated().map { NumberedStep(number: $0.offset + 1, step: $0.element) }, forKey: .steps)
        try c.encode(NumberedStep(number: 0, step: endToEnd), forKey: .endToEnd)
        if let f = firstFailure {
            var failure = c.nestedContainer(keyedBy: FailureKeys.self, forKey: .firstFailure)
            try failure.encode(f + 1, forKey: .step)
            try failure.encode(steps[f].pass, forKey: .pass)
        }
    }
}

/// A step with its number, as the trace document lists it.
struct NumberedStep: Encodable {
    let number: Int
    let step: TraceStepResult

    enum CodingKeys: String, CodingKey { case step, pass, from, to, status, diff, error, report }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .step)
        try c.encode(step.pass, forKey: .pass)
        try c.encode(step.from.path, forKey: .from)
        try c.encode(step.to.path, forKey: .to)
        try c.encode(step.status, forKey: .status)
        try c.encodeIfPresent(step.diff, forKey: .diff)
        switch step.outcome {
        case .unchanged: break
        case .error(let message): try c.encode(message, forKey: .error)
        case .verified(let result): try c.encode(result, forKey: .report)
        }
    }
}

extension TraceStepResult {
    /// `verified`, `unchanged` or `error`.
    public var status: VerificationStatus {
        switch outcome {
        case .unchanged: return .unchanged
        case .error: return .error
        case .verified: return .verified
        }
    }

    /// The step's verdict as the audit log records it: the policy's, or
    /// `unchanged` / `error`.
    public var stepVerdict: StepVerdict {
        switch outcome {
        case .unchanged: return .unchanged
        case .error: return .error
        case .verified(let r): return StepVerdict(r.verdict)
        }
    }
}
