import FPGraph

/// Readers for the attribute values that give an instruction its meaning.
/// Each starts at the value's first token; ``HLOLowering`` checks that the
/// whole value was consumed.
extension HLOParser {
    /// `{1,0}` or `{}`.
    mutating func parseBracedIntegers(_ what: String) throws -> [Int] {
        try expect("{", "to start \(what)")
        var values: [Int] = []
        if eat("}") { return values }
        repeat {
            values.append(try parseInteger("an integer in \(what)"))
        } while eat(",")
        try expect("}", "after the integers of \(what)")
        return values
    }

    /// `%region_0.1` or `region_0.1`.
    mutating func parseComputationReference(_ what: String) throws -> (String, SourceLocation) {
        if current.isSymbol("{") {
            throw FormatError.unsupported(
                message: "an inline computation in \(what) is not supported; name a computation instead",
                location: currentLocation)
        }
        return try parseName("a computation name for \(what)")
    }

    /// `{%a, %b}`.
    mutating func parseComputationList(_ what: String) throws -> [(String, SourceLocation)] {
        try expect("{", "to start \(what)")
        var names: [(String, SourceLocation)] = []
        if eat("}") { return names }
        repeat {
            names.append(try parseComputationReference(what))
        } while eat(",")
        try expect("}", "after the computations of \(what)")
        return names
    }

    /// An identifier value such as `LT` or `kLoop`.
    mutating func parseIdentifierValue(_ what: String) throws -> String {
        guard case .identifier(let text) = current.kind else { throw expected(what) }
        advance()
        return text
    }

    /// `{[0:4:1], [2:3]}`: start, limit and optional stride per dimension.
    mutating func parseSliceRanges() throws -> SliceBounds {
        try expect("{", "to start the slice ranges")
        var bounds = SliceBounds(starts: [], limits: [], strides: [])
        if eat("}") { return bounds }
        repeat {
            try expect("[", "to start a slice range such as [0:4:1]")
            bounds.starts.append(try parseInteger("the start of a slice range"))
            try expect(":", "after the start of a slice range")
            bounds.limits.append(try parseInteger("the limit of a slice range"))
            bounds.strides.append(eat(":") ? try parseInteger("the stride of a slice range") : 1)
            try expect("]", "after a slice range [start:limit:stride]")
        } while eat(",")
        try expect("}", "after the slice ranges")
        return bounds
    }

    /// `0_0x1_2_1`: `low_high[_interior]` per dimension, separated by `x`.
    mutating func parsePaddingConfig() throws -> PaddingConfig {
        let l = currentLocation
        guard let text = current.wordText else { throw expected("a padding such as 0_0x1_2_1") }
        let dims = try Self.patternFields(
            text, allowed: 2...3, what: "padding '\(text)'",
            form: "low_high or low_high_interior per dimension, separated by 'x'", at: l)
        advance()
        return PaddingConfig(
            low: dims.map { $0[0] }, high: dims.map { $0[1] }, interior: dims.map { $0.count == 3 ? $0[2] : 0 })
    }

    /// `{size=2x2 stride=1x1 pad=0_1x0_1 lhs_dilate=1x1 rhs_dilate=1x1}`;
    /// fields in any order, all but `size` optional. A reversed window
    /// (`rhs_reversal`, which only convolution takes) is refused.
    mutating func parseWindow() throws -> WindowConfig {
        let start = currentLocation
        let (window, reversal) = try parseWindowWithReversal()
        if reversal.contains(true) {
            throw FormatError.unsupported(
                message: "window rhs_reversal (a reversed window) is not supported", location: start)
        }
        return window
    }

