import FPGraph
import Foundation
import ZIPFoundation

/// Reads `.npz` archives (`np.savez`, `np.savez_compressed`): a zip archive whose
/// entries `KEY.npy` are arrays named `KEY`. Stored and deflated entries are read;
/// each entry's declared size is checked against the element limit before it is
/// inflated, and inflation stops at that size, so a zip bomb costs nothing.
///
/// The archive is always read through a file: ZIPFoundation's in-memory archives
/// trap on an offset past the end of the data (found by `Fuzz/checkpoint.swift`),
/// where a real file just reads short and the archive is refused.
enum NumpyZipReader {
    /// Reads the archive `bytes`, from `url` when they are that file's contents, else
    /// through a private temporary copy.
    static func parse(_ bytes: Data, file: String, url: URL?, maxElements: Int) throws -> Checkpoint {
        if let url { return try parse(bytes, file: file, archiveAt: url, maxElements: maxElements) }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fpaudit-npz-\(UUID().uuidString).zip")
        do {
            try bytes.write(to: copy, options: .withoutOverwriting)
        } catch {
            throw FormatError.unreadableFile(path: file, reason: "cannot stage the archive for reading: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: copy) }
        return try parse(bytes, file: file, archiveAt: copy, maxElements: maxElements)
    }

    private static func parse(_ bytes: Data, file: String, archiveAt url: URL, maxElements: Int) throws -> Checkpoint {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw CheckpointError.malformed(file: file, offset: nil, message: "not a readable zip archive (\(error))")
        }
        // The largest `.npy` an array under the limit can be: 8 bytes per element plus a
        // header (NumPy writes a few hundred bytes; 64 KiB is generous).
        let (body, overflow) = maxElements.multipliedReportingOverflow(by: 8)
        let maxEntryBytes = overflow || body > Int.max - 65_600 ? Int.max : body + 65_600
        var entries: [Checkpoint.Entry] = []
        var arrays: [String: Data] = [:]
        for entry in archive where entry.type == .file {
            guard entry.path.hasSuffix(".npy") else {
                throw CheckpointError.malformed(
                    file: file, offset: nil, message: "entry '\(entry.path)' is not a .npy array")
            }
            let name = String(entry.path.dropLast(4))
            guard arrays[name] == nil else {
                throw CheckpointError.malformed(
                    file: file, offset: nil, message: "two entries are named '\(entry.path)'")
            }
            guard entry.uncompressedSize <= UInt64(maxEntryBytes) else {
                throw CheckpointError.malformed(
                    file: file, offset: nil,
                    message:
                        "entry '\(entry.path)' is \(entry.uncompressedSize) bytes, over the limit for \(maxElements) elements"
                )
            }
            let declared = Int(entry.uncompressedSize)
            var content = Data()
            content.reserveCapacity(declared)
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard content.count + chunk.count <= declared else { throw SizeExceeded() }
                    content.append(chunk)
                }
            } catch is SizeExceeded {
                throw CheckpointError.malformed(
                    file: file, offset: nil,
                    message: "entry '\(entry.path)' inflates past its declared \(declared) bytes")
            } catch {
                throw CheckpointError.malformed(
                    file: file, offset: nil, message: "entry '\(entry.path)' cannot be read (\(error))")
            }
            let header: NumpyArray.Header
            do {
                header = try NumpyArray.Header(
                    [UInt8](content), file: "\(file):\(entry.path)", maxElements: maxElements)
            } catch let error as FormatError {
                throw CheckpointError.malformed(
                    file: file, offset: nil, message: "entry '\(entry.path)': \(error.message)")
            }
            entries.append(Checkpoint.Entry(name: name, type: header.type))
            arrays[name] = content
        }
        guard !entries.isEmpty else {
            throw CheckpointError.malformed(
                file: file, offset: nil,
                message: "the archive lists no .npy arrays (an empty or damaged central directory)")
        }
        return Checkpoint(
            file: file, format: .npz, bytes: bytes, entries: entries, metadata: [:], storage: .npz(arrays))
    }

    /// One array's elements from its extracted `.npy` bytes.
    static func decode(_ content: Data, name: String, file: String) throws -> Tensor {
        let bytes = [UInt8](content)
        do {
            return try NumpyArray.Header(bytes, file: "\(file):\(name).npy", maxElements: Int.max).decode(bytes)
        } catch let error as FormatError {
            throw CheckpointError.malformed(file: file, offset: nil, message: "entry '\(name).npy': \(error.message)")
        }
    }

    private struct SizeExceeded: Error {}
}
