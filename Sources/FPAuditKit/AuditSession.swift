import FPAuditLog
import Foundation

/// What every audit log entry of one invocation shares: who ran it and where
/// (the run context) and one run id.
public struct AuditSession: Sendable {
    /// Who ran fpaudit, where, from which commit, in which CI job.
    public var context: RunContext
    /// One id for the whole invocation: every step of a trace shares it.
    public var run: String

    /// A session with a new time-ordered run id.
    public init(context: RunContext) {
        self.context = context
        var generator = SystemRandomNumberGenerator()
        run = TimeOrderedID(date: Date(), using: &generator).description
    }
}
