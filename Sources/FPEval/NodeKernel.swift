import FPGraph

/// Everything the evaluator knows about one op family, in one place: its
/// index plan, what a runner prepares for it, whether it owns storage, and
/// how it computes its value in any ``RealDomain``.
///
/// One conforming type per ``FPGraph/Operation`` case lives in
/// `Sources/FPEval/Ops/<Family>Kernel.swift`, holding the case's attributes;
/// ``KernelDispatch/kernel(for:)`` is the only place that maps an operation to
/// its kernel. A kernel that finds its plan or prepared state missing throws
/// ``EvaluationError/missingPlan(node:op:)`` naming the node and op; it never
/// crashes.
///
/// The per-element loops live inside the kernels' (generic) evaluation and
/// the domains' kernels: the runner calls a kernel once per node and run, never
/// once per element.
protocol NodeKernel: Sendable {
    /// The node's index arithmetic, worked out once per graph and shared by
    /// every domain, thread and sample (``NodePlan/none`` when there is none,
    /// or when the node lacks what the plan needs: evaluation then reports it).
    func plan(_ node: PlanContext) -> NodePlan

    /// What a runner keeps for the node besides its storage (the runners of
    /// called computations...), made once with the runner. The node's own
    /// storage, when it has one, is already allocated (a constant loads its
    /// data into it here).
    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D>

    /// Whether the node writes into storage of its own (allocated once, reused
    /// by every run); when false its value is another value (an operand's, a
    /// called computation's result, a tuple of operands).
    func ownsStorage<D: RealDomain>(_ node: NodeContext<D>) -> Bool

    /// The node's value in the current run (its storage, filled, when it owns one).
    /// - Throws: ``EvaluationError`` (a missing plan or state, an operand the op rejects, a runaway loop).
    func evaluate<D: RealDomain>(_ node: NodeContext<D>) throws -> Value<D.Buffer>
}

extension NodeKernel {
    /// No index plan.
    func plan(_ node: PlanContext) -> NodePlan { .none }

    /// Nothing to prepare.
    func prepare<D: RealDomain>(_ node: NodeContext<D>) -> KernelState<D> { .none }
}

/// The dispatch from an operation to its kernel: the one exhaustive switch
/// over ``FPGraph/Operation`` in FPEval.
enum KernelDispatch {
    /// The kernel of `operation`, holding its attributes.
    static func kernel(for operation: Operation) -> any NodeKernel {
        bound(for: operation, in: IEEEDomain.self).kernel
    }

