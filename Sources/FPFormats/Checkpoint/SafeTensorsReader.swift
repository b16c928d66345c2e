import FPGraph
import FPNumerics
import Foundation

/// A dtype name of the safetensors format and the graph dtype it is.
enum SafeTensorsDType: String, Sendable {
    case bool = "BOOL", u8 = "U8", i8 = "I8", u16 = "U16", i16 = "I16", u32 = "U32", i32 = "I32"
    case u64 = "U64", i64 = "I64", f16 = "F16", bf16 = "BF16", f32 = "F32", f64 = "F64"
    /// `torch.float8_e4m3fn`, which safetensors spells `F8_E4M3`.
    case f8e4m3 = "F8_E4M3"
    case f8e5m2 = "F8_E5M2"

    var dtype: DType {
        switch self {
        case .bool: return .pred
        case .u8: return .u8
        case .i8: return .s8
        case .u16: return .u16
        case .i16: return .s16
        case .u32: return .u32
        case .i32: return .s32
        case .u64: return .u64
        case .i64: return .s64
        case .f16: return .f16
        case .bf16: return .bf16
        case .f32: return .f32
        case .f64: return .f64
        case .f8e4m3: return .f8e4m3fn
        case .f8e5m2: return .f8e5m2
        }
    }

    /// Bytes per element.
    var width: Int { dtype == .pred ? 1 : dtype.bitWidth / 8 }
}

/// Reads the safetensors format (huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON `{"name": {"dtype", "shape", "data_offsets": [begin, end]},
/// "__metadata__": {...}}`, then the tensors' bytes, little-endian and row-major, at
/// `data_offsets` counted from the end of the header.
///
/// Every number in the header is input: the length is checked against the file and a
/// 100 MB cap, the offsets against the data's length, each tensor's byte count against
/// its shape, and tensors may not overlap.
enum SafeTensorsReader {
    /// The largest header accepted, as in the reference implementation.
    static let maxHeaderBytes = 100_000_000

