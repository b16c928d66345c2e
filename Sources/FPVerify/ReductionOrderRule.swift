import FPGraph

/// Names a changed reduction order (``ErrorCause/reductionOrder(original:terms:via:rewrittenULPs:originalULPs:)``):
/// a cause decided across the two graphs, from their ``SumProfile``s at the
/// sample where a rewritten node loses the most.
///
/// The rule, for a node of the REWRITTEN graph that is a sum (an `add`, a
/// `reduce`-add, a `dot`) and loses accuracy:
/// 1. Its cause is `absorption`, `accumulated-rounding`, `operand-rounding`
///    or `rounding`. Overflow, underflow, a narrowing conversion and
///    cancellation describe the element's own arithmetic and stay; a
///    function error or a called computation is not a sum's.
/// 2. From the node, then up through the nodes it feeds by sums and data
///    movement only, nearest first (a partial sum of a split or reassociated
///    sum has no counterpart of its own), the first sum R′ whose true value
///    equals, element for element, that of a sum R of the ORIGINAL graph:
///    same dtype and dimensions, at least one element nonzero, both at least
///    two terms per element (preferred: a sum of the same terms as R′ (3.),
///    then of the same kind, then the first in the original's order).
/// 3. R and R′ sum the same terms (the leaves of their summation trees have
///    the same computed values) and are computed to different values: only
///    the order of the additions differs, and at this sample it changes the
///    result. A sum computed as the original computes it (the same subgraph)
///    never qualifies. The truth reads converts as the identity, so a cast
///    before the sum, or a term computed another way (`x / b` against
///    `x * (1 / b)`), leaves the true values equal: the terms tell them apart.
struct ReductionOrderRule {
    /// The causes a changed reduction order replaces.
    static func replaces(_ cause: ErrorCause?) -> Bool {
        switch cause {
        case .absorption?, .absorbedAddends?, .accumulatedRounding?, .operandRounding?, .rounding?: return true
        default: return false
        }
    }

    /// The changed reduction order behind rewritten node `node`'s local
    /// error (whose cause is `cause`), from both graphs' profiles at the same
    /// sample; nil when the rule does not apply.
    static func cause(
        of node: String, cause: ErrorCause?, rewritten: SumProfile, original: SumProfile
    ) -> ErrorCause? {
        guard replaces(cause), let own = rewritten.sums[node], own.sum == node else { return nil }
        for candidate in [node] + (rewritten.consumers[node] ?? []) {
            guard let r = rewritten.sums[candidate], r.nonzero, r.terms >= 2 else { continue }
            let matches = original.order.compactMap { original.sums[$0] }.filter {
                $0.dtype == r.dtype && $0.dimensions == r.dimensions && $0.truth == r.truth && $0.terms >= 2
            }
            guard
                let o = matches.first(where: { $0.leaves == r.leaves && $0.op == r.op })
                    ?? matches.first(where: { $0.leaves == r.leaves }) ?? matches.first
            else { continue }
            // The nearest sum with the original's value decides: the same
            // terms, computed to another value.
            guard o.leaves == r.leaves, o.computed != r.computed else { return nil }
            return .reductionOrder(
                original: o.sum, terms: o.terms, via: r.sum == node ? nil : r.sum,
                rewrittenULPs: r.computedULPs, originalULPs: o.computedULPs)
        }
        return nil
    }

    /// `errors` (the REWRITTEN graph's) with the changed reduction orders
    /// named: each node's profiles are those of the sample its figures come
    /// from (``NodeError/spread``'s worst sample, else `sample`). Profiles
    /// cover the entry computation: nodes of called computations keep their causes.
    static func apply(
        to errors: [NodeError], sample: Int, profiles: [Int: (original: SumProfile, rewritten: SumProfile)]
    ) -> [NodeError] {
        errors.map { e in
            guard e.computation == nil, let pair = profiles[e.spread?.worstSample ?? sample],
                let cause = cause(of: e.node, cause: e.cause, rewritten: pair.rewritten, original: pair.original)
            else { return e }
            var e = e
            e.cause = cause
            e.pendingCheck = nil
            return e
        }
    }
}