    /// The kernel of `operation` bound to the domain `D`.
    ///
    /// Specialised for the three domains: each case calls its concrete
    /// kernel's evaluation with a concrete domain, so the compiler emits
    /// specialised code for every kernel and domain, and a run does not look
    /// up generic type metadata per node (as a call through `any NodeKernel`
    /// would).
    @_specialize(where D == IEEEDomain)
    @_specialize(where D == MPFRDomain)
    @_specialize(where D == IntervalDomain)
    static func bound<D: RealDomain>(for operation: Operation, in domain: D.Type) -> BoundKernel<D> {
        switch operation {
        case .parameter(let index): return BoundKernel(ParameterKernel(index: index))
        case .constant(let literal): return BoundKernel(ConstantKernel(literal: literal))
        case .unary(let op): return BoundKernel(UnaryKernel(op: op))
        case .binary(let op): return BoundKernel(BinaryKernel(op: op))
        case .compare(let direction, let totalOrder):
            return BoundKernel(CompareKernel(direction: direction, totalOrder: totalOrder))
        case .select: return BoundKernel(SelectKernel())
        case .clamp: return BoundKernel(ClampKernel())
        case .convert: return BoundKernel(ConvertKernel())
        case .bitcastConvert: return BoundKernel(BitcastConvertKernel())
        case .reducePrecision(let e, let m): return BoundKernel(ReducePrecisionKernel(exponentBits: e, mantissaBits: m))
        case .broadcast(let dimensions): return BoundKernel(BroadcastKernel(dimensions: dimensions))
        case .reshape: return BoundKernel(ReshapeKernel())
        case .transpose(let permutation): return BoundKernel(TransposeKernel(permutation: permutation))
        case .slice(let bounds): return BoundKernel(SliceKernel(bounds: bounds))
        case .concatenate(let dimension): return BoundKernel(ConcatenateKernel(dimension: dimension))
        case .pad(let config): return BoundKernel(PadKernel(config: config))
        case .iota(let dimension): return BoundKernel(IotaKernel(dimension: dimension))
        case .reduce(let dimensions, let reducer):
            return BoundKernel(ReduceKernel(dimensions: dimensions, reducer: reducer))
        case .dot(let dimensions): return BoundKernel(DotKernel(dimensions: dimensions))
        case .convolution(let attributes): return BoundKernel(ConvolutionKernel(attributes: attributes))
        case .tuple: return BoundKernel(TupleKernel())
        case .getTupleElement(let index): return BoundKernel(GetTupleElementKernel(index: index))
        case .call(let computation): return BoundKernel(CallKernel(computation: computation))
        case .bitcast(let operandLayout, let resultLayout):
            return BoundKernel(BitcastKernel(operandLayout: operandLayout, resultLayout: resultLayout))
        case .reduceWindow(let window, let reducer):
            return BoundKernel(ReduceWindowKernel(window: window, reducer: reducer))
        case .dynamicSlice(let sizes): return BoundKernel(DynamicSliceKernel(sizes: sizes))
        case .dynamicUpdateSlice: return BoundKernel(DynamicUpdateSliceKernel())
        case .whileLoop(let condition, let body): return BoundKernel(WhileKernel(condition: condition, body: body))
        case .conditional(let branches): return BoundKernel(ConditionalKernel(branches: branches))
        case .gather(let dimensions): return BoundKernel(GatherKernel(dimensions: dimensions))
        case .scatter(let dimensions, let combiner):
            return BoundKernel(ScatterKernel(dimensions: dimensions, combiner: combiner))
        case .reverse(let dimensions): return BoundKernel(ReverseKernel(dimensions: dimensions))
        case .optimizationBarrier: return BoundKernel(OptimizationBarrierKernel())
        case .sort(let dimension, _, let comparator):
            return BoundKernel(SortKernel(dimension: dimension, comparator: comparator))
        case .topK(let k, let largest, let comparator):
            return BoundKernel(TopKKernel(k: k, largest: largest, comparator: comparator))
        case .selectAndScatter(let window, let select, let scatter):
            return BoundKernel(SelectAndScatterKernel(window: window, select: select, scatter: scatter))
        case .map(let computation): return BoundKernel(MapKernel(computation: computation))
        case .multiplyHigh: return BoundKernel(MultiplyHighKernel())
        case .batchNorm(let config): return BoundKernel(BatchNormKernel(config: config))
        case .rngBitGenerator(let algorithm, let output):
            return BoundKernel(RngBitGeneratorKernel(algorithm: algorithm, output: output))
        }
    }
}

/// A node's kernel bound to one domain: its evaluation as a closure made
/// where both the kernel's type and the domain are known, so the call is
/// specialised (see ``KernelDispatch/bound(for:in:)``).
struct BoundKernel<D: RealDomain> {
    /// The kernel.
    let kernel: any NodeKernel
    /// The kernel's ``NodeKernel/evaluate(_:)`` in `D`.
    let evaluate: (NodeContext<D>) throws -> Value<D.Buffer>

    @inline(__always)
    init<K: NodeKernel>(_ kernel: K) {
        self.kernel = kernel
        evaluate = { try kernel.evaluate($0) }
    }
}

/// What a kernel's ``NodeKernel/plan(_:)`` sees: the node, its operands'
/// array types (nil for a tuple operand), its result array type (a tuple
/// result's first element) and the graph.
struct PlanContext {
    /// The node planned.
    let node: Node
    /// The array type of each operand, nil for a tuple.
    let operandTypes: [ArrayType?]
    /// The node's array type, or the first element's of a tuple result.
    let result: ArrayType
    /// The graph, for the node's called computations.
    let graph: Graph
}

/// What a runner keeps for one node besides its storage, made by the node's
/// kernel in ``NodeKernel/prepare(_:)``.
enum KernelState<D: RealDomain> {
    /// Nothing.
    case none
    /// Runners of called computations (a call's callee; a while's condition
    /// and body; a conditional's branches).
    case runners([ComputationRunner<D>])
    /// A general reducer or combiner (reduce, reduce-window, scatter).
    case reducer(GeneralReducerState<D>)
    /// A comparator (sort, topk).
    case comparator(ComparatorState<D>)
    /// Computations called on scalars (map; select-and-scatter's select and scatter).
    case scalarCalls([ScalarCallState<D>])
}

