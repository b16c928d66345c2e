// fpaudit as a library: verify a rewrite under the default policy and record it.
//   swift run verify-pair ORIGINAL REWRITTEN AUDIT.db
import FPAuditKit
import Foundation

let paths = Array(CommandLine.arguments.dropFirst())
guard paths.count == 3 else {
    FileHandle.standardError.write(Data("usage: verify-pair ORIGINAL REWRITTEN AUDIT.db\n".utf8))
    exit(2)
}
var options = AuditOptions()
options.settings.samples = 256
let session = AuditSession(context: .capture(environment: [:], arguments: CommandLine.arguments))
let audit = Audit(policy: PolicyLoader.builtinDefault, options: options, session: session)
let pair = try await audit.verify(
    original: .read(path: paths[0]), rewritten: .read(path: paths[1]))
let stored = try AuditLog(path: paths[2]).append(pair.draft.map { [$0] } ?? [])
for output in pair.result.outputs {
    let excess = output.excessBits?.p99 ?? .nan
    print("\(output.name): p99 excess \(excess) bits, \(output.comparison?.worsePoints ?? 0) points worse")
}
print("verdict: \(pair.result.verdict.rawValue), logged as entry \(stored.map(\.seq).first ?? 0)")
exit(pair.result.verdict == .fail ? 1 : 0)
