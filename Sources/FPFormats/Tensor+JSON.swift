import FPGraph
import FPNumerics

/// How element text of a floating-point dtype becomes a value of the dtype.
enum FloatReading {
    /// Round to the nearest value of the dtype, ties to even (graph
    /// constants), keeping the canonical text of each decimal element whose
    /// exact value is not a value of the dtype (``FPGraph/Tensor/literals``).
    case roundToDType
    /// Require a value of the dtype (concrete input values).
    case exact
}

extension Tensor {
    /// Decodes a tensor written as one scalar, a flat row-major array, or
    /// nested arrays (one level per dimension).
    ///
    /// - Parameters:
    ///   - value: the JSON holding the elements.
    ///   - dtype: the element type.
    ///   - declared: the declared shape; nil infers it from the nesting (a
    ///     scalar is rank 0, a flat array rank 1).
    ///   - allowSplat: whether one scalar may fill a whole non-scalar shape.
    ///   - floats: rounding policy for floating-point dtypes.
    ///   - name: the node or values key, for errors.
    ///   - what: how `value` is named in messages ("'value' of node 'c'").
    ///   - maxElements: checked before any element storage is allocated.
    static func decode(
        _ value: JSONValue, dtype: DType, shape declared: [Int]?, allowSplat: Bool,
        floats: FloatReading, name: String, what: String, maxElements: Int
    ) throws -> Tensor {
        var shape: [Int]
        var elements: [JSONValue]
        var splat = false
        if let array = value.arrayElements {
            let nested = try nestedShape(of: value, what: what)
            if let declared {
                let count = ArrayType(dtype, declared).elementCount
                if declared == nested {
                    shape = declared
                } else if nested.count == 1, nested[0] == count {
                    shape = declared
                } else if nested.count == 1 {
                    throw FormatError.invalidValue(
                        what: what, message: "has \(nested[0]) element(s) but shape \(declared) needs \(count)",
                        location: value.location)
                } else {
                    throw FormatError.invalidValue(
                        what: what, message: "nested arrays have shape \(nested) but the declared shape is \(declared)",
                        location: value.location)
                }
            } else {
                shape = nested
            }
            try checkSize(dtype, shape, name: name, limit: maxElements, location: value.location)
            elements = []
            elements.reserveCapacity(ArrayType(dtype, shape).elementCount)
            flatten(array, into: &elements)
        } else {
            shape = declared ?? []
            if !shape.isEmpty && !allowSplat {
                throw value.wrongType(what, expected: "an array of \(ArrayType(dtype, shape).elementCount) element(s)")
            }
            try checkSize(dtype, shape, name: name, limit: maxElements, location: value.location)
            elements = [value]
            splat = true
        }

        let count = ArrayType(dtype, shape).elementCount
        if let format = dtype.floatFormat {
            var literals: [Int: String] = [:]
            var decoded = try elements.enumerated().map { i, element in
                let (value, literal) = try decodeFloat(
                    element, format: format, dtype: dtype, reading: floats, name: name,
                    index: i, what: what)
                if let literal { literals[i] = literal }
                return value
            }
            if splat {
                decoded = [Double](repeating: decoded[0], count: count)
                if let literal = literals[0] {
                    literals = Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, literal) })
                }
            }
            return Tensor(type: ArrayType(dtype, shape), elements: .floats(decoded), literals: literals)
        } else {
            var decoded = try elements.enumerated().map { i, element in
                try decodeInteger(element, dtype: dtype, reading: floats, name: name, index: i, what: what)
            }
            if splat { decoded = [Int64](repeating: decoded[0], count: count) }
            return Tensor(type: ArrayType(dtype, shape), elements: .integers(decoded))
        }
    }

    private static func checkSize(
        _ dtype: DType, _ shape: [Int], name: String, limit: Int,
        location: SourceLocation
    ) throws {
        let count = ArrayType(dtype, shape).elementCount
        if count > limit {
            throw GraphError.tooLarge(node: name, elements: count, limit: limit, location: location)
        }
    }

    /// The shape implied by nested arrays, checking that they are rectangular.
    private static func nestedShape(of value: JSONValue, what: String) throws -> [Int] {
        var dims: [Int] = []
        var probe = value
        while let elements = probe.arrayElements {
            dims.append(elements.count)
            guard let first = elements.first else { break }
            probe = first
        }
        try checkRectangular(value, dims: dims[...], what: what)
        return dims
    }

    private static func checkRectangular(_ value: JSONValue, dims: ArraySlice<Int>, what: String) throws {
        guard let expected = dims.first else {
            if value.arrayElements != nil {
                throw FormatError.invalidValue(
                    what: what, message: "nested arrays are ragged: expected a number here, found an array",
                    location: value.location)
            }
            return
        }
        guard let elements = value.arrayElements else {
            throw FormatError.invalidValue(
                what: what,
                message:
                    "nested arrays are ragged: expected an array of \(expected) here, found \(value.kindDescription)",
                location: value.location)
        }
        guard elements.count == expected else {
            throw FormatError.invalidValue(
                what: what,
                message: "nested arrays are ragged: expected \(expected) element(s) here, found \(elements.count)",
                location: value.location)
        }
        for element in elements { try checkRectangular(element, dims: dims.dropFirst(), what: what) }
    }

    private static func flatten(_ elements: [JSONValue], into out: inout [JSONValue]) {
        for element in elements {
            if let inner = element.arrayElements { flatten(inner, into: &out) } else { out.append(element) }
        }
    }

    /// The text of a number element (a JSON number, or a string).
    private static func elementText(_ element: JSONValue, dtype: DType, index: Int, what: String) throws -> String {
        switch element.kind {
        case .number(let text), .string(let text): return text
        default:
            throw element.wrongType(
                "element \(index) of \(what)",
                expected: dtype == .pred ? "true, false, 0 or 1" : "a number or a string holding one")
        }
    }

    /// The element's value in the dtype, and, when reading a constant, the
    /// canonical text of a decimal whose exact value is not a value of the dtype.
    private static func decodeFloat(
        _ element: JSONValue, format: FloatFormat, dtype: DType, reading: FloatReading,
        name: String, index: Int, what: String
    ) throws -> (value: Double, literal: String?) {
        let text = try elementText(element, dtype: dtype, index: index, what: what)
        guard let x = NumberText.parse(text) else {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype,
                reason: "expected a decimal or C99 hex-float number, \"inf\", \"-inf\" or \"nan\"",
                location: element.location)
        }
        // Decimal text for f32 goes through the C library's correctly rounded
        // `strtof` (via `Float(_:)`): one rounding, not two via Double.
        let isDecimal = x.isFinite && !text.lowercased().contains("x")
        let rounded = format == .f32 && isDecimal ? Float(text).map(Double.init) ?? format.round(x) : format.round(x)
        let spelledInfinite = x.isInfinite && isInfinitySpelling(text)
        switch reading {
        case .roundToDType:
            if spelledInfinite && !format.hasInfinities {
                throw FormatError.invalidNumber(
                    text: text, dtype: dtype, reason: "\(dtype.rawValue) has no infinities",
                    location: element.location)
            }
            // Overflow gives infinity, or NaN in the formats without infinities.
            if (rounded.isInfinite || (rounded.isNaN && !x.isNaN)) && !spelledInfinite {
                throw FormatError.invalidNumber(
                    text: text, dtype: dtype,
                    reason:
                        "it overflows \(dtype.rawValue), whose largest finite value is \(HexFloat.format(format.maxFinite)) (\(NumberText.format(format.maxFinite))); write \"inf\" for infinity",
                    location: element.location)
            }
            // A decimal denotes the real number written: keep it when rounding changed it.
            return (rounded, isDecimal ? DecimalLiteral.inexact(text, in: format) : nil)
        case .exact:
            let underflowed = x == 0 && spellsNonzero(text)
            if (x.isInfinite && !spelledInfinite) || underflowed || !format.isRepresentable(x) {
                throw FormatError.notRepresentable(
                    key: name, index: index, value: text, dtype: dtype,
                    location: element.location)
            }
            // The fnuz formats have no -0: a zero is +0.
            return (x == 0 ? format.round(x) : x, nil)
        }
    }

    private static func decodeInteger(
        _ element: JSONValue, dtype: DType, reading: FloatReading, name: String,
        index: Int, what: String
    ) throws -> Int64 {
        if dtype == .pred {
            switch element.kind {
            case .bool(let b): return b ? 1 : 0
            case .number("0"), .string("0"), .string("false"): return 0
            case .number("1"), .string("1"), .string("true"): return 1
            case .number(let text), .string(let text):
                throw FormatError.invalidNumber(
                    text: text, dtype: dtype, reason: "pred elements are true, false, 0 or 1",
                    location: element.location)
            default:
                throw element.wrongType("element \(index) of \(what)", expected: "true, false, 0 or 1")
            }
        }
        let text = try elementText(element, dtype: dtype, index: index, what: what)
        var value: Int64?
        if isIntegerSyntax(text) {
            value = dtype.parseInteger(text.hasPrefix("+") ? text.dropFirst() : Substring(text))
        } else if let x = NumberText.parse(text) {
            guard x.isFinite, x.rounded(.towardZero) == x else {
                throw FormatError.invalidNumber(
                    text: text, dtype: dtype, reason: "\(dtype.rawValue) elements must be integers",
                    location: element.location)
            }
            value = abs(x) <= 0x1p53 ? dtype.parseInteger(Substring(String(Int64(x)))) : nil
        } else {
            throw FormatError.invalidNumber(
                text: text, dtype: dtype, reason: "expected an integer",
                location: element.location)
        }
        guard let value else {
            if reading == .exact {
                throw FormatError.notRepresentable(
                    key: name, index: index, value: text, dtype: dtype,
                    location: element.location)
            }
            throw FormatError.invalidNumber(
                text: text, dtype: dtype,
                reason: "it is out of range for \(dtype.rawValue) (\(dtype.integerRangeText ?? ""))",
                location: element.location)
        }
        return value
    }

    /// Optional sign and decimal digits only: parsed exactly as an `Int64`, however long.
    private static func isIntegerSyntax(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        return !body.isEmpty && body.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Whether the text names an infinity (as opposed to a finite number that overflowed).
    private static func isInfinitySpelling(_ text: String) -> Bool {
        let word = text.lowercased().filter { $0 != " " && $0 != "\t" }.drop { $0 == "-" || $0 == "+" }
        return word == "inf" || word == "infinity"
    }

    /// Whether number text has a nonzero significand digit (so a zero result means underflow).
    private static func spellsNonzero(_ text: String) -> Bool {
        var body = Substring(text.lowercased()).drop { $0 == " " || $0 == "-" || $0 == "+" }
        if body.hasPrefix("0x") {
            body = body.dropFirst(2)
            return body.prefix { $0 != "p" }.contains { $0.isHexDigit && $0 != "0" }
        }
        return body.prefix { $0 != "e" }.contains { $0.isNumber && $0 != "0" }
    }
}
