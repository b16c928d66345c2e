import FPGraph

extension HLOParser {
    /// True when the next tokens start a shape: `(` (a tuple) or an element
    /// type followed by `[`.
    var atShape: Bool {
        if current.isSymbol("(") { return true }
        if case .identifier = current.kind, peek().isSymbol("[") { return true }
        return false
    }

    /// `f32[4,16]{1,0}`, `pred[]`, `(f32[4], s32[])`.
    ///
    /// - Parameter layoutNeedsLookahead: in a computation signature the
    ///   result shape is followed by the body's `{`; there, as in XLA, a `{`
    ///   starts a layout only when an integer or `:` follows it.
    mutating func parseShape(layoutNeedsLookahead: Bool = false, depth: Int = 0) throws -> HLOShapeSyntax {
        let start = currentLocation
        if eat("(") {
            guard depth < Self.maxTupleDepth else {
                throw FormatError.syntax(
                    message: "tuple shapes are nested deeper than \(Self.maxTupleDepth) levels", location: start)
            }
            var elements: [HLOShapeSyntax] = []
            if !eat(")") {
                repeat {
                    elements.append(try parseShape(depth: depth + 1))
                } while eat(",")
                try expect(")", "after the elements of a tuple shape")
            }
            return .tuple(elements, location: start)
        }
        guard case .identifier(let elementType) = current.kind else { throw expected("a shape such as f32[4]") }
        advance()
        try expect("[", "after the element type '\(elementType)'")
        var dimensions: [Int] = []
        if !eat("]") {
            repeat {
                if current.isSymbol("?") || current.isSymbol("<=") {
                    throw FormatError.unsupported(
                        message:
                            "dynamic dimension '\(current.isSymbol("?") ? "?" : "<=")' in a shape; fpaudit needs static shapes",
                        location: currentLocation)
                }
                let d = try parseInteger("a dimension size")
                if d < 0 {
                    throw FormatError.invalidValue(
                        what: "dimension size", message: "must be >= 0, found \(d)",
                        location: location(tokens[position - 1]))
                }
                dimensions.append(d)
            } while eat(",")
            try expect("]", "after the dimensions")
        }
        var layout: HLOLayoutSyntax?
        if current.isSymbol("{"), !layoutNeedsLookahead || peek().wordText != nil || peek().isSymbol(":") {
            layout = try parseLayout(rank: dimensions.count)
        }
        return .array(
            HLOArrayShapeSyntax(elementType: elementType, dimensions: dimensions, layout: layout, location: start))
    }

    /// `{1,0}`, `{}`, `{1,0:T(8,128)S(1)}`: minor-to-major dimension numbers,
    /// then, after a colon, physical details that do not change values.
    private mutating func parseLayout(rank: Int) throws -> HLOLayoutSyntax {
        let start = currentLocation
        advance()  // '{'
        var order: [Int] = []
        if current.wordText != nil {
            repeat {
                order.append(try parseInteger("a dimension number in the layout"))
            } while eat(",")
        }
        var extras = false
        if eat(":") {
            while !current.isSymbol("}") {
                if atEnd || current.isSymbol(")") || current.isSymbol("]") { throw expected("'}' to end the layout") }
                extras = true
                if current.isSymbol("(") || current.isSymbol("{") || current.isSymbol("[") {
                    try skipBalanced()
                } else {
                    advance()
                }
            }
        }
        try expect("}", "to end the layout")
        if order.count != rank || order.sorted() != Array(0..<rank) {
            throw FormatError.invalidValue(
                what: "layout {\(order.map(String.init).joined(separator: ","))}",
                message: "must list each of the \(rank) dimension(s) 0..<\(rank) once, minor to major", location: start)
        }
        return HLOLayoutSyntax(minorToMajor: order, hasPhysicalExtras: extras, location: start)
    }
}
