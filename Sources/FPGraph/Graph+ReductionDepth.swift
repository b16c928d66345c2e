/// How many rounded accumulation steps can stand between the inputs and an
/// output: the length of the longest chain of reductions, which sets the
/// error an output may have whatever order its sums are taken in.
///
/// Along a path from the inputs to an output, a node contributes:
/// - `reduce` over n elements per result, with a reducer that rounds (add,
///   multiply, ...): n − 1; with a reducer that only selects (maximum,
///   minimum, select, compare, logical ops): 0;
/// - `dot` with contraction length K: K (K products and K − 1 sums);
/// - `convolution`: K, the products per output element (the kernel's input
///   features times its window size), as for a dot;
/// - `reduce-window` with a rounding reducer over a window of W elements: W − 1;
/// - `call`, `while` and `conditional`: the depth of the called computation
///   (a loop body counted once, the deepest branch);
/// - every other op: 0.
///
/// The depth of an output is the largest sum over its paths. It is a
/// property of the graph's structure alone, computed without running it.
extension Graph {
    /// The reduction depth of each output, in output order.
    public var outputReductionDepths: [Int] {
        let estimator = DepthEstimator(graph: self)
        let depths = estimator.nodeDepths(of: entry)
        let root = entry.nodes[entry.root]
        // A root that is not a tuple node but returns a tuple (a batch-norm-training,
        // a variadic reduce or sort, a while...): each output gets the root's depth.
        guard root.operation == .tuple else {
            return Array(repeating: depths[entry.root], count: max(outputs.count, 1))
        }
        return root.operands.map { depths[$0] }
    }
}

/// One reduction-depth computation in progress: the depth of each called computation, computed once.
final class DepthEstimator {
    let graph: Graph
    private var memo: [String: Int] = [:]

    init(graph: Graph) { self.graph = graph }

    /// Per node of `computation`, the reduction depth of its value with the
    /// computation's parameters at depth 0.
    func nodeDepths(of computation: Computation) -> [Int] {
        var depths = [Int](repeating: 0, count: computation.nodes.count)
        for (i, node) in computation.nodes.enumerated() {
            let incoming = node.operands.map { depths[$0] }.max() ?? 0
            let site = DepthSite(estimator: self, computation: computation, node: node)
            depths[i] = saturatingAdd(incoming, node.operation.rule.reductionDepth(at: site))
        }
        return depths
    }

    /// The depth of a called computation's root, computed once per name.
    func depth(ofComputation name: String) -> Int {
        if let known = memo[name] { return known }
        memo[name] = 0  // a (malformed) recursive call adds nothing
        guard let computation = graph.computations[name] else { return 0 }
        let d = nodeDepths(of: computation)[computation.root]
        memo[name] = d
        return d
    }

    /// True when a reducer computation combines values with an operation that
    /// rounds; false when it only selects one of them (max, min, logic).
    func roundsWhenCombining(_ reducer: String) -> Bool {
        guard let computation = graph.computations[reducer] else { return true }
        return computation.nodes.contains { $0.operation.rule.roundsInReducer }
    }
}

/// One node of a reduction-depth computation, as its rule sees it (``OpRule/reductionDepth(at:)``).
struct DepthSite {
    let estimator: DepthEstimator
    /// The computation the node is in.
    let computation: Computation
    /// The node.
    let node: Node

    /// Operand `i`'s array type (nil for a tuple).
    func operandArray(_ i: Int) -> ArrayType? { computation.nodes[node.operands[i]].type.arrayType }

    /// The depth of the root of the called computation `name`.
    func depth(ofComputation name: String) -> Int { estimator.depth(ofComputation: name) }

    /// True when the reducer or combiner `name` rounds when it combines values.
    func roundsWhenCombining(_ name: String) -> Bool { estimator.roundsWhenCombining(name) }
}

/// `a + b`, or `Int.max` when it overflows.
func saturatingAdd(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
}

/// `a × b`, or `Int.max` when it overflows.
func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : product
}
