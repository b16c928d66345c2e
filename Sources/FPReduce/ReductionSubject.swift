import FPEval
import FPGraph

/// A failing pair as reduction starts from it: the two graphs, how their
/// interfaces pair, the output that fails, and the input at which it fails.
public struct ReductionSubject: Sendable {
    /// The graph before the rewrite.
    public var original: Graph
    /// The graph after the rewrite.
    public var rewritten: Graph
    /// For each ORIGINAL parameter (by index), the REWRITTEN parameter fed the same values.
    public var rewrittenParameter: [Int]
    /// The failing output's position among the ORIGINAL's outputs.
    public var output: Int
    /// The REWRITTEN output paired with it.
    public var rewrittenOutput: Int
    /// The input the failure is replayed at, one per ORIGINAL parameter, in its order.
    public var inputs: [Tensor.Elements]
    /// How the IEEE runs evaluate; the values of cut nodes are computed this way.
    public var exec: ExecutionMode
    /// Subnormal handling of the IEEE runs.
    public var subnormals: SubnormalMode
    /// Order of reductions and dot products in the IEEE runs.
    public var reductionOrder: ReductionOrder

    /// Creates a subject from its parts; the evaluation settings default to
    /// `fpaudit verify`'s (declared precision, subnormals kept, sequential reductions).
    public init(
        original: Graph, rewritten: Graph, rewrittenParameter: [Int], output: Int, rewrittenOutput: Int,
        inputs: [Tensor.Elements], exec: ExecutionMode = .declared, subnormals: SubnormalMode = .keep,
        reductionOrder: ReductionOrder = .sequential
    ) {
        self.original = original
        self.rewritten = rewritten
        self.rewrittenParameter = rewrittenParameter
        self.output = output
        self.rewrittenOutput = rewrittenOutput
        self.inputs = inputs
        self.exec = exec
        self.subnormals = subnormals
        self.reductionOrder = reductionOrder
    }
}

/// A standalone pair that reproduces a failure: two graphs with the same
/// parameters (same names, types and order) and one output each, and the
/// input to replay them at.
public struct ReducedPair: Sendable, Equatable {
    /// The cut-down ORIGINAL graph.
    public var original: Graph
    /// The cut-down REWRITTEN graph.
    public var rewritten: Graph
    /// One tensor per parameter of both graphs, in their order: the ORIGINAL
    /// parameters' values at the worst input, then each cut node's value there.
    public var inputs: NamedTensors
    /// The ORIGINAL graph's names of the nodes fed as parameters (the cut points), in node order.
    public var cutNodes: [String]
    /// The node of each full graph whose value the reduced graphs output.
    public var outputNodes: (original: String, rewritten: String)

    /// Compares the graphs, inputs, cut points and output nodes.
    public static func == (a: ReducedPair, b: ReducedPair) -> Bool {
        a.original == b.original && a.rewritten == b.rewritten && a.inputs == b.inputs && a.cutNodes == b.cutNodes
            && a.outputNodes == b.outputNodes
    }

    /// Nodes of both graphs (``FPGraph/Graph/liveNodeCount``).
    public var nodeCount: Int { original.liveNodeCount + rewritten.liveNodeCount }
}

extension Graph {
    /// Nodes the outputs depend on: the entry's live nodes (parameters
    /// included) plus every node of the computations they call, transitively.
    public var liveNodeCount: Int {
        let entry = self.entry
        var live = [Bool](repeating: false, count: entry.nodes.count)
        live[entry.root] = true
        var called = Set<String>()
        var pending: [String] = []
        for i in entry.nodes.indices.reversed() where live[i] {
            for o in entry.nodes[i].operands { live[o] = true }
            pending += entry.nodes[i].operation.calledComputations
        }
        var count = live.filter { $0 }.count
        while let name = pending.popLast() {
            guard called.insert(name).inserted, let c = computations[name] else { continue }
            count += c.nodes.count
            pending += c.nodes.flatMap(\.operation.calledComputations)
        }
        return count
    }
}
