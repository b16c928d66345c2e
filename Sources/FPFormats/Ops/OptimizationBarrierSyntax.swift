import FPGraph

/// `opt-barrier`: its operand, unchanged; no attributes.
struct OptimizationBarrierSyntax: OpSpelling {
    static let graphSpellings = [OpSyntax(name: "opt-barrier", attributes: []) { _ in .optimizationBarrier }]
    static let hloOpcodes = ["opt-barrier"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {}

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .optimizationBarrier }
}
