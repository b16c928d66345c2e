import FPFormats
import Foundation

/// libFuzzer target `values`: the bytes of a values file (`--inputs`,
/// `docs/values-format.md`) read by ``ValuesJSON/readEntries(data:file:jsonLimits:)``,
/// bound to a small graph's parameters as `fpaudit eval --inputs` does, then
/// written back with `ValuesJSON.write` and read again.
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? ReaderExercise.values(Data(bytes: data, count: size))
    return 0
}
