import FPGraph

/// `gather(operand, start_indices)`: the dimension numbers under XLA's names
/// (the batching dimensions and `"indices_are_sorted"` optional) in both formats.
struct GatherSyntax: OpSpelling {
    let dimensions: GatherDimensions

    static let graphSpellings = [
        OpSyntax(
            name: "gather",
            attributes: [
                "offset_dims", "collapsed_slice_dims", "start_index_map", "index_vector_dim", "slice_sizes",
                "operand_batching_dims", "start_indices_batching_dims", "indices_are_sorted",
            ]
        ) { node in
            .gather(
                GatherDimensions(
                    offsetDims: try node.ints("offset_dims"), collapsedSliceDims: try node.ints("collapsed_slice_dims"),
                    startIndexMap: try node.ints("start_index_map"), indexVectorDim: try node.int("index_vector_dim"),
                    sliceSizes: try node.ints("slice_sizes"),
                    operandBatchingDims: try node.optionalInts("operand_batching_dims") ?? [],
                    startIndicesBatchingDims: try node.optionalInts("start_indices_batching_dims") ?? [],
                    indicesAreSorted: try node.optionalBool("indices_are_sorted") ?? false))
        }
    ]
    static let hloOpcodes = ["gather"]
    static let hloAttributes: Set<String> = [
        "offset_dims", "collapsed_slice_dims", "start_index_map", "index_vector_dim", "slice_sizes",
        "operand_batching_dims", "start_indices_batching_dims", "indices_are_sorted",
    ]

    var writtenCallees: WrittenCallees { .notPlanned }

    /// The batching dimensions when there are any; `indices_are_sorted` when true.
    func write(into node: inout GraphNodeWriter) {
        let g = dimensions
        node.attributes += [
            ("offset_dims", .ints(g.offsetDims)), ("collapsed_slice_dims", .ints(g.collapsedSliceDims)),
            ("start_index_map", .ints(g.startIndexMap)), ("index_vector_dim", .int(g.indexVectorDim)),
            ("slice_sizes", .ints(g.sliceSizes)),
        ]
        if !g.operandBatchingDims.isEmpty || !g.startIndicesBatchingDims.isEmpty {
            node.attributes += [
                ("operand_batching_dims", .ints(g.operandBatchingDims)),
                ("start_indices_batching_dims", .ints(g.startIndicesBatchingDims)),
            ]
        }
        if g.indicesAreSorted { node.attributes.append(("indices_are_sorted", .bool(true))) }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .gather(
            GatherDimensions(
                offsetDims: try context.dimensionList("offset_dims"),
                collapsedSliceDims: try context.dimensionList("collapsed_slice_dims"),
                startIndexMap: try context.dimensionList("start_index_map"),
                indexVectorDim: try context.required("index_vector_dim") {
                    try $0.parseInteger("the index_vector_dim")
                },
                sliceSizes: try context.required("slice_sizes") { try $0.parseBracedIntegers("the slice_sizes") },
                operandBatchingDims: try context.dimensionList("operand_batching_dims"),
                startIndicesBatchingDims: try context.dimensionList("start_indices_batching_dims"),
                indicesAreSorted: try context.flag("indices_are_sorted")))
    }
}
