import FPGraph

/// A computation's parameter: declared in the graph format's `"parameters"`
/// lists (not as a node, so it has no node spelling); `parameter(N)` in HLO.
struct ParameterSyntax: OpSpelling {
    let index: Int

    static let graphSpellings: [OpSyntax] = []
    static let hloOpcodes = ["parameter"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    /// Parameters are written by the writer's `"parameters"` lists, not as nodes.
    func write(into node: inout GraphNodeWriter) {}

    /// A parameter always declares its dtype.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .broken }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        // The parser reads the number of every `parameter(N)`.
        guard let index = context.instruction.parameterNumber else { throw context.noLowering() }
        return .parameter(index: index)
    }
}
