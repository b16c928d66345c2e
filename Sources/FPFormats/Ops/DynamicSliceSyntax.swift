import FPGraph

/// `dynamic-slice(operand, starts...)`: `"sizes"` in the graph format;
/// `dynamic_slice_sizes={...}` in HLO.
struct DynamicSliceSyntax: OpSpelling {
    let sizes: [Int]

    static let graphSpellings = [
        OpSyntax(name: "dynamic-slice", attributes: ["sizes"]) { node in
            .dynamicSlice(sizes: try node.ints("sizes"))
        }
    ]
    static let hloOpcodes = ["dynamic-slice"]
    static let hloAttributes: Set<String> = ["dynamic_slice_sizes"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("sizes", .ints(sizes)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .dynamicSlice(
            sizes: try context.required("dynamic_slice_sizes") { try $0.parseBracedIntegers("the dynamic_slice_sizes") }
        )
    }
}
