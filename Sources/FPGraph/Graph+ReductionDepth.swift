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
        var memo: [String: Int] = [:]
        let depths = nodeDepths(of: entry, memo: &memo)
        let root = entry.nodes[entry.root]
        // A root that is not a tuple node but returns a tuple (a batch-norm-training,
        // a variadic reduce or sort, a while...): each output gets the root's depth.
        guard root.operation == .tuple else {
            return Array(repeating: depths[entry.root], count: max(outputs.count, 1))
        }
        return root.operands.map { depths[$0] }
    }

    /// Per node of `computation`, the reduction depth of its value with the
    /// computation's parameters at depth 0.
    private func nodeDepths(of computation: Computation, memo: inout [String: Int]) -> [Int] {
        var depths = [Int](repeating: 0, count: computation.nodes.count)
        for (i, node) in computation.nodes.enumerated() {
            let incoming = node.operands.map { depths[$0] }.max() ?? 0
            depths[i] = saturatingAdd(incoming, contribution(of: node, in: computation, memo: &memo))
        }
        return depths
    }

    /// The depth of a called computation's root, computed once per name.
    private func depth(ofComputation name: String, memo: inout [String: Int]) -> Int {
        if let known = memo[name] { return known }
        memo[name] = 0  // a (malformed) recursive call adds nothing
        guard let computation = computations[name] else { return 0 }
        let d = nodeDepths(of: computation, memo: &memo)[computation.root]
        memo[name] = d
        return d
    }

    private func contribution(of node: Node, in computation: Computation, memo: inout [String: Int]) -> Int {
        switch node.operation {
        case .reduce(let dimensions, let reducer):
            guard roundsWhenCombining(reducer), let operand = node.operands.first,
                let type = computation.nodes[operand].type.arrayType
            else { return 0 }
            let n = dimensions.reduce(1) { product, d in
                type.dimensions.indices.contains(d) ? saturatingMultiply(product, type.dimensions[d]) : product
            }
            return max(0, n - 1)
        case .dot(let dims):
            guard let operand = node.operands.first, let type = computation.nodes[operand].type.arrayType else {
                return 0
            }
            return dims.lhsContracting.reduce(1) { product, d in
                type.dimensions.indices.contains(d) ? saturatingMultiply(product, type.dimensions[d]) : product
            }
        case .convolution(let attributes):
            guard node.operands.count == 2, let kernel = computation.nodes[node.operands[1]].type.arrayType,
                kernel.dimensions.indices.contains(attributes.dimensions.kernelOutputFeature)
            else { return 0 }
            return attributes.termsPerOutput(rhs: kernel)
        case .reduceWindow(let window, let reducer):
            guard roundsWhenCombining(reducer) else { return 0 }
            let w = window.dimensions.reduce(1, saturatingMultiply)
            return max(0, w - 1)
        case .scatter(let numbers, let combiner):
            // Every update may land on one element: at most (scatter positions - 1)
            // combinations deep, when the combiner rounds.
            guard roundsWhenCombining(combiner), node.operands.count >= 3,
                let updates = computation.nodes[node.operands[node.operands.count - 1]].type.arrayType
            else { return 0 }
            let positions = (0..<updates.rank).filter { !numbers.updateWindowDims.contains($0) }
                .reduce(1) { saturatingMultiply($0, updates.dimensions[$1]) }
            return max(0, positions - 1)
        case .selectAndScatter(let window, _, let scatter):
            // Every source element whose window overlaps an operand element may land on it.
            guard roundsWhenCombining(scatter) else { return 0 }
            let overlaps = zip(window.dimensions, window.strides).reduce(1) { product, w in
                saturatingMultiply(product, (w.0 + w.1 - 1) / w.1)
            }
            return max(0, overlaps - 1)
        case .batchNorm(let config):
            // The sums over every element of one feature.
            guard let operand = node.operands.first, let type = computation.nodes[operand].type.arrayType else {
                return 0
            }
            let n = type.dimensions.indices.filter { $0 != config.featureIndex }
                .reduce(1) { saturatingMultiply($0, type.dimensions[$1]) }
            return config.kind == .inference ? 0 : max(0, n - 1)
        case .map(let name):
            return depth(ofComputation: name, memo: &memo)
        case .call(let name):
            return depth(ofComputation: name, memo: &memo)
        case .whileLoop(_, let body):
            return depth(ofComputation: body, memo: &memo)
        case .conditional(let branches):
            return branches.map { depth(ofComputation: $0, memo: &memo) }.max() ?? 0
        case .parameter, .constant, .unary, .binary, .compare, .select, .clamp, .convert, .reducePrecision, .broadcast,
            .reshape, .transpose, .slice, .concatenate, .pad, .iota, .tuple, .getTupleElement, .bitcast, .dynamicSlice,
            .dynamicUpdateSlice, .gather, .reverse, .optimizationBarrier, .sort, .topK, .bitcastConvert, .multiplyHigh,
            .rngBitGenerator:
            return 0
        }
    }

    /// True when a reducer computation combines values with an operation that
    /// rounds; false when it only selects one of them (max, min, logic).
    private func roundsWhenCombining(_ reducer: String) -> Bool {
        guard let computation = computations[reducer] else { return true }
        return computation.nodes.contains { node in
            switch node.operation {
            case .binary(let op):
                return ![.maximum, .minimum, .and, .or, .xor].contains(op)
            case .unary, .convert, .call, .reducePrecision, .scatter, .map, .batchNorm, .selectAndScatter:
                return true
            case .parameter, .constant, .compare, .select, .clamp, .broadcast, .reshape, .transpose, .slice,
                .concatenate, .pad, .iota, .reduce, .dot, .tuple, .getTupleElement, .bitcast, .reduceWindow,
                .dynamicSlice, .dynamicUpdateSlice, .whileLoop, .conditional, .gather, .reverse, .optimizationBarrier,
                .sort, .topK, .bitcastConvert, .convolution, .multiplyHigh, .rngBitGenerator:
                return false
            }
        }
    }
}

private func saturatingAdd(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? Int.max : sum
}

private func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? Int.max : product
}
