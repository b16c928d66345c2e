import FPGraph
import FPNumerics

/// `rng-bit-generator(state)`: `"algorithm"` (`three_fry`, `philox` or
/// `default`), `"bits_dtype"` and `"bits_shape"` in the graph format (its
/// result is a tuple, so no declared `dtype` or `shape`); `algorithm=` and
/// the declared `(state, bits)` tuple in HLO.
struct RngBitGeneratorSyntax: OpSpelling {
    let algorithm: RandomBitAlgorithm
    let output: ArrayType

    static let graphSpellings = [
        OpSyntax(
            name: "rng-bit-generator", attributes: ["algorithm", "bits_dtype", "bits_shape"],
            allowsDeclaredType: false, read: read)
    ]
    static let hloOpcodes = ["rng-bit-generator"]
    static let hloAttributes: Set<String> = ["algorithm"]

    private static func read(_ node: inout GraphNodeReader) throws -> Operation {
        let value = try node.required("algorithm")
        let text = try value.string(node.describe("algorithm"))
        guard let algorithm = RandomBitAlgorithm(graphName: text) else {
            throw FormatError.invalidValue(
                what: node.describe("algorithm"), message: "expected three_fry, philox or default, got '\(text)'",
                location: value.location)
        }
        let bitsDType = try node.required("bits_dtype").dtype(node.describe("bits_dtype"))
        let bitsShape = try node.required("bits_shape").shape(node.describe("bits_shape"))
        return .rngBitGenerator(algorithm: algorithm, output: ArrayType(bitsDType, bitsShape))
    }

    var writtenCallees: WrittenCallees { .notPlanned }

    func write(into node: inout GraphNodeWriter) {
        node.attributes += [
            ("algorithm", .string(algorithm.graphName)), ("bits_dtype", .string(output.dtype.rawValue)),
            ("bits_shape", .ints(output.dimensions)),
        ]
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        try context.randomBitGenerator()
    }
}

extension HLOInstructionContext {
    /// `rng-bit-generator(state), algorithm=rng_default|rng_three_fry|rng_philox`
    /// (absent: `rng_default`, which XLA CPU runs as Philox); the bits' type is
    /// the second element of the declared `(state, bits)` tuple.
    fileprivate mutating func randomBitGenerator() throws -> Operation {
        var algorithm = RandomBitAlgorithm.xlaCPUDefault
        if let a = attributes.take("algorithm") {
            let text = try lowering.read(a) { try $0.parseIdentifierValue("an rng algorithm") }
            guard let named = RandomBitAlgorithm(xlaName: text) else {
                throw FormatError.invalidValue(
                    what: "algorithm of '\(name)'", message: "expected rng_default, rng_three_fry or rng_philox",
                    location: a.valueLocation)
            }
            algorithm = named
        }
        guard case .tuple(let elements)? = declared, elements.count == 2, let bits = elements[1].arrayType else {
            throw FormatError.invalidValue(
                what: "rng-bit-generator '\(name)'", message: "returns a tuple (new state, bits)",
                location: instruction.opcodeLocation)
        }
        return .rngBitGenerator(algorithm: algorithm, output: bits)
    }
}

extension RandomBitAlgorithm {
    /// The spelling in the graph format: `three_fry` or `philox`.
    var graphName: String { self == .threeFry ? "three_fry" : "philox" }

    /// Reads a graph-format algorithm name: `three_fry`, `philox` or `default`
    /// (XLA CPU's default, Philox), also with XLA's `rng_` prefix.
    init?(graphName: String) {
        let name = graphName.hasPrefix("rng_") ? String(graphName.dropFirst(4)) : graphName
        switch name {
        case "default": self = .xlaCPUDefault
        case "three_fry": self = .threeFry
        case "philox": self = .philox
        default: return nil
        }
    }
}
