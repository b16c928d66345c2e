// fpaudit as a library: verify a rewrite under the default policy.
//   swift run verify-pair ORIGINAL REWRITTEN
import FPPolicy
import FPVerify
import Foundation

let paths = Array(CommandLine.arguments.dropFirst())
guard paths.count == 2 else {
    FileHandle.standardError.write(Data("usage: verify-pair ORIGINAL REWRITTEN\n".utf8))
    exit(2)
}
let (original, rewritten) = try (
    VerificationSubject.read(data: Data(contentsOf: URL(fileURLWithPath: paths[0])), path: paths[0]),
    VerificationSubject.read(data: Data(contentsOf: URL(fileURLWithPath: paths[1])), path: paths[1])
)
let verifier = try Verifier(original: original, rewritten: rewritten, config: VerificationConfig(samples: 256))
var result = try await verifier.run()
PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&result)
for output in result.outputs {
    let excess = output.excessBits?.p99 ?? .nan
    print("\(output.name): p99 excess \(excess) bits, \(output.comparison?.worsePoints ?? 0) points worse")
}
print("verdict: \(result.verdict.rawValue)")
exit(result.verdict == .fail ? 1 : 0)
