import FPGraph

/// `dot(lhs, rhs)`: the dimension numbers as `"lhs_batch"`, `"rhs_batch"`
/// (optional), `"lhs_contracting"`, `"rhs_contracting"` in the graph format;
/// `lhs_batch_dims=` ... `rhs_contracting_dims=` in HLO, which refuses
/// `sparsity=` and an `algorithm=` that changes how the product is computed.
struct DotSyntax: OpSpelling {
    let dimensions: DotDimensions

    static let graphSpellings = [
        OpSyntax(
            name: "dot", attributes: ["lhs_batch", "rhs_batch", "lhs_contracting", "rhs_contracting"], read: read)
    ]
    static let hloOpcodes = ["dot"]
    static let hloAttributes: Set<String> = [
        "lhs_batch_dims", "rhs_batch_dims", "lhs_contracting_dims", "rhs_contracting_dims", "sparsity", "algorithm",
    ]

    private static func read(_ node: inout GraphNodeReader) throws -> Operation {
        .dot(
            DotDimensions(
                lhsBatch: try node.optionalInts("lhs_batch") ?? [],
                rhsBatch: try node.optionalInts("rhs_batch") ?? [],
                lhsContracting: try node.ints("lhs_contracting"),
                rhsContracting: try node.ints("rhs_contracting")))
    }

    var writtenCallees: WrittenCallees { .notPlanned }

    /// The batch dimensions when there are any; the result dtype when it is not the lhs's.
    func write(into node: inout GraphNodeWriter) {
        let d = dimensions
        if !d.lhsBatch.isEmpty || !d.rhsBatch.isEmpty {
            node.attributes += [("lhs_batch", .ints(d.lhsBatch)), ("rhs_batch", .ints(d.rhsBatch))]
        }
        node.attributes += [
            ("lhs_contracting", .ints(d.lhsContracting)), ("rhs_contracting", .ints(d.rhsContracting)),
        ]
        if let result = node.type?.dtype, let lhs = node.operandDType(0), result != lhs {
            node.dtype = result
        }
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        .follow(node.operands.first)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { try context.dot() }
}

extension HLOInstructionContext {
    fileprivate mutating func dot() throws -> Operation {
        func dims(_ key: String) throws -> [Int] {
            try optional(key) { try $0.parseBracedIntegers("the \(key)") } ?? []
        }
        let numbers = DotDimensions(
            lhsBatch: try dims("lhs_batch_dims"), rhsBatch: try dims("rhs_batch_dims"),
            lhsContracting: try dims("lhs_contracting_dims"),
            rhsContracting: try dims("rhs_contracting_dims"))
        if let s = attributes.take("sparsity") {
            throw FormatError.unsupported(message: "sparse dot (sparsity=) is not supported", location: s.location)
        }
        if let a = attributes.take("algorithm") {
            let algorithm = try lowering.read(a) { try $0.parseIdentifierValue("a dot algorithm") }.lowercased()
            let operand = operandType(0)?.arrayType?.dtype.rawValue ?? "?"
            let exact = [
                "unset", "alg_unset", "dot_\(operand)_\(operand)_\(operand)",
                "alg_dot_\(operand)_\(operand)_\(operand)",
            ]
            if !exact.contains(algorithm) {
                throw FormatError.unsupported(
                    message: "dot algorithm=\(algorithm) (which changes how the product is computed) is not supported",
                    location: a.valueLocation)
            }
        }
        return .dot(numbers)
    }
}
