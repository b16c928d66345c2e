import FPFormats
import Foundation

/// libFuzzer target `checkpoint`: the bytes of a `--params` checkpoint or an
/// `--inputs-from` file (`.safetensors`, `.npz`, JSON Lines) read by
/// ``ReaderExercise/checkpoint(_:)``: parsed, every tensor decoded, bound by name,
/// split along the sample axis.
///
/// Every thrown error is expected (bad input is a clear error, exit 2); only a
/// trap, a sanitizer report, a stack overflow or a timeout is a finding. The
/// safetensors header length and offsets, the zip directory and the `.npy`
/// headers are all input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? ReaderExercise.checkpoint(Data(bytes: data, count: size))
    return 0
}
