import FPGraph

/// `reduce-precision`: `"exponent_bits"` and `"mantissa_bits"` in the graph
/// format; `exponent_bits=` and `mantissa_bits=` in HLO.
struct ReducePrecisionSyntax: OpSpelling {
    let exponentBits: Int
    let mantissaBits: Int

    static let graphSpellings = [
        OpSyntax(name: "reduce-precision", attributes: ["exponent_bits", "mantissa_bits"]) { node in
            .reducePrecision(exponentBits: try node.int("exponent_bits"), mantissaBits: try node.int("mantissa_bits"))
        }
    ]
    static let hloOpcodes = ["reduce-precision"]
    static let hloAttributes: Set<String> = ["exponent_bits", "mantissa_bits"]

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes += [("exponent_bits", .int(exponentBits)), ("mantissa_bits", .int(mantissaBits))]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let e = try context.required("exponent_bits") { try $0.parseInteger("the exponent_bits") }
        let m = try context.required("mantissa_bits") { try $0.parseInteger("the mantissa_bits") }
        return .reducePrecision(exponentBits: e, mantissaBits: m)
    }
}
