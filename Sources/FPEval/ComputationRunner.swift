import FPGraph

/// Evaluates one computation in one domain: the op-agnostic machinery (node
/// values, storage, scratch, loop-state copying) and the one loop that asks
/// each node's ``NodeKernel`` for its value.
///
/// Owns a buffer per node that produces new data (allocated once, reused by
/// every run); nodes that only rename data (parameter, reshape, copy, tuple,
/// get-tuple-element, call and, where the domain does not round them,
/// converts) alias their operand. Each node's kernel says which it does.
final class ComputationRunner<D: RealDomain> {
    let graph: Graph
    let computation: Computation
    /// The plans of every computation of the graph (for called computations' runners).
    let graphPlan: GraphPlan
    let plans: [NodePlan]
    let domain: D
    let order: ReductionOrder
    let branches: BranchRecorder
    /// Called after each run of a computation other than the entry (shared by
    /// every runner of one interpreter).
    let observer: CalledRunObserver<D>
    /// The kernel of each node, bound to the domain.
    let kernels: [BoundKernel<D>]
    /// Each node as its kernel sees it, with the node's storage (nil for
    /// aliasing nodes) and prepared state.
    private(set) var contexts: [NodeContext<D>] = []

    /// Values of the current run.
    var values: [Value<D.Buffer>?]
    /// The parameter values of the current run.
    private(set) var arguments: [Value<D.Buffer>] = []
    /// Scratch for pairwise trees and dot products, per float dtype node.
    var scratch: [Int: D.Buffer] = [:]

    init(
        graph: Graph, computation: Computation, plan: GraphPlan, domain: D, order: ReductionOrder,
        branches: BranchRecorder, observer: CalledRunObserver<D>
    ) {
        self.graph = graph
        self.computation = computation
        self.graphPlan = plan
        // A plan of another graph leaves every node unplanned: the nodes that need one report it.
        self.plans = plan.plans[computation.name] ?? computation.nodes.map { _ in .none }
        self.domain = domain
        self.order = order
        self.branches = branches
        self.observer = observer
        kernels = computation.nodes.map { KernelDispatch.bound(for: $0.operation, in: D.self) }
        values = Array(repeating: nil, count: computation.nodes.count)
        contexts = computation.nodes.indices.map { NodeContext(runner: self, index: $0, plan: plans[$0]) }
        for i in computation.nodes.indices { contexts[i].prepare(kernels[i].kernel) }
    }

    func allocate(_ type: ValueType) -> Value<D.Buffer> {
        switch type {
        case .array(let a):
            if a.dtype.isFloatingPoint { return .real(domain.makeBuffer(count: a.elementCount)) }
            return .integer(IntegerBuffer(count: a.elementCount))
        case .tuple(let elements):
            return .tuple(elements.map(allocate))
        }
    }

    /// Runs the computation on the given parameter values and returns the root's value.
    /// - Throws: ``EvaluationError`` from a node's kernel (``EvaluationError/loopLimit(node:iterations:)``
    ///   when a while loop runs away).
    @_specialize(where D == IEEEDomain)
    @_specialize(where D == MPFRDomain)
    @_specialize(where D == IntervalDomain)
    @_specialize(where D == BallDomain)
    func run(_ parameters: [Value<D.Buffer>]) throws -> Value<D.Buffer> {
        arguments = parameters
        for i in kernels.indices {
            values[i] = try kernels[i].evaluate(contexts[i])
        }
        guard let root = values[computation.root] else {
            throw EvaluationError.missingPlan(node: computation.name, op: "root")
        }
        if let handler = observer.handler, computation.name != graph.entryName {
            try handler(CalledComputationRun(runner: self))
        }
        return root
    }

    /// Runs the computation as ``run(_:)`` does, reusing node values from
    /// `reuse`'s store: a node whose key is stored is copied from it instead
    /// of evaluated, the nodes only it needed are not evaluated at all (their
    /// values stay nil), and the nodes `reuse` keeps are stored after they are
    /// computed, while the domain says its values are reusable.
    @_specialize(where D == IEEEDomain)
    @_specialize(where D == IntervalDomain)
    @_specialize(where D == BallDomain)
    func run(_ parameters: [Value<D.Buffer>], reuse: NodeReuse<D>) throws -> Value<D.Buffer> {
        arguments = parameters
        let nodes = computation.nodes
        var needed = reuse.keep
        needed[computation.root] = true
        var found = [Value<D.Buffer>?](repeating: nil, count: nodes.count)
        for i in nodes.indices.reversed() where needed[i] {
            if nodes[i].operation.isStoredForReuse, let value = reuse.store.value(reuse.key(i)) {
                found[i] = value
                continue
            }
            for operand in nodes[i].operands { needed[operand] = true }
        }
        for i in kernels.indices {
            if !needed[i] {
                values[i] = nil
            } else if let stored = found[i] {
                let target = restoreTarget(i)
                copyValue(stored, into: target, type: nodes[i].type)
                values[i] = target
            } else {
                let value = try kernels[i].evaluate(contexts[i])
                values[i] = value
                if reuse.keep[i] && domain.reusable {
                    let copy = allocate(nodes[i].type)
                    copyValue(value, into: copy, type: nodes[i].type)
                    reuse.store.store(copy, elements: Self.elementCount(nodes[i].type), key: reuse.key(i))
                }
            }
        }
        guard let root = values[computation.root] else {
            throw EvaluationError.missingPlan(node: computation.name, op: "root")
        }
        return root
    }