    static func parse(_ bytes: Data, file: String, maxElements: Int) throws -> Checkpoint {
        func fail(_ message: String, at offset: Int? = nil) -> CheckpointError {
            .malformed(file: file, offset: offset, message: message)
        }
        guard bytes.count >= 8 else {
            throw fail("the file is \(bytes.count) bytes; a safetensors file starts with an 8-byte header length")
        }
        let base = bytes.startIndex
        let declared = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[base + $1]) << (8 * UInt64($1)) }
        guard declared <= UInt64(maxHeaderBytes) else {
            throw fail("the header length is \(declared) bytes, over the limit of \(maxHeaderBytes)", at: 0)
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw fail("the header length is \(headerLength) bytes but only \(bytes.count - 8) follow", at: 0)
        }
        let header: JSONValue
        do {
            header = try JSONValue.parse(
                bytes.subdata(in: (base + 8)..<(base + 8 + headerLength)), file: file + " (header)")
        } catch let error as FormatError {
            throw fail("the header is not valid JSON: \(error.message)", at: 8)
        }
        guard let members = header.objectMembers else {
            throw fail("the header must be a JSON object, found \(header.kindDescription)", at: 8)
        }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var entries: [Checkpoint.Entry] = []
        var ranges: [String: Range<Int>] = [:]
        var dtypes: [String: SafeTensorsDType] = [:]
        var metadata: [String: String] = [:]
        for member in members {
            let name = member.key
            if name == "__metadata__" {
                guard let fields = member.value.objectMembers else {
                    throw fail("__metadata__ must be an object of strings", at: 8)
                }
                for field in fields {
                    guard let text = field.value.stringValue else {
                        throw fail("__metadata__ '\(field.key)' must be a string", at: 8)
                    }
                    metadata[field.key] = text
                }
                continue
            }
            guard let info = member.value.objectMembers else {
                throw fail("tensor '\(name)' must be described by an object", at: 8)
            }
            func value(_ key: String) throws -> JSONValue {
                guard let v = info.first(where: { $0.key == key })?.value else {
                    throw fail("tensor '\(name)' has no '\(key)'", at: 8)
                }
                return v
            }
            func integers(_ key: String) throws -> [Int] {
                guard let items = try value(key).arrayElements else {
                    throw fail("tensor '\(name)': '\(key)' must be an array of integers", at: 8)
                }
                return try items.map {
                    guard let text = $0.numberText, let n = Int(text), n >= 0 else {
                        throw fail("tensor '\(name)': '\(key)' must hold non-negative integers", at: 8)
                    }
                    return n
                }
            }
            guard let dtypeName = try value("dtype").stringValue else {
                throw fail("tensor '\(name)': 'dtype' must be a string", at: 8)
            }
            guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
                throw CheckpointError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
            }
            let shape = try integers("shape")
            let offsets = try integers("data_offsets")
            guard offsets.count == 2, offsets[0] <= offsets[1] else {
                throw fail("tensor '\(name)': 'data_offsets' must be [begin, end] with begin <= end", at: 8)
            }
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= maxElements else {
                    throw fail("tensor '\(name)' has shape \(shape), over the limit of \(maxElements) elements", at: 8)
                }
                count = product
            }
            guard offsets[1] <= dataLength else {
                throw fail(
                    "tensor '\(name)' ends at byte \(offsets[1]) of the data, but the data is \(dataLength) bytes"
                        + " (the file is truncated or the offsets are wrong)", at: dataStart)
            }
            guard offsets[1] - offsets[0] == count * dtype.width else {
                throw fail(
                    "tensor '\(name)' (\(dtypeName) \(shape)) needs \(count * dtype.width) bytes, its offsets span \(offsets[1] - offsets[0])",
                    at: 8)
            }
            entries.append(Checkpoint.Entry(name: name, type: ArrayType(dtype.dtype, shape)))
            ranges[name] = (dataStart + offsets[0])..<(dataStart + offsets[1])
            dtypes[name] = dtype
        }
        // Tensors may not share bytes.
        let ordered = entries.map(\.name).sorted { (ranges[$0]!.lowerBound, $0) < (ranges[$1]!.lowerBound, $1) }
        for (a, b) in zip(ordered, ordered.dropFirst()) where ranges[b]!.lowerBound < ranges[a]!.upperBound {
            throw fail("tensors '\(a)' and '\(b)' overlap in the data", at: ranges[b]!.lowerBound)
        }
        return Checkpoint(
            file: file, format: .safetensors, bytes: bytes,
            entries: entries.sorted {
                ranges[$0.name]!.lowerBound < ranges[$1.name]!.lowerBound
                    || (ranges[$0.name]!.lowerBound == ranges[$1.name]!.lowerBound && $0.name < $1.name)
            },
            metadata: metadata, storage: .safetensors(bytes, ranges: ranges, dtypes: dtypes))
    }

    /// One tensor's elements from its checked byte range.
    static func decode(_ bytes: Data, range: Range<Int>, dtype: SafeTensorsDType, type: ArrayType) -> Tensor {
        let count = type.elementCount
        let width = dtype.width
        let start = bytes.startIndex + range.lowerBound
        return bytes.withUnsafeBytes { raw -> Tensor in
            func word(_ i: Int) -> UInt64 {
                var w: UInt64 = 0
                let base = start - bytes.startIndex + i * width
                for k in 0..<width { w |= UInt64(raw[base + k]) << (8 * UInt64(k)) }
                return w
            }
            let elements: Tensor.Elements
            switch dtype {
            case .f64: elements = .floats((0..<count).map { Double(bitPattern: word($0)) })
            case .f32:
                elements = .floats((0..<count).map { Double(Float(bitPattern: UInt32(truncatingIfNeeded: word($0)))) })
            case .f16, .bf16, .f8e4m3, .f8e5m2:
                let format = FloatFormat(name: dtype.dtype.rawValue)!
                elements = .floats((0..<count).map { format.value(bitPattern: word($0)) })
            case .bool: elements = .integers((0..<count).map { word($0) == 0 ? 0 : 1 })
            case .u8, .i8, .u16, .i16, .u32, .i32, .u64, .i64:
                // The dtype's wrap sign-extends signed widths and zero-extends unsigned ones.
                let t = dtype.dtype
                elements = .integers((0..<count).map { t.wrap(Int64(bitPattern: word($0))) })
            }
            return Tensor(type: type, elements: elements)
        }
    }
}
