import FPGraph

/// Evaluates one computation in one domain. Owns a buffer per node that
/// produces new data (allocated once, reused by every run); nodes that only
/// rename data (parameter, reshape, copy, tuple, get-tuple-element, call and,
/// where the domain does not round them, converts) alias their operand.
final class ComputationRunner<D: RealDomain> {
    let graph: Graph
    let computation: Computation
    let plans: [NodePlan]
    let domain: D
    let order: ReductionOrder
    let branches: BranchRecorder

    /// Storage owned by each node (nil for aliasing nodes).
    private var owned: [Value<D.Buffer>?]
    /// Values of the current run.
    var values: [Value<D.Buffer>?]
    /// One runner per call site, and per general (non single-op) reducer.
    private var callees: [Int: ComputationRunner<D>] = [:]
    /// Condition and body of each while node; the branches of each conditional.
    private var loops: [Int: [ComputationRunner<D>]] = [:]
    private var reducerStates: [Int: GeneralReducerState<D>] = [:]
    /// The comparator of each sort node.
    var comparators: [Int: ComparatorState<D>] = [:]
    /// The called computations of select-and-scatter (select, scatter) and map nodes.
    var scalarCalls: [Int: [ScalarCallState<D>]] = [:]
    /// Scratch for pairwise trees and dot products, per float dtype node.
    var scratch: [Int: D.Buffer] = [:]

    init(
        graph: Graph, computation: Computation, plan: GraphPlan, domain: D, order: ReductionOrder,
        branches: BranchRecorder
    ) {
        self.graph = graph
        self.computation = computation
        self.plans = plan.plans[computation.name]!
        self.domain = domain
        self.order = order
        self.branches = branches
        owned = Array(repeating: nil, count: computation.nodes.count)
        values = Array(repeating: nil, count: computation.nodes.count)
        for (i, node) in computation.nodes.enumerated() {
            if ownsStorage(node) { owned[i] = allocate(node.type) }
            switch node.operation {
            case .constant(let literal):
                load(literal, into: owned[i]!, dtype: literal.type.dtype)
            case .iota:
                if case .iota(let indices) = plans[i] {
                    load(indices, into: owned[i]!, dtype: node.type.arrayType!.dtype)
                }
            case .call(let name):
                callees[i] = ComputationRunner(
                    graph: graph, computation: graph.computations[name]!, plan: plan,
                    domain: domain, order: order, branches: branches)
            case .whileLoop(let condition, let body):
                loops[i] = [condition, body].map {
                    ComputationRunner(
                        graph: graph, computation: graph.computations[$0]!, plan: plan,
                        domain: domain, order: order, branches: branches)
                }
            case .conditional(let names):
                loops[i] = names.map {
                    ComputationRunner(
                        graph: graph, computation: graph.computations[$0]!, plan: plan,
                        domain: domain, order: order, branches: branches)
                }
            case .reduceWindow(_, let reducerName):
                if case .window(_, _, let simple) = plans[i], simple == nil {
                    reducerStates[i] = GeneralReducerState(
                        runner: ComputationRunner(
                            graph: graph, computation: graph.computations[reducerName]!, plan: plan,
                            domain: domain, order: order, branches: branches),
                        inputCount: node.operands.count / 2)
                }
            case .sort(_, _, let comparatorName), .topK(_, _, let comparatorName?):
                comparators[i] = ComparatorState(
                    runner: ComputationRunner(
                        graph: graph, computation: graph.computations[comparatorName]!, plan: plan,
                        domain: domain, order: order, branches: branches))
            case .scatter(_, let combinerName):
                reducerStates[i] = GeneralReducerState(
                    runner: ComputationRunner(
                        graph: graph, computation: graph.computations[combinerName]!, plan: plan,
                        domain: domain, order: order, branches: branches),
                    inputCount: node.operands.count / 2)
            case .reduce(_, let reducerName):
                if case .reduce(_, _, let simple) = plans[i], simple == nil {
                    reducerStates[i] = GeneralReducerState(
                        runner: ComputationRunner(
                            graph: graph, computation: graph.computations[reducerName]!, plan: plan,
                            domain: domain, order: order, branches: branches),
                        inputCount: node.operands.count / 2)
                }
            case .selectAndScatter, .map:
                scalarCalls[i] = node.operation.calledComputations.map {
                    ScalarCallState(
                        runner: ComputationRunner(
                            graph: graph, computation: graph.computations[$0]!, plan: plan,
                            domain: domain, order: order, branches: branches))
                }
            case .parameter, .unary, .binary, .compare, .select, .clamp, .convert, .reducePrecision, .broadcast,
                .reshape, .transpose, .slice, .concatenate, .pad, .dot, .tuple, .getTupleElement, .bitcast,
                .dynamicSlice, .dynamicUpdateSlice, .gather, .reverse, .optimizationBarrier, .topK(_, _, nil),
                .bitcastConvert, .convolution, .multiplyHigh, .batchNorm, .rngBitGenerator:
                break  // nothing to prepare
            }
        }
        // Constants and iotas never change: their values are set once.
        for (i, node) in computation.nodes.enumerated() {
            if case .constant = node.operation { values[i] = owned[i] }
            if case .iota = node.operation { values[i] = owned[i] }
        }
    }

