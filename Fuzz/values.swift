import FPFormats
import Foundation

/// libFuzzer target `values`: the bytes of a values file (`--inputs`,
/// `docs/values-format.md`) read by ``ValuesJSON/readEntries(data:file:jsonLimits:)``,
/// then written back with ``ValuesJSON/write(_:)-([Entry])`` and read again.
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do {
        let entries = try ValuesJSON.readEntries(data: bytes, file: "fuzz.values.json")
        _ = try ValuesJSON.readEntries(data: ValuesJSON.write(entries), file: "rewritten.values.json")
    } catch {}
    return 0
}
