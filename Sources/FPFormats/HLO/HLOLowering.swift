import FPGraph
import Foundation

/// Gives a parsed module its meaning: resolves dtypes, maps opcodes and
/// their attributes onto ``FPGraph/Operation``s, resolves source positions,
/// and checks what only the module as a whole can show (references to
/// computations, recursion, operand names), each error located at the text
/// that causes it. Everything else (arity, shapes, types) is left to
/// ``GraphBuilder``, which reports it at the instruction.
struct HLOLowering {
    let module: HLOModuleSyntax
    let tokens: [HLOToken]
    let file: String
    let limits: GraphLimits
    /// Computation name → position in the module.
    let computationIndex: [String: Int]

    /// One `to_apply=`, `calls=`, ... reference, for the recursion check.
    struct CallEdge {
        var callee: String
        var instruction: String
        var location: SourceLocation
    }

    /// The instructions of the computation being lowered, by name.
    struct Scope {
        var computation: String
        var instructions: [String: HLOInstructionSyntax]
    }

    init(module: HLOModuleSyntax, tokens: [HLOToken], file: String, limits: GraphLimits) throws {
        self.module = module
        self.tokens = tokens
        self.file = file
        self.limits = limits
        var index: [String: Int] = [:]
        for (i, c) in module.computations.enumerated() {
            if index.updateValue(i, forKey: c.name) != nil {
                throw GraphError.duplicateName(computation: "(module)", node: c.name, location: c.location)
            }
        }
        computationIndex = index
    }

    /// The module as an unvalidated graph: every computation, the entry
    /// (the `ENTRY` one, else the last), and the entry parameters' aliases.
    func graphSpec() throws -> GraphSpec {
        // An unsupported opcode is the root cause of anything odd about its
        // computations (a sort's TOTALORDER comparator), so it is reported
        // first, and every one of them at once: a user meets them all together.
        let unreadable = module.computations.flatMap { $0.instructions.compactMap(opcodeError) }
        if !unreadable.isEmpty { throw FormatError.unreadableInstructions(unreadable) }
        try checkNodeCount()
        var computations: [ComputationSpec] = []
        var calls: [String: [CallEdge]] = [:]
        for c in module.computations {
            var edges: [CallEdge] = []
            computations.append(try lower(c, calls: &edges))
            calls[c.name] = edges
        }
        try checkRecursion(calls)
        let entry = module.computations[module.entryIndex ?? module.computations.count - 1]
        return GraphSpec(
            computations: computations, entry: entry.name, outputs: nil, source: file,
            parameterAliases: parameterAliases(entry))
    }

    private func lower(_ c: HLOComputationSyntax, calls: inout [CallEdge]) throws -> ComputationSpec {
        var scope = Scope(computation: c.name, instructions: [:])
        for instruction in c.instructions
        where scope.instructions.updateValue(instruction, forKey: instruction.name) != nil {
            throw GraphError.duplicateName(computation: c.name, node: instruction.name, location: instruction.location)
        }
        let nodes = try c.instructions.map { try lower($0, in: scope, calls: &calls) }
        let root = c.instructions.first(where: \.isRoot) ?? c.instructions[c.instructions.count - 1]
        if let declared = c.resultShape, let rootShape = root.shape {
            let expected = try valueType(declared)
            let actual = try valueType(rootShape)
            if expected != actual {
                throw FormatError.invalidValue(
                    what: "computation '\(c.name)'",
                    message: "its signature returns \(expected) but its root '\(root.name)' is \(actual)",
                    location: declared.location)
            }
        }
        return ComputationSpec(name: c.name, nodes: nodes, root: root.name, location: c.location)
    }

    /// Refuses computations that call themselves, directly or not, at the
    /// reference that closes the cycle.
    private func checkRecursion(_ calls: [String: [CallEdge]]) throws {
        var done = Set<String>()
        var active: [String] = []
        func visit(_ name: String) throws {
            active.append(name)
            for edge in calls[name] ?? [] where !done.contains(edge.callee) {
                if let start = active.firstIndex(of: edge.callee) {
                    let path = (active[start...] + [edge.callee]).joined(separator: " -> ")
                    throw FormatError.invalidValue(
                        what: "instruction '\(edge.instruction)'",
                        message: "computations call each other recursively: \(path)",
                        location: edge.location)
                }
                try visit(edge.callee)
            }
            active.removeLast()
            done.insert(name)
        }
        for c in module.computations where !done.contains(c.name) { try visit(c.name) }
    }