    /// Buffers that hold the values of nodes copied from a store, one per node, made on first use.
    private var restored: [Int: Value<D.Buffer>] = [:]

    private func restoreTarget(_ node: Int) -> Value<D.Buffer> {
        if let target = restored[node] { return target }
        let target = allocate(computation.nodes[node].type)
        restored[node] = target
        return target
    }

    /// The elements of a value (a tuple's summed).
    static func elementCount(_ type: ValueType) -> Int {
        switch type {
        case .array(let a): return a.elementCount
        case .tuple(let parts): return parts.reduce(0) { $0 + elementCount($1) }
        }
    }

    /// Copies a loop body's result into the loop state. The result's elements may
    /// be the state's own buffers in other positions (a body that passes its
    /// parameters through, swapped, as JAX's threefry loop does with its rotation
    /// tables); those are copied aside first, so no element is overwritten
    /// before it has been read.
    func copyLoopState(_ result: Value<D.Buffer>, into state: Value<D.Buffer>, type: ValueType) {
        guard case .tuple(let sources) = result, case .tuple(let targets) = state,
            case .tuple(let types) = type
        else {
            copyValue(result, into: state, type: type)
            return
        }
        let targetBuffers = Set(targets.compactMap(Self.bufferIdentity))
        let staged = sources.enumerated().map { k, source -> Value<D.Buffer> in
            guard let id = Self.bufferIdentity(source), targetBuffers.contains(id),
                id != Self.bufferIdentity(targets[k])
            else { return source }
            let copy = allocate(types[k])
            copyValue(source, into: copy, type: types[k])
            return copy
        }
        for k in targets.indices { copyValue(staged[k], into: targets[k], type: types[k]) }
    }

    /// The identity of an array value's buffer (nil for a tuple).
    private static func bufferIdentity(_ value: Value<D.Buffer>) -> ObjectIdentifier? {
        switch value {
        case .real(let b): return ObjectIdentifier(b)
        case .integer(let b): return ObjectIdentifier(b)
        case .tuple: return nil
        }
    }

    /// Largest number of iterations a while loop may run.
    static var maxLoopIterations: Int { 1_000_000 }

    /// XLA's dynamic-slice start indices: each clamped to `0...dimension - size`
    /// (u64 starts read as unsigned).
    func clampedStarts(
        _ operands: ArraySlice<Value<D.Buffer>>, _ types: ArraySlice<ArrayType?>, dimensions: [Int], sizes: [Int]
    ) -> [Int] {
        zip(zip(operands, types), zip(dimensions, sizes)).map { operand, bounds in
            let start = Self.indexValues(operand.0.integer.values, operand.1?.dtype ?? .s64)[0]
            return Int(Swift.min(Swift.max(start, 0), Int64(bounds.0 - bounds.1)))
        }
    }

    /// Index values as signed numbers to clamp: u64 indices of 2^63 or more
    /// (stored as negative bit patterns) become `Int64.max`, so they clamp to the
    /// top as XLA's unsigned reading does, not to 0.
    static func indexValues(_ values: [Int64], _ dtype: DType) -> [Int64] {
        dtype == .u64 ? values.map { $0 < 0 ? Int64.max : $0 } : values
    }

    /// Copies every element of `source` into `target`; both have `type`.
    func copyValue(_ source: Value<D.Buffer>, into target: Value<D.Buffer>, type: ValueType) {
        switch (source, target, type) {
        case (.real(let a), .real(let b), .array(let t)):
            if a === b { return }
            for e in 0..<t.elementCount { domain.copyElement(from: a, e, to: b, e) }
        case (.integer(let a), .integer(let b), _):
            if a !== b { b.values = a.values }
        case (.tuple(let xs), .tuple(let ys), .tuple(let types)):
            for (k, t) in types.enumerated() { copyValue(xs[k], into: ys[k], type: t) }
        default:
            preconditionFailure("copy between values of different types")
        }
    }
}
