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
    try? PolicyLoader.exercise(Data(bytes: data, count: size))
    return 0
}
