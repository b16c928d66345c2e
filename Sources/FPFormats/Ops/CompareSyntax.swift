import FPGraph

/// `compare(a, b)`: `"direction"` (EQ NE LT LE GT GE) and the optional
/// `"type"` (`ieee` or `totalorder`) in the graph format; `direction=` and
/// `type=` (FLOAT, TOTALORDER, SIGNED, UNSIGNED) in HLO.
struct CompareSyntax: OpSpelling {
    let direction: ComparisonDirection
    let totalOrder: Bool

    static let graphSpellings = [OpSyntax(name: "compare", attributes: ["direction", "type"], read: read)]
    static let hloOpcodes = ["compare"]
    static let hloAttributes: Set<String> = ["direction", "type"]

    private static func read(_ node: inout GraphNodeReader) throws -> Operation {
        let v = try node.required("direction")
        let text = try v.string(node.describe("direction"))
        guard let direction = ComparisonDirection(rawValue: text) else {
            let all = ComparisonDirection.allCases.map(\.rawValue)
            let hint = all.contains(text.uppercased()) ? " (write '\(text.uppercased())')" : ""
            throw FormatError.invalidValue(
                what: node.describe("direction"),
                message: "expected one of \(all.joined(separator: " ")), found '\(text)'\(hint)",
                location: v.location)
        }
        var totalOrder = false
        if let t = node.optional("type") {
            let text = try t.string(node.describe("type"))
            guard text == "totalorder" || text == "ieee" else {
                throw FormatError.invalidValue(
                    what: node.describe("type"), message: "expected 'ieee' or 'totalorder', found '\(text)'",
                    location: t.location)
            }
            totalOrder = text == "totalorder"
        }
        return .compare(direction, totalOrder: totalOrder)
    }

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes.append(("direction", .string(direction.rawValue)))
        if totalOrder { node.attributes.append(("type", .string("totalorder"))) }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .known(.pred) }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { try context.compare() }
}

extension HLOInstructionContext {
    fileprivate mutating func compare() throws -> Operation {
        guard let a = attributes.take("direction") else { throw missing("direction") }
        let text = try lowering.read(a) { try $0.parseIdentifierValue("a comparison direction") }
        guard let direction = ComparisonDirection(rawValue: text) else {
            throw FormatError.invalidValue(
                what: "direction '\(text)'", message: "expected EQ, NE, LT, LE, GT or GE",
                location: a.valueLocation)
        }
        var totalOrder = false
        if let t = attributes.take("type") {
            let type = try lowering.read(t) { try $0.parseIdentifierValue("a comparison type") }
            switch type {
            case "TOTALORDER":
                // On integers the total order is the natural one.
                totalOrder = operandType(0)?.arrayType?.dtype.isFloatingPoint ?? true
            case "FLOAT", "SIGNED", "UNSIGNED":
                if let dtype = operandType(0)?.arrayType?.dtype {
                    let natural =
                        dtype.isFloatingPoint ? "FLOAT" : (dtype.isUnsigned ? "UNSIGNED" : "SIGNED")
                    if natural != type {
                        throw FormatError.unsupported(
                            message:
                                "compare type=\(type) on \(dtype.rawValue) operands is not supported (fpaudit compares \(dtype.rawValue) as \(natural))",
                            location: t.valueLocation)
                    }
                }
            default:
                throw FormatError.invalidValue(
                    what: "comparison type '\(type)'", message: "expected FLOAT, TOTALORDER, SIGNED or UNSIGNED",
                    location: t.valueLocation)
            }
        }
        return .compare(direction, totalOrder: totalOrder)
    }
}
