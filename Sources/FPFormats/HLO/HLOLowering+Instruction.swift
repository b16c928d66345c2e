import FPGraph
import FPNumerics

extension HLOLowering {
    /// One instruction as a ``NodeSpec``: its operation, operands by name,
    /// declared type (checked by the builder against the inferred one),
    /// location and metadata.
    func lower(_ instruction: HLOInstructionSyntax, in scope: Scope, calls: inout [CallEdge]) throws -> NodeSpec {
        let opcode = instruction.opcode
        if let error = opcodeError(instruction) { throw error }
        for operand in instruction.operands {
            guard let definition = scope.instructions[operand.name] else {
                throw GraphError.undefinedOperand(
                    computation: scope.computation, node: instruction.name,
                    operand: operand.name, location: operand.location)
            }
            if let written = operand.shape, let actual = definition.shape {
                let (w, a) = (try valueType(written), try valueType(actual))
                if w != a {
                    throw FormatError.invalidValue(
                        what: "operand '\(operand.name)' of '\(instruction.name)'",
                        message: "is written as \(w) but '\(operand.name)' is \(a)",
                        location: written.location)
                }
            }
        }
        let declared = try instruction.shape.map(valueType)
        var attributes = try HLOAttributeTable(instruction)
        var metadata = try nodeMetadata(attributes.take("metadata"))
        var context = HLOInstructionContext(
            lowering: self, instruction: instruction, scope: scope, declared: declared,
            attributes: attributes, calls: calls, metadata: metadata)
        let operation = try context.operation()
        (attributes, calls, metadata) = (context.attributes, context.calls, context.metadata)

        for attribute in attributes.remaining {
            if HLOOpcodes.semanticAttributes.contains(attribute.name) {
                throw FormatError.invalidValue(
                    what: "attribute '\(attribute.name)'",
                    message: "does not apply to opcode '\(opcode)'", location: attribute.location)
            }
            if attribute.name == "result_accuracy" { metadata["result_accuracy"] = text(of: attribute) }
        }
        if operation.opcodeName != opcode { metadata["hlo_opcode"] = opcode }
        return NodeSpec(
            name: instruction.name, operation: operation, operands: instruction.operands.map(\.name),
            declaredType: declared, location: instruction.location, metadata: metadata)
    }
}

/// The state of lowering one instruction, for its family's
/// ``OpSpelling/lower(_:)``: the attributes not yet used, the calls found so
/// far, the metadata being built, and the typed reads of attributes.
struct HLOInstructionContext {
    let lowering: HLOLowering
    let instruction: HLOInstructionSyntax
    let scope: HLOLowering.Scope
    let declared: ValueType?
    var attributes: HLOAttributeTable
    var calls: [HLOLowering.CallEdge]
    var metadata: [String: String]

    var name: String { instruction.name }
    var opcode: String { instruction.opcode }

    func missing(_ attribute: String) -> FormatError {
        .invalidValue(
            what: "instruction '\(name)' (\(opcode))", message: "needs the attribute '\(attribute)='",
            location: instruction.opcodeLocation)
    }

    mutating func required<T>(_ attribute: String, _ body: (inout HLOParser) throws -> T) throws -> T {
        guard let a = attributes.take(attribute) else { throw missing(attribute) }
        return try lowering.read(a, body)
    }

    mutating func optional<T>(_ attribute: String, _ body: (inout HLOParser) throws -> T) throws -> T? {
        guard let a = attributes.take(attribute) else { return nil }
        return try lowering.read(a, body)
    }

    /// A reference to a computation that must exist; recorded for the recursion check.
    mutating func computation(_ attribute: String) throws -> String {
        try resolve(try required(attribute) { try $0.parseComputationReference("'\(attribute)'") })
    }

    mutating func resolve(_ reference: (String, SourceLocation)) throws -> String {
        let (callee, location) = reference
        guard lowering.computationIndex[callee] != nil else {
            throw GraphError.undefinedComputation(node: name, computation: callee, location: location)
        }
        calls.append(HLOLowering.CallEdge(callee: callee, instruction: name, location: location))
        return callee
    }

    /// The type of operand `i` as its defining instruction declares it.
    func operandShape(_ i: Int) -> HLOShapeSyntax? {
        guard i < instruction.operands.count else { return nil }
        let operand = instruction.operands[i]
        return scope.instructions[operand.name]?.shape ?? operand.shape
    }

    func operandType(_ i: Int) -> ValueType? {
        operandShape(i).flatMap { try? lowering.valueType($0) }
    }

    /// The error for an opcode that reaches a family that cannot lower it
    /// (``HLOLowering/opcodeError(_:)`` refuses unsupported opcodes first).
    func noLowering() -> FormatError {
        .unsupported(
            message: "opcode '\(opcode)' has no lowering (an fpaudit bug; please report it)",
            location: instruction.opcodeLocation)
    }

    /// The operation: the instruction lowered by the family its opcode (or
    /// `custom-call` target) belongs to.
    mutating func operation() throws -> Operation {
        let family =
            opcode == "custom-call"
            ? lowering.customCallTarget(instruction).flatMap { HLOOpcodes.customCallLowerings[$0] }
            : HLOOpcodes.lowerings[opcode]
        guard let family else { throw noLowering() }
        return try family.lower(&self)
    }

    /// A `{...}` list of dimension numbers; absent means empty (as XLA prints empty lists sometimes and omits them other times).
    mutating func dimensionList(_ key: String) throws -> [Int] {
        try optional(key) { try $0.parseBracedIntegers("the \(key)") } ?? []
    }

    /// A `true`/`false` attribute; absent means false.
    mutating func flag(_ key: String) throws -> Bool {
        guard let a = attributes.take(key) else { return false }
        let value = try lowering.read(a) { try $0.parseIdentifierValue("true or false") }
        switch value {
        case "true": return true
        case "false": return false
        default:
            throw FormatError.invalidValue(
                what: "'\(key)' of \(opcode) '\(name)'", message: "expected true or false, found \(value)",
                location: a.valueLocation)
        }
    }
}
