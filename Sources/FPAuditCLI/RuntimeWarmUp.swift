import FPAuditKit

/// Questions the Swift runtime answers once per process, asked on the core
/// that is idle while the arguments are parsed, so that the command's own
/// threads find the answers cached.
///
/// The runtime decides whether a type conforms to a protocol, the first time
/// it is asked, by scanning every protocol conformance record in the binary
/// (about 8,000 with Foundation, GRDB and swift-crypto linked in; some 35 µs
/// a scan), then keeps the answer for the process. A short `verify` asks
/// about 130 such questions; those asked after parsing are on its critical
/// path, and the two sample workers would each ask the same ones at once:
/// - whether each number domain is a `RealDomain` (the requirement of the
///   evaluators' generic classes, checked when their type metadata is made);
/// - how C's `printf` takes a `Double`, an `Int32` and a `UInt32`
///   (``FPNumerics/CFormat``, through `CVarArg`'s dynamic casts);
/// - whether the command named is a ``ConsoleCommand`` (asked right after parsing).
///
/// Nothing here changes any result: a question asked twice gets the same answer.
enum RuntimeWarmUp {
    /// Asks the questions above, for the subcommand named `command`.
    static func run(command: String) {
        let domains: [Any.Type] = [IEEEDomain.self, IntervalDomain.self, BallDomain.self, MPFRDomain.self]
        for domain in domains { _ = isRealDomain(domain) }
        _ = CFormat.string("%.1f %d %u", 0.5, Int32(1), UInt32(2))
        if let type = FPAudit.configuration.subcommands.first(where: { $0._commandName == command }) {
            _ = isConsoleCommand(type)
        }
    }

    /// The runtime's conformance check itself: kept out of line and
    /// unoptimised, so that the compiler does not answer it at compile time.
    @inline(never) @_optimize(none)
    private static func isRealDomain(_ type: Any.Type) -> Bool { type is any RealDomain.Type }

    /// As ``isRealDomain(_:)``, for ``ConsoleCommand``.
    @inline(never) @_optimize(none)
    private static func isConsoleCommand(_ type: Any.Type) -> Bool { type is any ConsoleCommand.Type }
}
