/// `constant`: a literal tensor, whose type is the literal's.
struct ConstantRule: OpRule {
    /// The value.
    let literal: Tensor

    var name: String { "constant" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(0)
        if literal.count != literal.type.elementCount {
            throw c.invalid(
                "constant of type \(literal.type) needs \(literal.type.elementCount) elements, has \(literal.count)"
            )
        }
        return .array(literal.type)
    }

    func work(at site: WorkSite) -> Double { 0 }
    var writesResult: Bool { false }
    var canonicalText: String { "constant \(literal.type) " + literalText }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }

    /// The elements as canonical text: float bit patterns in hex (every NaN as
    /// `nan`), then the kept decimal literals as `index=text` (two constants
    /// with the same rounded values but different literals are different
    /// real functions); integers in decimal.
    private var literalText: String {
        switch literal.elements {
        case .floats(let values):
            let bits = values.map { $0.isNaN ? "nan" : String($0.bitPattern, radix: 16) }.joined(separator: ",")
            guard let literals = literal.literals else { return bits }
            return bits + " literals "
                + literals.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        case .integers(let values):
            return values.map(String.init).joined(separator: ",")
        }
    }
}

extension ConstantRule {
    /// The slicer makes any box of the values directly.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .generated }
}
