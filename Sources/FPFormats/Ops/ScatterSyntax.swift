import FPGraph

/// `scatter(operands..., scatter_indices, updates...)`: the dimension numbers
/// under XLA's names (the batching dimensions and the two flags optional) and
/// `"combiner"` in the graph format; the same and `to_apply=` in HLO.
struct ScatterSyntax: OpSpelling {
    let dimensions: ScatterDimensions
    let combiner: String

    static let graphSpellings = [
        OpSyntax(
            name: "scatter",
            attributes: [
                "update_window_dims", "inserted_window_dims", "scatter_dims_to_operand_dims", "index_vector_dim",
                "input_batching_dims", "scatter_indices_batching_dims", "indices_are_sorted", "unique_indices",
                "combiner",
            ]
        ) { node in
            .scatter(
                ScatterDimensions(
                    updateWindowDims: try node.ints("update_window_dims"),
                    insertedWindowDims: try node.ints("inserted_window_dims"),
                    scatterDimsToOperandDims: try node.ints("scatter_dims_to_operand_dims"),
                    indexVectorDim: try node.int("index_vector_dim"),
                    inputBatchingDims: try node.optionalInts("input_batching_dims") ?? [],
                    scatterIndicesBatchingDims: try node.optionalInts("scatter_indices_batching_dims") ?? [],
                    indicesAreSorted: try node.optionalBool("indices_are_sorted") ?? false,
                    uniqueIndices: try node.optionalBool("unique_indices") ?? false),
                combiner: try node.required("combiner").name(node.describe("combiner")))
        }
    ]
    static let hloOpcodes = ["scatter"]
    static let hloAttributes: Set<String> = [
        "update_window_dims", "inserted_window_dims", "scatter_dims_to_operand_dims", "index_vector_dim",
        "input_batching_dims", "scatter_indices_batching_dims", "indices_are_sorted", "unique_indices", "to_apply",
    ]

    var writtenCallees: WrittenCallees { .called([combiner]) }

    /// The batching dimensions when there are any; the flags when true.
    func write(into node: inout GraphNodeWriter) {
        let d = dimensions
        let written = node.written(combiner)
        node.operation = .scatter(d, combiner: written)
        node.attributes += [
            ("update_window_dims", .ints(d.updateWindowDims)),
            ("inserted_window_dims", .ints(d.insertedWindowDims)),
            ("scatter_dims_to_operand_dims", .ints(d.scatterDimsToOperandDims)),
            ("index_vector_dim", .int(d.indexVectorDim)),
        ]
        if !d.inputBatchingDims.isEmpty || !d.scatterIndicesBatchingDims.isEmpty {
            node.attributes += [
                ("input_batching_dims", .ints(d.inputBatchingDims)),
                ("scatter_indices_batching_dims", .ints(d.scatterIndicesBatchingDims)),
            ]
        }
        if d.indicesAreSorted { node.attributes.append(("indices_are_sorted", .bool(true))) }
        if d.uniqueIndices { node.attributes.append(("unique_indices", .bool(true))) }
        node.attributes.append(("combiner", .string(written)))
    }

    /// The operand's dtype when there is one operand; unknown for several.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        node.operands.count == 3 ? .follow(node.operands.first) : .unknown
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .scatter(
            ScatterDimensions(
                updateWindowDims: try context.dimensionList("update_window_dims"),
                insertedWindowDims: try context.dimensionList("inserted_window_dims"),
                scatterDimsToOperandDims: try context.dimensionList("scatter_dims_to_operand_dims"),
                indexVectorDim: try context.required("index_vector_dim") {
                    try $0.parseInteger("the index_vector_dim")
                },
                inputBatchingDims: try context.dimensionList("input_batching_dims"),
                scatterIndicesBatchingDims: try context.dimensionList("scatter_indices_batching_dims"),
                indicesAreSorted: try context.flag("indices_are_sorted"),
                uniqueIndices: try context.flag("unique_indices")),
            combiner: try context.computation("to_apply"))
    }
}
