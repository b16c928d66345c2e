import Foundation

/// How much arithmetic one evaluation of a graph takes, in element operations:
/// one per element an elementwise node produces, one per term of a `dot`'s or
/// a reduction's sums, a reducer or comparator computation counted at its own
/// work for every call. It is an estimate made before any work, to say what a
/// run will cost and to refuse hopeless ones, not a timing.
public struct EvaluationWork: Sendable, Equatable {
    /// Element operations of one evaluation.
    public var elementOps: Double
    /// True when the graph has `while` loops: their bodies are counted once
    /// (the trip count is known only at run time), so the estimate is a lower bound.
    public var hasLoops: Bool

    /// Creates an estimate from its parts.
    public init(elementOps: Double, hasLoops: Bool) {
        self.elementOps = elementOps
        self.hasLoops = hasLoops
    }
}

extension Graph {
    /// The element operations of one evaluation of the entry computation.
    public var evaluationWork: EvaluationWork {
        var memo: [String: Double] = [:]
        var loops = false
        let ops = work(of: entryName, memo: &memo, loops: &loops, depth: 0)
        return EvaluationWork(elementOps: ops, hasLoops: loops)
    }

    private func work(of name: String, memo: inout [String: Double], loops: inout Bool, depth: Int) -> Double {
        if let known = memo[name] { return known }
        guard let computation = computations[name], depth <= 1_000 else { return 0 }
        var total = 0.0
        for node in computation.nodes {
            let before = total
            func called(_ callee: String) -> Double {
                Swift.max(1, work(of: callee, memo: &memo, loops: &loops, depth: depth + 1))
            }
            func operandElements(_ i: Int) -> Double { Self.elements(computation.nodes[node.operands[i]].type) }
            let elements = Self.elements(node.type)
            switch node.operation {
            case .parameter, .constant, .tuple, .getTupleElement, .reshape, .bitcast, .optimizationBarrier:
                break
            case .unary, .binary, .compare, .select, .clamp, .convert, .bitcastConvert, .reducePrecision,
                .broadcast, .transpose, .slice, .concatenate, .pad, .iota, .dynamicSlice, .dynamicUpdateSlice,
                .gather, .reverse, .multiplyHigh, .rngBitGenerator:
                total += elements
            case .batchNorm:
                // a handful of passes over the operand (mean, variance, normalisation; more for the gradient)
                total += 4 * operandElements(0)
            case .map(let callee):
                total += elements * called(callee)
            case .selectAndScatter(let window, let select, let scatter):
                // each source element's window is searched with `select`, then scattered once
                let windowSize = window.dimensions.reduce(1.0) { $0 * Double($1) }
                total += elements + operandElements(1) * (windowSize * called(select) + called(scatter))
            case .reduce(_, let reducer):
                // every input element is combined once by the reducer (which takes all inputs at once)
                total += operandElements(0) * called(reducer)
            case .reduceWindow(let window, let reducer):
                let windowSize = window.dimensions.reduce(1.0) { $0 * Double($1) }
                total += Self.elements(node.type, first: true) * windowSize * called(reducer)
            case .dot(let dims):
                let lhs = computation.nodes[node.operands[0]].type.arrayType?.dimensions ?? []
                let terms = dims.lhsContracting.reduce(1.0) { $0 * Double(lhs.indices.contains($1) ? lhs[$1] : 1) }
                total += elements * terms
            case .convolution(let attributes):
                let rhs = computation.nodes[node.operands[1]].type.arrayType
                total += elements * Double(rhs.map { attributes.termsPerOutput(rhs: $0) } ?? 1)
            case .call(let callee):
                total += work(of: callee, memo: &memo, loops: &loops, depth: depth + 1)
            case .whileLoop(let condition, let body):
                loops = true
                total +=
                    work(of: condition, memo: &memo, loops: &loops, depth: depth + 1)
                    + work(of: body, memo: &memo, loops: &loops, depth: depth + 1)
            case .conditional(let branches):
                total += branches.map { work(of: $0, memo: &memo, loops: &loops, depth: depth + 1) }.max() ?? 0
            case .scatter(_, let combiner):
                // the operands are copied, then every update element is combined once
                total += elements + operandElements(node.operands.count - 1) * called(combiner)
            case .sort(let dimension, _, let comparator):
                let shape = computation.nodes[node.operands[0]].type.arrayType?.dimensions ?? []
                let n = Double(shape.indices.contains(dimension) ? shape[dimension] : 1)
                total += operandElements(0) * log2(Swift.max(n, 2)) * called(comparator)
            case .topK(_, _, let comparator):
                let shape = computation.nodes[node.operands[0]].type.arrayType?.dimensions ?? []
                let n = Double(shape.last ?? 1)
                total += operandElements(0) * log2(Swift.max(n, 2)) * (comparator.map(called) ?? 1)
            }
            // every value produced is at least written once (a reduction of an empty
            // dimension still fills its result with the init value)
            switch node.operation {
            case .parameter, .constant, .tuple, .getTupleElement, .reshape, .bitcast, .optimizationBarrier, .call,
                .whileLoop, .conditional:
                break
            default:
                total = before + Swift.max(total - before, Self.elements(node.type))
            }
        }
        memo[name] = total
        return total
    }

    /// Elements of a value (a tuple's summed, or only its first array's with `first`).
    private static func elements(_ type: ValueType, first: Bool = false) -> Double {
        switch type {
        case .array(let a): return Double(a.elementCount)
        case .tuple(let parts):
            if first { return parts.first.map { elements($0, first: true) } ?? 0 }
            return parts.reduce(0) { $0 + elements($1) }
        }
    }
}
