import FPGraph

/// `concatenate`: `"dimension"` in the graph format; `dimensions={d}` (exactly
/// one) in HLO.
struct ConcatenateSyntax: OpSpelling {
    let dimension: Int

    static let graphSpellings = [
        OpSyntax(name: "concatenate", attributes: ["dimension"]) { node in
            .concatenate(dimension: try node.int("dimension"))
        }
    ]
    static let hloOpcodes = ["concatenate"]
    static let hloAttributes: Set<String> = ["dimensions"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("dimension", .int(dimension)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        guard let a = context.attributes.take("dimensions") else { throw context.missing("dimensions") }
        let dims = try context.lowering.read(a) { try $0.parseBracedIntegers("the dimensions") }
        guard dims.count == 1 else {
            throw FormatError.invalidValue(
                what: "'dimensions' of concatenate '\(context.name)'",
                message: "must name exactly one dimension, found \(dims.count)", location: a.valueLocation)
        }
        return .concatenate(dimension: dims[0])
    }
}
