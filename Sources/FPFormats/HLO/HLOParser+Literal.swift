import FPGraph
import FPNumerics

extension HLOParser {
    /// Reads the value of `constant(...)` for an array type: a scalar for
    /// rank 0, else braces nested once per dimension (`{ { 1, 2 }, { 3, 4 } }`),
    /// each holding exactly its dimension's size of elements.
    ///
    /// Elements are decimal numbers, `inf`, `-inf`, `nan`, `-nan` (a NaN
    /// payload is not kept), `true` and `false`. Floats are read as binary64
    /// and then rounded to the dtype, as XLA's parser does; a finite number
    /// that overflows the dtype is an error, as in XLA.
    ///
    /// - Parameters:
    ///   - type: the constant's declared type.
    ///   - end: the index of the closing `)`'s token.
    ///   - node: the instruction name, for the size-limit error.
    ///   - maxElements: checked before any element storage is reserved.
    mutating func parseLiteral(
        type: ArrayType, end: Int, node: String, maxElements: Int,
        at location: SourceLocation
    ) throws -> Tensor {
        let count = type.elementCount
        if count > maxElements {
            throw GraphError.tooLarge(node: node, elements: count, limit: maxElements, location: location)
        }
        var reader = LiteralElements(dtype: type.dtype, capacity: count)
        let dims = type.dimensions
        if position == end { throw expected("the constant's value") }
        if dims.isEmpty {
            if current.isSymbol("{") { throw expected("a single value for the scalar \(type) constant") }
            try reader.append(current, parser: self)
            advance()
        } else {
            var level = 0
            var seen = [Int](repeating: 0, count: dims.count)
            repeat {
                let token = current
                switch token.kind {
                case .symbol("{"):
                    if level == dims.count {
                        throw FormatError.invalidValue(
                            what: "constant", message: "braces are nested deeper than its rank (\(dims.count)) allows",
                            location: currentLocation)
                    }
                    if level > 0 {
                        seen[level - 1] += 1
                        if seen[level - 1] > dims[level - 1] { throw tooMany(dims, level - 1, type) }
                    }
                    level += 1
                case .symbol("}"):
                    guard level > 0 else { throw expected("'{' to start the \(type) constant") }
                    level -= 1
                    if seen[level] != dims[level] {
                        throw FormatError.invalidValue(
                            what: "constant",
                            message:
                                "expected \(dims[level]) element(s) in dimension \(level) of \(type), found \(seen[level])",
                            location: currentLocation)
                    }
                    seen[level] = 0
                case .symbol(","):
                    guard level > 0 else { throw expected("'{' to start the \(type) constant") }
                case .symbol("..."):
                    throw FormatError.unsupported(
                        message:
                            "the constant's values are elided ('...'); dump with --xla_dump_large_constants=true so fpaudit can read them",
                        location: currentLocation)
                case .endOfFile:
                    throw expected("'}' to close the constant")
                default:
                    guard level > 0 else { throw expected("'{' to start the \(type) constant") }
                    if level < dims.count {
                        throw FormatError.invalidValue(
                            what: "constant",
                            message: "expected '{' here: a \(type) constant nests its values \(dims.count) levels deep",
                            location: currentLocation)
                    }
                    seen[level - 1] += 1
                    if seen[level - 1] > dims[level - 1] { throw tooMany(dims, level - 1, type) }
                    try reader.append(token, parser: self)
                }
                advance()
            } while level > 0 && position < end
            if level > 0 { throw expected("'}' to close the constant") }
        }
        if position != end { throw expected("')' after the constant's value") }
        return reader.literal(type)
    }

    private func tooMany(_ dims: [Int], _ dimension: Int, _ type: ArrayType) -> FormatError {
        .invalidValue(
            what: "constant",
            message: "expected \(dims[dimension]) element(s) in dimension \(dimension) of \(type), found more",
            location: currentLocation)
    }
}

/// Accumulates decoded elements of one dtype.
private struct LiteralElements {
    let dtype: DType
    var floats: [Double] = []
    var integers: [Int64] = []

    init(dtype: DType, capacity: Int) {
        self.dtype = dtype
        if dtype.isFloatingPoint { floats.reserveCapacity(capacity) } else { integers.reserveCapacity(capacity) }
    }

    func literal(_ type: ArrayType) -> Tensor {
        Tensor(type: type, elements: dtype.isFloatingPoint ? .floats(floats) : .integers(integers))
    }

    mutating func append(_ token: HLOToken, parser: HLOParser) throws {
        let location = parser.location(token)
        let text: String
        switch token.kind {
        case .word(let w), .identifier(let w): text = w
        default: throw parser.expected("a \(dtype.rawValue) value")
        }
        if let format = dtype.floatFormat {
            floats.append(try Self.float(text, format: format, dtype: dtype, at: location))
        } else {
            integers.append(try Self.integer(text, dtype: dtype, at: location))
        }
    }

    private static func float(_ text: String, format: FloatFormat, dtype: DType, at location: SourceLocation) throws
        -> Double
    {
        guard text != "true", text != "false", let x = NumberText.parse(text) else {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype, reason: "expected a number, inf, -inf, nan or -nan",
                location: location)
        }
        let spelledInfinite = text == "inf" || text == "-inf"
        if x.isInfinite && !spelledInfinite {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype, reason: "it overflows binary64", location: location)
        }
        if spelledInfinite && !format.hasInfinities {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype, reason: "\(dtype.rawValue) has no infinities", location: location)
        }
        let rounded = format.round(x)
        // Overflow gives infinity, or NaN in the formats without infinities.
        if (rounded.isInfinite || rounded.isNaN) && x.isFinite {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype,
                reason:
                    "it is out of range for \(dtype.rawValue), whose largest finite value is \(NumberText.format(format.maxFinite))",
                location: location)
        }
        return rounded
    }

    private static func integer(_ text: String, dtype: DType, at location: SourceLocation) throws -> Int64 {
        if dtype == .pred {
            switch text {
            case "true", "1": return 1
            case "false", "0": return 0
            default:
                throw FormatError.invalidNumber(
                    text: text, dtype: dtype, reason: "pred elements are true, false, 0 or 1", location: location)
            }
        }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FormatError.invalidNumber(text: text, dtype: dtype, reason: "expected an integer", location: location)
        }
        guard let value = dtype.parseInteger(Substring(text)) else {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype,
                reason: "it is out of range for \(dtype.rawValue) (\(dtype.integerRangeText ?? ""))",
                location: location)
        }
        return value
    }
}
