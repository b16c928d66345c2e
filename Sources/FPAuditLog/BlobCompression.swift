internal import CFPZlib
import Foundation

/// How a blob's bytes are stored.
public enum BlobCompression: String, Sendable, Codable, CaseIterable {
    /// The bytes as they are (when compressing would not make them smaller).
    case none
    /// A zlib stream (RFC 1950: deflate with an Adler-32 check), zlib's default level (6).
    case zlib

    /// Compresses `data`, falling back to ``none`` when zlib does not shrink it.
    static func pack(_ data: Data) -> (BlobCompression, Data) {
        guard !data.isEmpty else { return (.none, data) }
        var bound = compressBound(uLong(data.count))
        var out = Data(count: Int(bound))
        let status = out.withUnsafeMutableBytes { dst in
            data.withUnsafeBytes { src in
                compress2(
                    dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &bound,
                    src.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(data.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard status == Z_OK, Int(bound) < data.count else { return (.none, data) }
        out.count = Int(bound)
        return (.zlib, out)
    }

    /// The original bytes of a stored blob of `size` bytes.
    /// - Throws: a reason string when the stream is damaged or has another length.
    func unpack(_ stored: Data, size: Int) throws -> Data {
        switch self {
        case .none:
            guard stored.count == size else {
                throw BlobError("stored \(stored.count) bytes, the blob records \(size)")
            }
            return stored
        case .zlib:
            guard size >= 0, !stored.isEmpty else { throw BlobError("empty zlib stream") }
            // One spare byte: a stream that inflates to more than `size` is detected, not truncated.
            var length = uLong(size + 1)
            var out = Data(count: size + 1)
            let status = out.withUnsafeMutableBytes { dst in
                stored.withUnsafeBytes { src in
                    uncompress(
                        dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &length,
                        src.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(stored.count))
                }
            }
            switch status {
            case Z_OK:
                guard Int(length) == size else {
                    throw BlobError("inflates to \(length) bytes, the blob records \(size)")
                }
                out.count = size
                return out
            case Z_BUF_ERROR: throw BlobError("inflates to more than the recorded \(size) bytes, or is truncated")
            case Z_DATA_ERROR: throw BlobError("the zlib stream is damaged")
            default: throw BlobError("zlib error \(status)")
            }
        }
    }
}

/// A reason a blob could not be unpacked.
struct BlobError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