    /// Whether a node writes into storage of its own.
    private func ownsStorage(_ node: Node) -> Bool {
        switch node.operation {
        case .parameter, .reshape, .tuple, .getTupleElement, .call, .conditional, .optimizationBarrier:
            return false
        case .unary(.copy):
            return false
        case .convert:
            let source = computation.nodes[node.operands[0]].type.arrayType!.dtype
            let target = node.type.arrayType!.dtype
            return !(source.isFloatingPoint && target.isFloatingPoint && !domain.roundsConversions)
        case .reducePrecision:
            return domain.roundsConversions
        case .unary, .constant, .binary, .compare, .select, .clamp, .broadcast, .transpose, .slice, .concatenate, .pad,
            .iota, .reduce, .dot, .bitcast, .reduceWindow, .dynamicSlice, .dynamicUpdateSlice, .whileLoop, .gather,
            .scatter, .reverse, .sort, .topK, .bitcastConvert, .convolution, .selectAndScatter, .map, .multiplyHigh,
            .batchNorm, .rngBitGenerator:
            return true
        }
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

    private func load(_ literal: Tensor, into value: Value<D.Buffer>, dtype: DType) {
        switch (literal.elements, value) {
        case (.floats(let v), .real(let b)): domain.load(v, into: b)
        case (.integers(let v), .integer(let b)): b.values = v
        case (.integers(let v), .real(let b)): domain.loadIntegers(v, dtype: dtype, into: b)
        case (.floats(let v), .integer(let b)): b.values = v.map { Int64($0) }
        default: preconditionFailure("literal and storage disagree")
        }
    }

    private func load(_ indices: [Int64], into value: Value<D.Buffer>, dtype: DType) {
        switch value {
        case .real(let b): domain.loadIntegers(indices, dtype: dtype, into: b)
        case .integer(let b): b.values = indices.map(dtype.wrap)
        case .tuple: preconditionFailure("iota produces an array")
        }
    }

    /// Runs the computation on the given parameter values and returns the root's value.
    /// - Throws: ``EvaluationError/loopLimit(node:iterations:)`` when a while loop runs away.
    func run(_ parameters: [Value<D.Buffer>]) throws -> Value<D.Buffer> {
        let nodes = computation.nodes
        for i in nodes.indices {
            let node = nodes[i]
            switch node.operation {
            case .parameter(let index):
                values[i] = parameters[index]
            case .constant, .iota:
                break
            case .reshape, .unary(.copy), .optimizationBarrier:
                values[i] = values[node.operands[0]]
            case .tuple:
                values[i] = .tuple(node.operands.map { values[$0]! })
            case .getTupleElement(let index):
                values[i] = values[node.operands[0]]!.elements[index]
            case .call:
                values[i] = try callees[i]!.run(node.operands.map { values[$0]! })
            case .conditional(let names):
                let selector = values[node.operands[0]]!.integer.values[0]
                let isPred = computation.nodes[node.operands[0]].type.arrayType?.dtype == .pred
                let k =
                    isPred
                    ? (selector != 0 ? 0 : 1)
                    : (selector >= 0 && selector < Int64(names.count) ? Int(selector) : names.count - 1)
                values[i] = try loops[i]![k].run([values[node.operands[k + 1]]!])
            case .whileLoop:
                values[i] = try runLoop(i, node)
            default:
                if let storage = owned[i] {
                    try evaluate(i, node, into: storage)
                    values[i] = storage
                } else {
                    values[i] = values[node.operands[0]]  // an identity convert or reduce-precision
                }
            }
        }
        return values[computation.root]!
    }

    /// Computes a node that owns its storage.
    /// The loop state lives in the while node's own storage; the body's result
    /// is copied back into it after every iteration.
    private func runLoop(_ i: Int, _ node: Node) throws -> Value<D.Buffer> {
        let state = owned[i]!
        copyValue(values[node.operands[0]]!, into: state, type: node.type)
        let condition = loops[i]![0]
        let body = loops[i]![1]
        var iterations = 0
        while try condition.run([state]).integer.values[0] != 0 {
            iterations += 1
            if iterations > Self.maxLoopIterations {
                throw EvaluationError.loopLimit(node: node.name, iterations: Self.maxLoopIterations)
            }
            copyLoopState(try body.run([state]), into: state, type: node.type)
        }
        return state
    }

    /// Copies a loop body's result into the loop state. The result's elements may
    /// be the state's own buffers in other positions (a body that passes its
    /// parameters through, swapped, as JAX's threefry loop does with its rotation
    /// tables); those are copied aside first, so no element is overwritten
    /// before it has been read.
    private func copyLoopState(_ result: Value<D.Buffer>, into state: Value<D.Buffer>, type: ValueType) {
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

    private func evaluate(_ i: Int, _ node: Node, into storage: Value<D.Buffer>) throws {
        let operands = node.operands.map { values[$0]! }
        let operandTypes = node.operands.map { computation.nodes[$0].type.arrayType }
        switch node.operation {
        case .unary(let op):
            evaluateUnary(op, operands[0], operandTypes[0]!, into: storage, node.type.arrayType!)
        case .binary(let op):
            evaluateBinary(op, operands, operandTypes.map { $0! }, into: storage, node.type.arrayType!)
        case .compare(let direction, let totalOrder):
            evaluateCompare(
                direction, totalOrder: totalOrder, operands, operandTypes.map { $0! }, into: storage.integer,
                count: node.type.arrayType!.elementCount)
        case .select:
            evaluateSelect(operands, operandTypes.map { $0! }, into: storage, count: node.type.arrayType!.elementCount)
        case .clamp:
            evaluateClamp(operands, operandTypes.map { $0! }, into: storage, node.type.arrayType!)
        case .convert:
            evaluateConvert(operands[0], from: operandTypes[0]!, into: storage, node.type.arrayType!)
        case .reducePrecision(let e, let m):
            domain.reducePrecision(
                operands[0].real, exponentBits: e, mantissaBits: m, into: storage.real,
                count: node.type.arrayType!.elementCount)
        case .broadcast, .transpose, .slice, .bitcast, .reverse:
            guard case .gather(let source) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            gather(operands[0], source, into: storage)
        case .concatenate:
            guard case .scatter(let destinations) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            for (k, operand) in operands.enumerated() { scatter(operand, destinations[k], into: storage) }
        case .pad:
            guard case .pad(let destinations) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            let count = node.type.arrayType!.elementCount
            gather(operands[1], [Int](repeating: 0, count: count), into: storage)
            scatter(operands[0], destinations, into: storage)
        case .reduce:
            guard case .reduce(let bases, let offsets, let simple) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            if let simple {
                reduceSimple(
                    i, simple, operands[0], operands[1], bases: bases, offsets: offsets, into: storage,
                    dtype: node.type.arrayType!.dtype)
            } else {
                try reducerStates[i]!.reduce(operands, outputs: bases.count, into: storage, runner: self) { o in
                    offsets.map { bases[o] + $0 }
                }
            }
        case .dynamicSlice(let sizes):
            let x = operandTypes[0]!
            let starts = clampedStarts(operands[1...], operandTypes[1...], dimensions: x.dimensions, sizes: sizes)
            let strides = x.strides
            var source: [Int] = []
            source.reserveCapacity(node.type.arrayType!.elementCount)
            forEachIndex(sizes) { index in
                source.append(index.indices.reduce(0) { $0 + (starts[$1] + index[$1]) * strides[$1] })
            }
            gather(operands[0], source, into: storage)
        case .dynamicUpdateSlice:
            let x = operandTypes[0]!
            let update = operandTypes[1]!
            let starts = clampedStarts(
                operands[2...], operandTypes[2...], dimensions: x.dimensions, sizes: update.dimensions)
            copyValue(operands[0], into: storage, type: node.type)
            let strides = x.strides
            var destinations: [Int] = []
            destinations.reserveCapacity(update.elementCount)
            forEachIndex(update.dimensions) { index in
                destinations.append(index.indices.reduce(0) { $0 + (starts[$1] + index[$1]) * strides[$1] })
            }
            scatter(operands[1], destinations, into: storage)
        case .reduceWindow:
            guard case .window(let indices, let size, let simple) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            let outputs = size == 0 ? 0 : indices.count / size
            if let simple {
                reduceWindowSimple(
                    simple, operands[0], operands[1], indices: indices, windowSize: size, into: storage,
                    dtype: (node.type.arrayType ?? node.type.tupleElements![0].arrayType!).dtype)
            } else {
                try reducerStates[i]!.reduce(operands, outputs: outputs, into: storage, runner: self) { o in
                    Array(indices[(o * size)..<((o + 1) * size)])
                }
            }
        case .dot:
            guard case .dot(let lb, let rb, let lo, let ro) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            dot(
                i, operands[0], operands[1], lhsBases: lb, rhsBases: rb, lhsOffsets: lo, rhsOffsets: ro,
                into: storage, dtype: node.type.arrayType!.dtype)
        case .convolution:
            guard case .convolution(let terms) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            convolve(i, operands[0], operands[1], terms, into: storage, dtype: node.type.arrayType!.dtype)
        case .gather(let numbers):
            let (x, indices) = (operandTypes[0]!, operandTypes[1]!)
            let source = numbers.sourcePositions(
                operand: x, indices: indices, indexValues: Self.indexValues(operands[1].integer.values, indices.dtype),
                result: node.type.arrayType!.dimensions)
            gather(operands[0], source, into: storage)
        case .bitcastConvert:
            evaluateBitcastConvert(
                operands[0], from: operandTypes[0]!.dtype, into: storage, to: node.type.arrayType!.dtype,
                count: node.type.arrayType!.elementCount)
        case .sort(let dimension, _, _):
            try evaluateSort(i, operands, operandTypes.map { $0! }, dimension: dimension, into: storage)
        case .topK(let k, let largest, _):
            try evaluateTopK(i, operands[0], operandTypes[0]!, k: k, largest: largest, into: storage)
        case .rngBitGenerator(let algorithm, let output):
            try evaluateRandomBits(node.name, algorithm, operands[0], output: output, into: storage)
        case .scatter(let numbers, _):
            let n = operands.count / 2
            let outputs = n == 1 ? [storage] : storage.elements
            for k in 0..<n { copyValue(operands[k], into: outputs[k], type: .array(operandTypes[k]!)) }
            let targets = numbers.targetPositions(
                operand: operandTypes[0]!, indices: operandTypes[n]!,
                indexValues: Self.indexValues(operands[n].integer.values, operandTypes[n]!.dtype),
                updates: operandTypes[n + 1]!)
            try reducerStates[i]!.combine(
                Array(operands[(n + 1)...]), targets: targets, into: outputs, runner: self)
        case .selectAndScatter:
            guard case .window(let indices, let size, _) = plans[i] else {
                throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
            }
            try evaluateSelectAndScatter(i, operands, indices: indices, windowSize: size, into: storage)
        case .map:
            try evaluateMap(i, operands, into: storage, count: node.type.arrayType!.elementCount)
        case .multiplyHigh:
            evaluateMultiplyHigh(operands, operandTypes.map { $0! }, into: storage, node.type.arrayType!)
        case .batchNorm(let config):
            evaluateBatchNorm(i, config, operands, operandTypes[0]!, into: storage)
        case .parameter, .constant, .iota, .reshape, .tuple, .getTupleElement, .call, .whileLoop, .conditional,
            .optimizationBarrier:
            throw EvaluationError.missingPlan(node: node.name, op: node.operation.opcodeName)
        }
    }
}
