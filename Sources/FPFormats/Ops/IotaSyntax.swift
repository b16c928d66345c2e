import FPGraph

/// `iota`: `"dimension"` and a declared `dtype` and `shape` in the graph
/// format; `iota_dimension=` in HLO.
struct IotaSyntax: OpSpelling {
    let dimension: Int

    static let graphSpellings = [
        OpSyntax(name: "iota", attributes: ["dimension"]) { node in
            _ = try node.declared(node.dtype, "dtype")
            _ = try node.declared(node.shape, "shape")
            return .iota(dimension: try node.int("dimension"))
        }
    ]
    static let hloOpcodes = ["iota"]
    static let hloAttributes: Set<String> = ["iota_dimension"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.dtype = node.type?.dtype
        node.shape = node.type?.dimensions
        node.attributes.append(("dimension", .int(dimension)))
    }

    /// An iota always declares its dtype.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .broken }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .iota(dimension: try context.required("iota_dimension") { try $0.parseInteger("the iota_dimension") })
    }
}
