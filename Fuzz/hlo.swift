import FPFormats
import Foundation

/// libFuzzer target `hlo`: the bytes of an `.hlo.txt` file read the way
/// `fpaudit` reads a graph (``GraphFile`` sniffing, the HLO lexer and parser,
/// lowering, the graph builder and validation, then the declared input
/// distributions and the canonical hash, as `VerificationSubject.read` does).
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? ReaderExercise.graph(Data(bytes: data, count: size), file: "fuzz.hlo.txt")
    return 0
}
