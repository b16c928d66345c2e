import FPGraph

extension HLOParser {
    /// `HloModule name (, attribute)* [stack frame sections] computation+`.
    ///
    /// Module attributes (`entry_computation_layout`, `is_scheduled`,
    /// `input_output_alias`, ...) describe buffers and scheduling, not values,
    /// and are skipped. Without an `ENTRY` marker the last computation is the
    /// entry, as in XLA.
    mutating func parseModule() throws -> HLOModuleSyntax {
        guard current.isIdentifier("HloModule") else {
            throw expected("'HloModule' at the start of the module")
        }
        advance()
        let (name, _) = try parseName("the module name after 'HloModule'")
        while eat(",") { _ = try parseAttribute(in: "the module header") }

        var stackFrames = HLOStackFrameIndex()
        if current.isIdentifier("FileNames") { stackFrames = try parseStackFrameIndex() }

        guard !atEnd else {
            throw FormatError.syntax(
                message: "the module has no computations; expected an ENTRY computation, found the end of the file",
                location: currentLocation)
        }
        var computations: [HLOComputationSyntax] = []
        var entryIndex: Int?
        while !atEnd {
            let entryToken = current
            let isEntry = current.isIdentifier("ENTRY")
            if isEntry {
                if let first = entryIndex {
                    throw FormatError.syntax(
                        message:
                            "a module has one ENTRY computation; '\(computations[first].name)' is already marked ENTRY",
                        location: location(entryToken))
                }
                advance()
                entryIndex = computations.count
            }
            computations.append(try parseComputation())
        }
        return HLOModuleSyntax(name: name, computations: computations, stackFrames: stackFrames, entryIndex: entryIndex)
    }

    /// `name (p: shape, ...) -> shape { instruction+ } (, execution_thread="...")?`
    mutating func parseComputation() throws -> HLOComputationSyntax {
        let (name, nameLocation) = try parseName("a computation name (or 'ENTRY')")
        var resultShape: HLOShapeSyntax?
        if current.isSymbol("(") {
            try parseParameterList(of: name)
            try expect("->", "after the parameter list of computation '\(name)'")
            resultShape = try parseShape(layoutNeedsLookahead: true)
        }
        let open = try expect("{", "to start the body of computation '\(name)'")
        var instructions: [HLOInstructionSyntax] = []
        var root: HLOInstructionSyntax?
        while !current.isSymbol("}") {
            if atEnd {
                if let (opener, closer) = lastMultilineGroup, opener.line > open.line {
                    throw FormatError.syntax(
                        message:
                            "this '\(Self.symbolText(opener))' is not closed on its line; it takes the '\(Self.symbolText(closer))' at \(closer.line):\(closer.column), which leaves computation '\(name)' without its closing '}'",
                        location: location(opener))
                }
                throw FormatError.syntax(
                    message:
                        "unexpected end of file: the body of computation '\(name)' (opened at \(open.line):\(open.column)) has no closing '}'",
                    location: currentLocation)
            }
            let rootToken = current
            let instruction = try parseInstruction()
            if instruction.isRoot {
                if let first = root {
                    throw FormatError.syntax(
                        message:
                            "computation '\(name)' has two ROOT instructions: '\(first.name)' and '\(instruction.name)'",
                        location: location(rootToken))
                }
                root = instruction
            }
            instructions.append(instruction)
        }
        if instructions.isEmpty {
            throw FormatError.syntax(message: "computation '\(name)' has no instructions", location: currentLocation)
        }
        advance()  // '}'
        while eat(",") { _ = try parseAttribute(in: "computation '\(name)'") }
        return HLOComputationSyntax(
            name: name, location: nameLocation, resultShape: resultShape, instructions: instructions)
    }

    /// `( [name: shape (, name: shape)*] )`. XLA ignores these; the
    /// `parameter(N)` instructions define the parameters.
    private mutating func parseParameterList(of computation: String) throws {
        try expect("(", "to start the parameter list")
        if eat(")") { return }
        repeat {
            let (parameter, _) = try parseName("a parameter name in the signature of computation '\(computation)'")
            try expect(":", "after parameter '\(parameter)' in the signature of computation '\(computation)'")
            _ = try parseShape()
        } while eat(",")
        try expect(")", "after the parameters of computation '\(computation)'")
    }

    /// `name=value` with the value kept as a token range.
    mutating func parseAttribute(in context: String) throws -> HLOAttributeSyntax {
        guard case .identifier(let name) = current.kind else {
            throw expected("an attribute name in \(context)")
        }
        let nameLocation = currentLocation
        advance()
        try expect("=", "after attribute name '\(name)'")
        let valueLocation = currentLocation
        let range = try skipValue("attribute '\(name)'")
        return HLOAttributeSyntax(name: name, location: nameLocation, valueTokens: range, valueLocation: valueLocation)
    }
}
