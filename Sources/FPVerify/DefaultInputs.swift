import FPGraph
import FPNumerics

/// A parameter sampled from fpaudit's own default because nothing else set
/// its distribution (no graph-file `sample`, policy `inputs:` or `--input`).
public struct DefaultedInput: Sendable, Equatable {
    /// The parameter's name.
    public var parameter: String
    /// The default distribution it is sampled from.
    public var distribution: Distribution
    /// What bounds an integer default (`compared with an iota of 10`, ...) or
    /// makes a float default positive (`the variance of a batch norm`); nil
    /// for the plain float and pred defaults.
    public var reason: String?

    /// Creates a record from its parts.
    public init(parameter: String, distribution: Distribution, reason: String?) {
        self.parameter = parameter
        self.distribution = distribution
        self.reason = reason
    }
}

/// fpaudit's default distribution for each parameter of a graph.
///
/// - Floating-point parameters: `normal(0, 1)`, except the variance operand
///   of a batch norm: `uniform(0.5, 2)`.
/// - `pred` parameters: `integers(0, 1)`.
/// - Integer parameters (class labels, token ids, indices) are non-negative
///   and small: `integers(0, N - 1)` when the entry computation reveals N
///   cheaply, else `integers(0, 15)`. N is found where the parameter, through
///   ops that only move or convert values (broadcast, reshape, transpose,
///   convert, copy, bitcast, slice, concatenate), is compared with an `iota`
///   over N values (as `one_hot` does), or is a start index of a
///   `dynamic-slice` / `dynamic-update-slice` (N = the positions the block
///   can start at), in the entry computation or in a computation it calls
///   (an XLA fusion), so fusing the comparison keeps the bound. Several such
///   uses take the smallest N. The bound is also clamped to the dtype's range.
public enum DefaultInputs {
    /// The upper end of the fixed small range of an unbounded integer parameter.
    public static let unboundedIntegerMax: Int64 = 15

    /// One default per parameter, in parameter order.
    public static func infer(_ graph: Graph) -> [DefaultedInput] {
        let bounds = integerBounds(graph)
        let variances = varianceParameters(graph)
        return graph.parameters.map { p in
            let dtype = p.type.dtype
            if dtype.isFloatingPoint && variances.contains(p.index) {
                return DefaultedInput(
                    parameter: p.name, distribution: varianceDistribution, reason: "the variance of a batch norm")
            }
            if dtype.isFloatingPoint {
                return DefaultedInput(parameter: p.name, distribution: .normal(mean: 0, std: 1), reason: nil)
            }
            let range = dtype.samplingRange ?? 0...1
            if dtype == .pred || range.upperBound <= 1 {
                return DefaultedInput(parameter: p.name, distribution: .integers(lo: 0, hi: 1), reason: nil)
            }
            if let (count, why) = bounds[p.index] {
                let hi = min(Int64(max(count, 1)) - 1, range.upperBound)
                return DefaultedInput(parameter: p.name, distribution: .integers(lo: 0, hi: hi), reason: why)
            }
            return DefaultedInput(
                parameter: p.name, distribution: .integers(lo: 0, hi: min(unboundedIntegerMax, range.upperBound)),
                reason: "no bound found in the graph")
        }
    }

    /// For each parameter index with a bound: the number of valid values and why.
    private static func integerBounds(_ graph: Graph) -> [Int: (Int, String)] {
        var bounds: [Int: (Int, String)] = [:]
        let entry = graph.entry
        scan(entry, in: graph, carried: entry.parameters.indices.map { Optional($0) }, depth: 0, into: &bounds)
        return bounds
    }

    /// Looks for bounds in `computation`, whose parameter `i` carries the graph
    /// parameter `carried[i]` unchanged (nil: something else). Calls (XLA
    /// fusions) are followed, so fusing a comparison keeps its bound.
    private static func scan(
        _ computation: Computation, in graph: Graph, carried: [Int?], depth: Int,
        into bounds: inout [Int: (Int, String)]
    ) {
        func bound(_ parameter: Int, _ count: Int, _ why: String) {
            if let known = bounds[parameter], known.0 <= count { return }
            bounds[parameter] = (count, why)
        }
        // Per node: the graph parameter it carries unchanged in value, and the iota size it carries.
        var carriedParameter = [Int?](repeating: nil, count: computation.nodes.count)
        var carriedIota = [Int?](repeating: nil, count: computation.nodes.count)
        for (i, node) in computation.nodes.enumerated() {
            let operation = node.operation
            switch operation.valueFlow {
            case .parameter(let index):
                carriedParameter[i] = carried.indices.contains(index) ? carried[index] : nil
            case .operandValues:
                if let first = node.operands.first {
                    carriedParameter[i] = carriedParameter[first]
                    carriedIota[i] = carriedIota[first]
                }
            case .concatenation:
                let parameters = Set(node.operands.map { carriedParameter[$0] })
                if parameters.count == 1 { carriedParameter[i] = parameters.first! }
            case .callee(let name):
                let passed = node.operands.map { carriedParameter[$0] }
                if depth < maxCallDepth, passed.contains(where: { $0 != nil }), let callee = graph.computations[name] {
                    scan(callee, in: graph, carried: passed, depth: depth + 1, into: &bounds)
                }
            case .other:
                break
            }
            if case .iota(let dimension) = operation, let type = node.type.arrayType,
                type.dimensions.indices.contains(dimension)
            {
                carriedIota[i] = type.dimensions[dimension]
            }
            if case .compare = operation, node.operands.count == 2 {
                let (a, b) = (node.operands[0], node.operands[1])
                if let p = carriedParameter[a], let n = carriedIota[b] { bound(p, n, "compared with an iota of \(n)") }
                if let p = carriedParameter[b], let n = carriedIota[a] { bound(p, n, "compared with an iota of \(n)") }
            }
            let operandTypes = node.operands.map { computation.nodes[$0].type }
            for b in operation.startIndexBounds(operandTypes: operandTypes)
            where node.operands.indices.contains(b.operand) {
                if let p = carriedParameter[node.operands[b.operand]] { bound(p, b.count, b.reason) }
            }
        }
    }

    /// How deep nested calls are followed.
    private static let maxCallDepth = 16
}
