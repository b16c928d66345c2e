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
        let estimator = WorkEstimator(graph: self)
        let ops = estimator.work(of: entryName, depth: 0)
        return EvaluationWork(elementOps: ops, hasLoops: estimator.loops)
    }
}

/// One work estimate in progress: the work of each computation, computed once.
final class WorkEstimator {
    let graph: Graph
    /// The work of each computation estimated so far.
    private var memo: [String: Double] = [:]
    /// True once a `while` loop was met (its body counted once: a lower bound).
    var loops = false

    init(graph: Graph) { self.graph = graph }

    /// The element operations of one evaluation of computation `name`, `depth` calls deep.
    func work(of name: String, depth: Int) -> Double {
        if let known = memo[name] { return known }
        guard let computation = graph.computations[name], depth <= 1_000 else { return 0 }
        var total = 0.0
        for node in computation.nodes {
            let before = total
            let rule = node.operation.rule
            total += rule.work(at: WorkSite(estimator: self, computation: computation, node: node, depth: depth))
            // every value produced is at least written once (a reduction of an empty
            // dimension still fills its result with the init value)
            if rule.writesResult {
                total = before + Swift.max(total - before, Self.elements(node.type))
            }
        }
        memo[name] = total
        return total
    }

    /// Elements of a value (a tuple's summed, or only its first array's with `first`).
    static func elements(_ type: ValueType, first: Bool = false) -> Double {
        switch type {
        case .array(let a): return Double(a.elementCount)
        case .tuple(let parts):
            if first { return parts.first.map { elements($0, first: true) } ?? 0 }
            return parts.reduce(0) { $0 + elements($1) }
        }
    }
}

/// One node of a work estimate, as its rule sees it (``OpRule/work(at:)``).
struct WorkSite {
    let estimator: WorkEstimator
    /// The computation the node is in.
    let computation: Computation
    /// The node.
    let node: Node
    /// How many calls deep the computation is.
    let depth: Int

    /// Elements of the node's value (a tuple's summed).
    var elements: Double { WorkEstimator.elements(node.type) }

    /// Elements of the node's value, or of its first array when it is a tuple.
    var firstElements: Double { WorkEstimator.elements(node.type, first: true) }

    /// Elements of operand `i`'s value.
    func operandElements(_ i: Int) -> Double { WorkEstimator.elements(computation.nodes[node.operands[i]].type) }

    /// Operand `i`'s array type (nil for a tuple).
    func operandArray(_ i: Int) -> ArrayType? { computation.nodes[node.operands[i]].type.arrayType }

    /// The work of one evaluation of the computation `callee`.
    func work(of callee: String) -> Double { estimator.work(of: callee, depth: depth + 1) }

    /// The work of one call of a reducer, comparator or other per-element computation: at least 1.
    func called(_ callee: String) -> Double { Swift.max(1, work(of: callee)) }

    /// Records that the graph has a loop, so the estimate is a lower bound.
    func noteLoop() { estimator.loops = true }
}
