import FPGraph

/// `bitcast`: the operand's physical memory read with the result's layout;
/// `"operand_layout"` and `"result_layout"` (minor-to-major) and a declared
/// `shape` in the graph format; in HLO the layouts come from the shapes
/// (`f32[4,16]{1,0}`), and a bitcast that changes only the element type is
/// a `bitcast-convert`.
struct BitcastSyntax: OpSpelling {
    let operandLayout: [Int]
    let resultLayout: [Int]

    static let graphSpellings = [
        OpSyntax(name: "bitcast", attributes: ["operand_layout", "result_layout"]) { node in
            _ = try node.declared(node.shape, "shape")
            return .bitcast(
                operandLayout: try node.ints("operand_layout"), resultLayout: try node.ints("result_layout"))
        }
    ]
    static let hloOpcodes = ["bitcast"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.shape = node.type?.dimensions
        node.attributes += [("operand_layout", .ints(operandLayout)), ("result_layout", .ints(resultLayout))]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { try context.bitcast() }
}

extension HLOInstructionContext {
    /// The bitcast keeps the operand's physical memory: both layouts matter.
    fileprivate func bitcast() throws -> Operation {
        let result = try layout(instruction.shape, what: "the result of bitcast '\(name)'")
        guard let operandShape = operandShape(0) else {
            if instruction.operands.isEmpty { return .bitcast(operandLayout: [], resultLayout: result ?? []) }
            throw FormatError.invalidValue(
                what: "bitcast '\(name)'",
                message: "needs the shape of its operand '\(instruction.operands[0].name)'",
                location: instruction.operands[0].location)
        }
        let operand = try layout(operandShape, what: "the operand of bitcast '\(name)'")
        // A bitcast that changes the element type (same shape and layout) reads the bits as
        // the new type: XLA lowers comparators' totalOrder tricks so (`s32[] bitcast(f32[])`).
        if case .array(let from) = operandShape, case .array(let to)? = instruction.shape,
            from.elementType != to.elementType
        {
            guard from.dimensions == to.dimensions, operand == result else {
                throw FormatError.unsupported(
                    message: "a bitcast that changes both the element type and the shape or layout is not supported",
                    location: instruction.opcodeLocation)
            }
            return .bitcastConvert
        }
        return .bitcast(operandLayout: operand ?? [], resultLayout: result ?? [])
    }

    /// A shape's minor-to-major order, `{rank-1,...,0}` when the text has none.
    fileprivate func layout(_ shape: HLOShapeSyntax?, what: String) throws -> [Int]? {
        guard case .array(let a)? = shape else { return nil }
        guard let layout = a.layout else { return Array((0..<a.dimensions.count).reversed()) }
        if layout.hasPhysicalExtras {
            throw FormatError.unsupported(
                message:
                    "a bitcast of a tiled or packed layout (\(what)) is not supported; only the minor-to-major order is modelled",
                location: layout.location)
        }
        return layout.minorToMajor
    }
}