/// One node of a runner's computation, as its kernel sees it while preparing
/// and evaluating: the node, its plan, operand and result types, its storage
/// and prepared state, and the runner's values, with accessors that throw a
/// located ``EvaluationError`` instead of crashing.
///
/// A class made once per node with its runner, holding everything about the
/// node that does not change between runs: unspecialised generic code reaches
/// a class's fields through the instance, where a generic struct made per run
/// would look up its type metadata on every access.
final class NodeContext<D: RealDomain> {
    /// The runner the node belongs to. Unowned and unchecked: the runner owns
    /// its contexts and kernels use them only while the runner runs.
    unowned(unsafe) let runner: ComputationRunner<D>
    /// The node's index in the runner's computation.
    let index: Int
    /// The node.
    let node: Node
    /// The node's index plan.
    let plan: NodePlan
    /// The array type of each operand (nil for a tuple operand).
    private let operandArrayTypes: [ArrayType?]
    /// The array type of every operand, nil when one is a tuple.
    private let allArrayOperandTypes: [ArrayType]?
    /// The node's storage, when its kernel owns one (set by the runner).
    fileprivate(set) var ownedStorage: Value<D.Buffer>?
    /// What the kernel prepared for the node (set by the runner).
    fileprivate(set) var state: KernelState<D> = .none

    /// The context of node `index` of `runner`'s computation, with its plan.
    init(runner: ComputationRunner<D>, index: Int, plan: NodePlan) {
        self.runner = runner
        self.index = index
        self.plan = plan
        let computation = runner.computation
        node = computation.nodes[index]
        operandArrayTypes = node.operands.map { computation.nodes[$0].type.arrayType }
        let arrays = operandArrayTypes.compactMap { $0 }
        allArrayOperandTypes = arrays.count == operandArrayTypes.count ? arrays : nil
    }

    /// Sets up the node for `kernel`: allocates its storage when the kernel
    /// owns one, then lets the kernel prepare its state.
    func prepare(_ kernel: any NodeKernel) {
        if kernel.ownsStorage(self) { ownedStorage = runner.allocate(node.type) }
        state = kernel.prepare(self)
    }

    /// The runner's domain.
    var domain: D { runner.domain }

    /// The error for a plan, state or attribute the node lacks: a bug in
    /// fpaudit, reported with the node and op.
    func missing() -> EvaluationError {
        EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
    }

    /// The node's own storage.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when it has none.
    func storage() throws -> Value<D.Buffer> {
        guard let storage = ownedStorage else { throw missing() }
        return storage
    }

    /// The values of the node's operands in the current run.
    func operands() throws -> [Value<D.Buffer>] {
        let indices = node.operands
        var result: [Value<D.Buffer>] = []
        result.reserveCapacity(indices.count)
        for k in indices {
            guard let value = runner.values[k] else { throw missing() }
            result.append(value)
        }
        return result
    }

    /// The values of a two-operand node's operands, without building an array.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` unless the node has exactly two operands, both computed.
    func operandPair() throws -> (Value<D.Buffer>, Value<D.Buffer>) {
        guard node.operands.count == 2 else { throw missing() }
        return (try operand(0), try operand(1))
    }

    /// The values of a three-operand node's operands, without building an array.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` unless the node has exactly three operands, all computed.
    func operandTriple() throws -> (Value<D.Buffer>, Value<D.Buffer>, Value<D.Buffer>) {
        guard node.operands.count == 3 else { throw missing() }
        return (try operand(0), try operand(1), try operand(2))
    }

    /// The value of operand `k` in the current run.
    func operand(_ k: Int) throws -> Value<D.Buffer> {
        let operands = node.operands
        guard k < operands.count, let value = runner.values[operands[k]] else { throw missing() }
        return value
    }

    /// The array type of each operand (nil for a tuple operand).
    func operandTypes() -> [ArrayType?] { operandArrayTypes }

    /// The array type of every operand.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when an operand is a tuple.
    func arrayOperandTypes() throws -> [ArrayType] {
        guard let types = allArrayOperandTypes else { throw missing() }
        return types
    }

    /// The node's array type.
    /// - Throws: ``EvaluationError/missingPlan(node:op:)`` when the node produces a tuple.
    func resultType() throws -> ArrayType {
        guard let type = node.type.arrayType else { throw missing() }
        return type
    }

    /// A runner for the called computation `name`, sharing this runner's
    /// graph plan, domain, order and branch recorder; nil when the graph has
    /// no such computation.
    func calledRunner(_ name: String) -> ComputationRunner<D>? {
        guard let computation = runner.graph.computations[name] else { return nil }
        return ComputationRunner(
            graph: runner.graph, computation: computation, plan: runner.graphPlan, domain: runner.domain,
            order: runner.order, branches: runner.branches, observer: runner.observer)
    }

    /// Runners for the called computations `names`, or nil when one is missing.
    func calledRunners(_ names: [String]) -> [ComputationRunner<D>]? {
        var runners: [ComputationRunner<D>] = []
        for name in names {
            guard let runner = calledRunner(name) else { return nil }
            runners.append(runner)
        }
        return runners
    }
}
