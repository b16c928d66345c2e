import FPGraph

/// `batch-norm-inference`, `batch-norm-training` and `batch-norm-grad`
/// (``FPGraph/BatchNormKind``): `"epsilon"` and `"feature_index"` in the graph
/// format; `epsilon=` and `feature_index=` in HLO.
struct BatchNormSyntax: OpSpelling {
    let config: BatchNormConfig

    static let graphSpellings = BatchNormKind.allCases.map { kind in
        OpSyntax(name: kind.rawValue, attributes: ["epsilon", "feature_index"]) { node in
            .batchNorm(
                BatchNormConfig(
                    kind: kind, epsilon: try node.required("epsilon").float32(node.describe("epsilon")),
                    featureIndex: try node.int("feature_index")))
        }
    }
    static let hloOpcodes = BatchNormKind.allCases.map(\.rawValue)
    static let hloAttributes: Set<String> = ["epsilon", "feature_index"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes += [("epsilon", .number("\(config.epsilon)")), ("feature_index", .int(config.featureIndex))]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let epsilon = try context.required("epsilon") { try $0.parseFloat32("the epsilon") }
        let feature = try context.required("feature_index") { try $0.parseInteger("the feature_index") }
        guard let kind = BatchNormKind(rawValue: context.opcode) else { throw context.noLowering() }
        return .batchNorm(BatchNormConfig(kind: kind, epsilon: epsilon, featureIndex: feature))
    }
}
