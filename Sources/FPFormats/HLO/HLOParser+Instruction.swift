import FPGraph

extension HLOParser {
    /// `[ROOT] name = [shape] opcode(operands) (, attribute)*`
    ///
    /// `parameter(N)` holds a number and `constant(...)` a literal instead of
    /// operands. An instruction ends where the next one (or the closing `}`)
    /// starts; anything else on the same line is an error.
    mutating func parseInstruction() throws -> HLOInstructionSyntax {
        let isRoot = current.isIdentifier("ROOT") && peek().nameText != nil && peek(2).isSymbol("=")
        if isRoot { advance() }
        let (name, nameLocation) = try parseName("an instruction or '}'")
        try expect("=", "after instruction name '\(name)'")
        let shape = atShape ? try parseShape() : nil
        guard case .identifier(let opcode) = current.kind else { throw expected("an opcode for instruction '\(name)'") }
        let opcodeLocation = currentLocation
        advance()

        var instruction = HLOInstructionSyntax(
            name: name, location: nameLocation, isRoot: isRoot, shape: shape, opcode: opcode,
            opcodeLocation: opcodeLocation, operands: [], parameterNumber: nil, literalTokens: nil,
            literalLocation: nil, attributes: [])
        switch opcode {
        case "parameter":
            try expect("(", "before the parameter number")
            let numberLocation = currentLocation
            let number = try parseInteger("the parameter number")
            if number < 0 {
                throw FormatError.invalidValue(
                    what: "parameter number", message: "must be >= 0, found \(number)", location: numberLocation)
            }
            try expect(")", "after the parameter number")
            instruction.parameterNumber = number
        case "constant":
            guard current.isSymbol("(") else { throw expected("'(' before the constant's value") }
            let open = position
            try skipBalanced()
            instruction.literalTokens = (open + 1)..<(position - 1)
            instruction.literalLocation = location(tokens[open + 1])
        default:
            instruction.operands = try parseOperands(of: name)
        }
        while eat(",") {
            instruction.attributes.append(try parseAttribute(in: "instruction '\(name)'"))
        }
        let last = tokens[position - 1]
        if !current.isSymbol("}"), !atEnd, current.line == last.line {
            throw expected("',' before another attribute, or the end of instruction '\(name)'")
        }
        return instruction
    }

    /// `( [ [shape] name (, [shape] name)* ] )`
    private mutating func parseOperands(of instruction: String) throws -> [HLOOperandSyntax] {
        try expect("(", "before the operands of '\(instruction)'")
        var operands: [HLOOperandSyntax] = []
        if eat(")") { return operands }
        repeat {
            let shape = atShape ? try parseShape() : nil
            guard let name = current.nameText else { throw expected("an operand name") }
            operands.append(HLOOperandSyntax(name: name, shape: shape, location: currentLocation))
            advance()
        } while eat(",")
        try expect(")", "after the operands of '\(instruction)'")
        return operands
    }
}
