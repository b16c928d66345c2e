import FPGraph

/// `bitcast-convert`: the operand's bits read as the node's dtype, which the
/// graph format requires it to declare. (HLO's `bitcast` that changes only
/// the element type is lowered to it too, by ``BitcastSyntax``.)
struct BitcastConvertSyntax: OpSpelling {
    static let graphSpellings = [
        OpSyntax(name: "bitcast-convert", attributes: []) { node in
            _ = try node.declared(node.dtype, "dtype")
            return .bitcastConvert
        }
    ]
    static let hloOpcodes = ["bitcast-convert"]
    static let hloAttributes: Set<String> = []

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.dtype = node.type?.dtype
    }

    /// A bitcast-convert always declares its dtype.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .broken }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { .bitcastConvert }
}