    /// A window as ``parseWindow()`` reads it, and its `rhs_reversal` flags
    /// (`1x0`: one per dimension, all false when absent).
    mutating func parseWindowWithReversal() throws -> (WindowConfig, [Bool]) {
        let start = currentLocation
        try expect("{", "to start the window")
        var fields: [String: [Int]] = [:]
        var padding: [[Int]]?
        while !eat("}") {
            _ = eat(",")
            let fieldLocation = currentLocation
            guard case .identifier(let key) = current.kind else {
                throw expected("a window field (size, stride, pad, lhs_dilate, rhs_dilate) or '}'")
            }
            advance()
            try expect("=", "after window field '\(key)'")
            if fields[key] != nil || (key == "pad" && padding != nil) {
                throw FormatError.invalidValue(
                    what: "window", message: "field '\(key)' is given twice", location: fieldLocation)
            }
            let valueLocation = currentLocation
            guard let text = current.wordText else { throw expected("a value for window field '\(key)'") }
            switch key {
            case "size", "stride", "lhs_dilate", "rhs_dilate", "rhs_reversal":
                let values = try Self.patternFields(
                    text, allowed: 1...1, what: "window \(key) '\(text)'",
                    form: "one integer per dimension, separated by 'x' (2x2)", at: valueLocation)
                fields[key] = values.map { $0[0] }
            case "pad":
                padding = try Self.patternFields(
                    text, allowed: 2...2, what: "window pad '\(text)'",
                    form: "low_high per dimension, separated by 'x' (0_1x1_1)", at: valueLocation)
            default:
                throw FormatError.invalidValue(
                    what: "window",
                    message: "unknown field '\(key)' (expected size, stride, pad, lhs_dilate, rhs_dilate)",
                    location: fieldLocation)
            }
            advance()
        }
        let size = fields["size"] ?? []
        for (key, values) in fields where values.count != size.count {
            throw FormatError.invalidValue(
                what: "window", message: "'\(key)' has \(values.count) entries but 'size' has \(size.count)",
                location: start)
        }
        if let padding, padding.count != size.count {
            throw FormatError.invalidValue(
                what: "window", message: "'pad' has \(padding.count) entries but 'size' has \(size.count)",
                location: start)
        }
        if let reversal = fields["rhs_reversal"], reversal.contains(where: { $0 != 0 && $0 != 1 }) {
            throw FormatError.invalidValue(
                what: "window", message: "'rhs_reversal' takes 0 or 1 per dimension", location: start)
        }
        let window = WindowConfig(
            dimensions: size, strides: fields["stride"], paddingLow: padding?.map { $0[0] },
            paddingHigh: padding?.map { $0[1] }, baseDilations: fields["lhs_dilate"],
            windowDilations: fields["rhs_dilate"])
        return (window, fields["rhs_reversal"]?.map { $0 == 1 } ?? [Bool](repeating: false, count: size.count))
    }

    /// `{op_name="..." source_file="..." source_line=12 stack_frame_id=3 ...}`:
    /// string and integer fields as text; list fields (`profile_type={1}`) skipped.
    mutating func parseMetadataFields() throws -> [String: String] {
        try expect("{", "to start the metadata")
        var fields: [String: String] = [:]
        while !eat("}") {
            _ = eat(",")
            guard case .identifier(let key) = current.kind else {
                throw expected("a metadata field such as op_name= or '}'")
            }
            advance()
            try expect("=", "after metadata field '\(key)'")
            switch current.kind {
            case .string(let text), .word(let text), .identifier(let text):
                fields[key] = text
                advance()
            case .symbol("{"):
                try skipBalanced()
            default:
                throw expected("a value for metadata field '\(key)'")
            }
        }
        return fields
    }

    /// Splits `a_bxc_d` into integer groups: `x` separates dimensions, `_` the
    /// fields of one dimension, whose count must lie in `allowed`.
    static func patternFields(
        _ text: String, allowed: ClosedRange<Int>, what: String, form: String,
        at location: SourceLocation
    ) throws -> [[Int]] {
        let invalid = FormatError.invalidValue(what: what, message: "expected \(form)", location: location)
        var dims: [[Int]] = []
        for group in text.split(separator: "x", omittingEmptySubsequences: false) {
            let fields = group.split(separator: "_", omittingEmptySubsequences: false)
            guard allowed.contains(fields.count) else { throw invalid }
            dims.append(
                try fields.map { field -> Int in
                    let digits = field.hasPrefix("-") ? field.dropFirst() : field
                    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw invalid }
                    guard let value = Int(field) else {
                        throw FormatError.invalidValue(
                            what: what, message: "'\(field)' is too large", location: location)
                    }
                    return value
                })
        }
        return dims
    }
}
