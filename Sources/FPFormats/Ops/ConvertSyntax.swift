import FPGraph

/// `convert`: conversion to the node's dtype, which the graph format
/// requires it to declare.
struct ConvertSyntax: OpSpelling {
    static let graphSpellings = [
        OpSyntax(name: "convert", attributes: []) { node in
            _ = try node.declared(node.dtype, "dtype")
            return .convert
        }
    ]
    static let hloOpcodes = ["convert"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.dtype = node.type?.dtype
    }

    /// A convert always declares its dtype.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .broken }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .convert }
}
