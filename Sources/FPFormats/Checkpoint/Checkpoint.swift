import FPGraph
import Foundation

/// A file of named tensors: a `.safetensors` file or an `.npz` archive of `.npy` arrays.
///
/// Reading checks the whole file's structure (header, offsets, sizes) but decodes no
/// tensor: ``tensor(named:)`` decodes one on demand, so the tensors a graph does not
/// use cost nothing. A `.safetensors` file is memory-mapped.
public struct Checkpoint: Sendable {
    /// The container format.
    public enum Format: String, Sendable, Codable {
        /// Hugging Face's safetensors: a JSON header, then the tensors' bytes.
        case safetensors
        /// NumPy's `np.savez`: a zip archive of `.npy` files, one per tensor.
        case npz
    }

    /// One tensor's name and type, as the file declares them.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name (its key in the file).
        public var name: String
        /// The tensor's dtype and shape.
        public var type: ArrayType
    }

    /// The file's path as given.
    public let file: String
    /// Its container format.
    public let format: Format
    /// SHA-256 of the file's bytes, lowercase hex.
    public let sha256: String
    /// Every tensor, in the file's order.
    public let entries: [Entry]
    /// The safetensors header's `__metadata__` (empty for `.npz`).
    public let metadata: [String: String]

    let storage: Storage

    /// Where the tensors' bytes are.
    enum Storage: Sendable {
        /// The file's bytes and each tensor's byte range in them.
        case safetensors(Data, ranges: [String: Range<Int>], dtypes: [String: SafeTensorsDType])
        /// Each array's extracted `.npy` bytes, by name.
        case npz([String: Data])
    }

    init(
        file: String, format: Format, bytes: Data, entries: [Entry], metadata: [String: String], storage: Storage
    ) {
        self.file = file
        self.format = format
        self.sha256 = fileSHA256(bytes)
        self.entries = entries
        self.metadata = metadata
        self.storage = storage
    }

    /// Reads a checkpoint file; the format comes from the first bytes (a zip archive is
    /// `.npz`; a safetensors file starts with its header's length, then `{`).
    /// - Throws: ``CheckpointError`` for a malformed file, ``FormatError/unreadableFile(path:reason:)``
    ///   when it cannot be read.
    public static func read(path: String, maxElements: Int = GraphLimits.default.maxElements) throws -> Checkpoint {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error.localizedDescription)" : "no such file"
            throw FormatError.unreadableFile(path: path, reason: reason)
        }
        return try parse(bytes, file: path, url: URL(fileURLWithPath: path), maxElements: maxElements)
    }

    /// Parses a checkpoint's bytes (see ``read(path:maxElements:)``); `file` names it in errors.
    public static func parse(_ bytes: Data, file: String, maxElements: Int = GraphLimits.default.maxElements) throws
        -> Checkpoint
    {
        try parse(bytes, file: file, url: nil, maxElements: maxElements)
    }

    /// ``parse(_:file:maxElements:)`` of a file's contents, read again from `url` where a
    /// format needs a file (zip archives).
    static func parse(_ bytes: Data, file: String, url: URL?, maxElements: Int) throws -> Checkpoint {
        if bytes.starts(with: [0x50, 0x4B]) {  // "PK": a zip archive
            return try NumpyZipReader.parse(bytes, file: file, url: url, maxElements: maxElements)
        }
        if bytes.count >= 9, bytes[bytes.startIndex + 8] == UInt8(ascii: "{") {
            return try SafeTensorsReader.parse(bytes, file: file, maxElements: maxElements)
        }
        if file.hasSuffix(".safetensors") {
            return try SafeTensorsReader.parse(bytes, file: file, maxElements: maxElements)
        }
        throw CheckpointError.unknownFormat(file: file)
    }

    /// The entry named `name`, if the file has one.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Decodes one tensor: floats exactly as `Double`, integers and bool as integers.
    /// - Throws: ``CheckpointError/malformed(file:offset:message:)`` when its bytes are bad
    ///   (for `.npz`, the entry's `.npy` content is checked only here).
    public func tensor(named name: String) throws -> Tensor {
        switch storage {
        case .safetensors(let bytes, let ranges, let dtypes):
            guard let range = ranges[name], let dtype = dtypes[name], let entry = entry(named: name) else {
                throw CheckpointError.malformed(file: file, offset: nil, message: "no tensor named '\(name)'")
            }
            return SafeTensorsReader.decode(bytes, range: range, dtype: dtype, type: entry.type)
        case .npz(let arrays):
            guard let content = arrays[name] else {
                throw CheckpointError.malformed(file: file, offset: nil, message: "no array named '\(name)'")
            }
            return try NumpyZipReader.decode(content, name: name, file: file)
        }
    }
}