    /// Entry parameter name → the last `/` component of its metadata
    /// `op_name` (JAX writes the argument's name there: `x`, `params['w']`).
    private func parameterAliases(_ entry: HLOComputationSyntax) -> [String: [String]] {
        var aliases: [String: [String]] = [:]
        for instruction in entry.instructions where instruction.opcode == "parameter" {
            guard let attribute = instruction.attributes.first(where: { $0.name == "metadata" }),
                let fields = try? read(attribute, { try $0.parseMetadataFields() }),
                let opName = fields["op_name"]
            else { continue }
            let alias = String(opName.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
            if !alias.isEmpty, alias != instruction.name { aliases[instruction.name] = [alias] }
        }
        return aliases
    }

    /// The builder's node limit, checked here so the error points at the first
    /// instruction over it.
    private func checkNodeCount() throws {
        let total = module.computations.reduce(0) { $0 + $1.instructions.count }
        guard total > limits.maxNodes else { return }
        var seen = 0
        for c in module.computations {
            if seen + c.instructions.count > limits.maxNodes {
                throw GraphError.tooLarge(
                    node: "(graph)", elements: total, limit: limits.maxNodes,
                    location: c.instructions[limits.maxNodes - seen].location)
            }
            seen += c.instructions.count
        }
    }

    /// Why an instruction's opcode cannot be read: fpaudit does not model it
    /// (and why), or XLA does not define it; nil when it is supported.
    func opcodeError(_ instruction: HLOInstructionSyntax) -> FormatError? {
        let opcode = instruction.opcode
        guard !HLOOpcodes.isSupported(opcode) else { return nil }
        if opcode == "custom-call", let target = customCallTarget(instruction),
            HLOOpcodes.customCallTargets.contains(target)
        {
            return nil
        }
        if let refusal = HLOOpcodes.refusal(opcode) {
            return FormatError.unsupportedOpcode(
                opcode: opcode, instruction: instruction.name, reason: refusal.rawValue,
                location: instruction.opcodeLocation)
        }
        return FormatError.unknownOpcode(
            opcode: opcode, instruction: instruction.name,
            suggestions: opcode.closestMatches(in: HLOOpcodes.xla),
            location: instruction.opcodeLocation)
    }

    /// The `custom_call_target` of a custom-call, without its quotes.
    func customCallTarget(_ instruction: HLOInstructionSyntax) -> String? {
        guard let a = instruction.attributes.first(where: { $0.name == "custom_call_target" }) else { return nil }
        return text(of: a).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    // MARK: Reading values

    /// Runs `body` on a parser placed at the attribute's value and checks that
    /// it consumed the whole value.
    func read<T>(_ attribute: HLOAttributeSyntax, _ body: (inout HLOParser) throws -> T) throws -> T {
        var parser = HLOParser(tokens: tokens, file: file)
        parser.position = attribute.valueTokens.lowerBound
        let value = try body(&parser)
        if parser.position != attribute.valueTokens.upperBound {
            throw parser.expected("the end of attribute '\(attribute.name)'")
        }
        return value
    }

    /// The text of an attribute's value, for metadata.
    func text(of attribute: HLOAttributeSyntax) -> String {
        tokens[attribute.valueTokens].map { token -> String in
            switch token.kind {
            case .identifier(let s), .word(let s), .symbol(let s): return s
            case .percentName(let s): return "%" + s
            case .string(let s): return "\"\(s)\""
            case .endOfFile: return ""
            }
        }.joined(separator: " ")
    }

    /// A shape's type, resolving element types.
    func valueType(_ shape: HLOShapeSyntax) throws -> ValueType {
        switch shape {
        case .array(let a):
            return .array(try dtype(a.elementType, at: a.location), a.dimensions)
        case .tuple(let elements, _):
            return .tuple(try elements.map(valueType))
        }
    }

    /// XLA's spelling of one of our dtypes, or a located error.
    func dtype(_ name: String, at location: SourceLocation) throws -> DType {
        if let dtype = DType(rawValue: name) { return dtype }
        let supported = DType.allCases.map(\.rawValue)
        if name == "token" {
            throw FormatError.unsupported(
                message: "token values (which order side effects such as infeed and outfeed) are not supported",
                location: location)
        }
        if HLOOpcodes.unsupportedXLATypes.contains(name) {
            throw FormatError.unsupported(
                message:
                    "dtype '\(name)' is not supported (refused: \(HLOOpcodes.unsupportedXLATypes.sorted().joined(separator: " "))); fpaudit supports \(supported.joined(separator: " "))",
                location: location)
        }
        throw FormatError.unknownDType(
            name: name, suggestion: name.closestMatches(in: supported, limit: 1).first, location: location)
    }
}
