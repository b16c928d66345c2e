import FPFormats
import Foundation

/// libFuzzer target `graph-json`: the bytes of an `fpaudit.graph/v1` JSON
/// file read the way `fpaudit` reads a graph (``GraphFile`` sniffing, the JSON
/// parser, the document reader, the graph builder and validation, then the
/// declared input distributions and the canonical hash, as
/// `VerificationSubject.read` does).
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? ReaderExercise.graph(Data(bytes: data, count: size), file: "fuzz.json")
    return 0
}
