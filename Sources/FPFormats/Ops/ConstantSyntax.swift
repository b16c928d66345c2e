import FPGraph
import FPNumerics

/// A literal: `constant` with a `"value"` (and a declared `dtype`) in the
/// graph format; `constant(...)` with the literal between the parentheses in HLO.
struct ConstantSyntax: OpSpelling {
    let literal: Tensor

    static let graphSpellings = [OpSyntax(name: "constant", attributes: ["value"], read: read)]
    static let hloOpcodes = ["constant"]
    static let hloAttributes: Set<String> = []

    private static func read(_ node: inout GraphNodeReader) throws -> Operation {
        let literal = try Tensor.decode(
            node.required("value"), dtype: node.declared(node.dtype, "dtype"), shape: node.shape,
            allowSplat: true, floats: .roundToDType, name: node.name,
            what: node.describe("value"), maxElements: node.limits.maxElements)
        return .constant(literal)
    }

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.dtype = literal.type.dtype
        if literal.type.rank > 0 { node.shape = literal.type.dimensions }
        node.attributes.append(("value", Self.literalValue(literal)))
    }

    /// A constant's `"value"`: one element when all are equal (bitwise, and
    /// with the same literal), else a flat row-major array. A float element
    /// is its exact C99 hex float, or the decimal number it was written as
    /// when the graph keeps that literal (``FPGraph/Tensor/literals``), so
    /// the graph reads back denoting the same real numbers.
    static func literalValue(_ literal: Tensor) -> JSONOutput {
        let elements: [JSONOutput]
        switch literal.elements {
        case .floats(let values):
            let texts = literal.literals ?? [:]
            func element(_ i: Int) -> JSONOutput {
                texts[i].map { .number($0) } ?? .string(HexFloat.format(values[i]))
            }
            let allEqual = values.indices.dropFirst().allSatisfy {
                (values[$0].bitPattern == values[0].bitPattern || (values[$0].isNaN && values[0].isNaN))
                    && texts[$0] == texts[0]
            }
            if allEqual, !values.isEmpty { return element(0) }
            elements = values.indices.map(element)
        case .integers(let values):
            let element: (Int64) -> JSONOutput =
                literal.type.dtype == .pred
                ? { .bool($0 != 0) } : { [dtype = literal.type.dtype] in .number(dtype.integerText($0)) }
            if let first = values.first, values.dropFirst().allSatisfy({ $0 == first }) { return element(first) }
            elements = values.map(element)
        }
        return .array(elements)
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .known(literal.type.dtype)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        .constant(try context.literal())
    }
}

extension HLOInstructionContext {
    fileprivate func literal() throws -> Tensor {
        guard let shape = instruction.shape, let range = instruction.literalTokens,
            let location = instruction.literalLocation
        else {
            throw FormatError.invalidValue(
                what: "constant '\(name)'", message: "needs a shape such as f32[4] before 'constant'",
                location: instruction.opcodeLocation)
        }
        guard case .array(let type)? = declared else {
            throw FormatError.unsupported(message: "tuple-shaped constants are not supported", location: shape.location)
        }
        var parser = HLOParser(tokens: lowering.tokens, file: lowering.file)
        parser.position = range.lowerBound
        return try parser.parseLiteral(
            type: type, end: range.upperBound, node: name,
            maxElements: lowering.limits.maxElements, at: location)
    }
}
