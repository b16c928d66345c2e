import FPPolicy
import Foundation

/// libFuzzer target `policy`: the bytes of a YAML policy loaded the way
/// `--policy FILE` loads one (UTF-8 text, Yams, the policy file reader, rule
/// expressions, merging and waiver checks), then its canonical text.
/// `data(FILE)` inputs read nothing, so they are errors; `extends` still
/// reads the disk, as in `fpaudit`.
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let yaml = String(data: Data(bytes: data, count: size), encoding: .utf8) else { return 0 }
    do {
        let policy = try PolicyLoader.load(yaml: yaml, path: "/nonexistent/fuzz/policy.yaml") { _ in nil }
        _ = policy.canonicalText
    } catch {}
    return 0
}
