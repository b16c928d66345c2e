import Foundation

/// `topk(x)`: the `k` largest (or smallest, or first by a comparator) elements
/// along the last dimension and their s32 indices.
struct TopKRule: OpRule {
    /// How many elements are kept.
    let k: Int
    /// Largest (true) or smallest first, without a comparator.
    let largest: Bool
    /// The comparator computation's name, if any.
    let comparator: String?

    var name: String { "topk" }
    var calledComputations: [String] { comparator.map { [$0] } ?? [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(1)
        let x = try c.array(0)
        if let comparatorName = comparator {
            let comparator = try c.callee(comparatorName)
            let expected: [ValueType] = [
                .array(x.dtype, []), .array(x.dtype, []), .array(.s32, []), .array(.s32, []),
            ]
            let actual = comparator.parameters.map { comparator.nodes[$0].type }
            if actual != expected || comparator.resultType != .array(.pred, []) {
                throw c.mismatch(
                    "comparator '\(comparatorName)' takes \(actual.map(\.description)) and returns \(comparator.resultType); topk needs \(expected.map(\.description)) returning pred[]"
                )
            }
        }
        guard x.rank >= 1, (0...x.dimensions[x.rank - 1]).contains(k) else {
            throw c.invalid("topk k=\(k) must be within 0...\(x.dimensions.last ?? 0) (the last dimension of \(x))")
        }
        let dims = Array(x.dimensions.dropLast()) + [k]
        return .tuple([.array(x.dtype, dims), .array(.s32, dims)])
    }

    /// n log n comparisons per row of n elements.
    func work(at site: WorkSite) -> Double {
        let shape = site.operandArray(0)?.dimensions ?? []
        let n = Double(shape.last ?? 1)
        return site.operandElements(0) * log2(Swift.max(n, 2)) * (comparator.map(site.called) ?? 1)
    }

    var writesResult: Bool { true }
    var canonicalText: String { "topk \(k) " + (comparator != nil ? "comparator" : (largest ? "largest" : "smallest")) }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { false }
    var valueFlow: ValueFlow { .other }
}
