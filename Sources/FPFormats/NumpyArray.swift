import FPGraph
import Foundation

/// Reads NumPy `.npy` files (format versions 1, 2 and 3): one C-ordered array
/// of f16, f32, f64 (`<f2`, `<f4`, `<f8`), s32, s64, u8, u32 or bool.
/// Big-endian and Fortran-ordered arrays, object arrays and other dtypes are
/// refused with a clear error (bf16 has no NumPy dtype; use a values file).
public enum NumpyArray {
    /// Parses the bytes of a `.npy` file.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - file: the name used in error locations (usually the path).
    ///   - maxElements: the largest element count accepted.
    /// - Returns: the array as a tensor; floats exact as `Double`, bool as pred 0/1.
    /// - Throws: ``FormatError/invalidValue(what:message:location:)`` when the bytes
    ///   are not a supported `.npy` array, the array is too large, or the data is
    ///   not as long as the header says.
    public static func read(data: Data, file: String, maxElements: Int = GraphLimits.default.maxElements) throws
        -> Tensor
    {
        let bytes = [UInt8](data)
        let header = try Header(bytes, file: file, maxElements: maxElements)
        return header.decode(bytes)
    }

    /// A `.npy` file's header: what the array is and where its data starts.
    struct Header {
        /// The array's dtype and shape.
        let type: ArrayType
        /// NumPy's type string (`<f4`, `|b1`, ...).
        let descr: String
        /// Bytes per element.
        let width: Int
        /// Offset of the first data byte.
        let bodyStart: Int

        /// Reads and checks the header of `bytes`, including that the data is exactly as
        /// long as the header says.
        init(_ bytes: [UInt8], file: String, maxElements: Int) throws {
            let start = SourceLocation(file: file, line: 1, column: 1)
            func fail(_ message: String) -> FormatError {
                .invalidValue(what: "npy file", message: message, location: start)
            }
            guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
                throw fail("not a .npy file (it does not start with \\x93NUMPY)")
            }
            let major = bytes[6]
            let headerLength: Int
            let headerStart: Int
            switch major {
            case 1:
                headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
                headerStart = 10
            case 2, 3:
                guard bytes.count >= 12 else { throw fail("truncated header") }
                headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
                headerStart = 12
            default:
                throw fail("unsupported .npy format version \(major)")
            }
            guard bytes.count >= headerStart + headerLength,
                let header = String(
                    bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1)
            else { throw fail("truncated header") }
            let descr = try field("descr", in: header, fail)
            let fortran = try field("fortran_order", in: header, fail)
            let shapeText = try field("shape", in: header, fail)
            guard fortran == "False" else {
                throw fail("Fortran-ordered arrays are not supported; save with np.ascontiguousarray")
            }
            let shape = try shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { text -> Int in
                    guard let d = Int(text), d >= 0 else { throw fail("bad shape \(shapeText)") }
                    return d
                }
            // The element count, checked before anything multiplies it.
            var count = 1
            for d in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= maxElements else {
                    throw fail("shape \(shapeText) has over \(maxElements) elements, the limit")
                }
                count = product
            }
            let type = ArrayType(try dtype(descr, fail), shape)
            let width = descr.hasPrefix("|") ? 1 : Int(descr.dropFirst(2)) ?? 1
            let bodyCount = bytes.count - (headerStart + headerLength)
            guard bodyCount == count * width else {
                throw fail("the data holds \(bodyCount) bytes; \(type) needs \(count * width)")
            }
            self.type = type
            self.descr = descr
            self.width = width
            self.bodyStart = headerStart + headerLength
        }

        /// The array's elements, from the file's bytes this header was read from.
        func decode(_ bytes: [UInt8]) -> Tensor {
            let count = type.elementCount
            let width = self.width
            let base0 = bodyStart
            func word(_ i: Int) -> UInt64 {
                let base = base0 + i * width
                return (0..<width).reduce(0) { $0 | UInt64(bytes[base + $1]) << (8 * UInt64($1)) }
            }
            let elements: Tensor.Elements
            switch descr {
            case "<f2": elements = .floats((0..<count).map { Double(Float16(bitPattern: UInt16(word($0)))) })
            case "<f4": elements = .floats((0..<count).map { Double(Float(bitPattern: UInt32(word($0)))) })
            case "<f8": elements = .floats((0..<count).map { Double(bitPattern: word($0)) })
            case "|b1": elements = .integers((0..<count).map { word($0) == 0 ? 0 : 1 })
            default:
                // Integers: the dtype's wrap sign-extends the signed widths and
                // zero-extends the unsigned ones; u64 keeps the 64-bit pattern.
                let t = type.dtype
                elements = .integers((0..<count).map { t.wrap(Int64(bitPattern: word($0))) })
            }
            return Tensor(type: type, elements: elements)
        }
    }

    private static func dtype(_ descr: String, _ fail: (String) -> FormatError) throws -> DType {
        switch descr {
        case "<f2": return .f16
        case "<f4": return .f32
        case "<f8": return .f64
        case "|i1": return .s8
        case "<i2": return .s16
        case "<i4": return .s32
        case "<i8": return .s64
        case "|u1": return .u8
        case "<u2": return .u16
        case "<u4": return .u32
        case "<u8": return .u64
        case "|b1": return .pred
        default: throw fail("dtype '\(descr)' is not supported (little-endian f2 f4 f8 i2 i4 i8 u2 u4 u8, i1, u1, b1)")
        }
    }

    /// The value of `'key': value` in the header dictionary (`shape` keeps its parentheses).
    private static func field(_ key: String, in header: String, _ fail: (String) -> FormatError) throws -> String {
        guard let keyRange = header.range(of: "'\(key)'") else { throw fail("the header has no '\(key)'") }
        var rest = header[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { throw fail("unterminated '\(key)'") }
            return String(rest[...close])
        }
        let end = rest.firstIndex { $0 == "," || $0 == "}" } ?? rest.endIndex
        rest = rest[..<end]
        return rest.trimmingCharacters(in: CharacterSet(charactersIn: " '"))
    }
}
