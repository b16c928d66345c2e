import FPGraph
import FPNumerics

/// Evaluates a graph in one number domain.
///
/// Create one interpreter per thread: it owns its buffers and reuses them for
/// every call of ``run(_:)``, so the steady state allocates no number storage.
/// The ``GraphPlan`` is immutable and can be shared between interpreters.
public final class Interpreter<D: RealDomain> {
    /// The graph evaluated.
    public let graph: Graph
    /// The number domain every float operation runs in.
    public let domain: D
    /// The order in which `reduce` and `dot` combine their terms.
    public let reductionOrder: ReductionOrder
    private let runner: ComputationRunner<D>
    private let branches = BranchRecorder()
    private let observer = CalledRunObserver<D>()
    private var inputs: [Value<D.Buffer>]
    private(set) var outputs: [Value<D.Buffer>] = []

    /// Creates an interpreter and allocates its input buffers.
    /// - Parameter plan: the plan of this same `graph`; it can be shared with other
    ///   interpreters of the graph.
    public init(graph: Graph, plan: GraphPlan, domain: D, reductionOrder: ReductionOrder = .sequential) {
        self.graph = graph
        self.domain = domain
        self.reductionOrder = reductionOrder
        let runner = ComputationRunner(
            graph: graph, computation: graph.entry, plan: plan, domain: domain,
            order: reductionOrder, branches: branches, observer: observer)
        self.runner = runner
        inputs = graph.parameters.map { runner.allocate(.array($0.type)) }
    }

    /// Convenience: plans the graph itself.
    public convenience init(graph: Graph, domain: D, reductionOrder: ReductionOrder = .sequential) {
        self.init(graph: graph, plan: GraphPlan(graph: graph), domain: domain, reductionOrder: reductionOrder)
    }

    /// Evaluates the graph on one set of inputs (one per parameter, in order),
    /// with node values found in `reuse`'s store copied instead of computed
    /// and the nodes it keeps stored (``ComputationRunner/run(_:reuse:)``).
    /// After a run with reuse, ``nodeData(_:format:)`` is nil for the nodes
    /// the run did not need.
    /// - Throws: ``EvaluationError`` when the inputs do not fit the parameters.
    public func run(_ values: [Tensor.Elements], reuse: NodeReuse<D>? = nil) throws {
        guard values.count == graph.parameters.count else {
            throw EvaluationError.inputCount(expected: graph.parameters.count, got: values.count)
        }
        for (k, parameter) in graph.parameters.enumerated() {
            let data = values[k]
            guard data.count == parameter.type.elementCount else {
                throw EvaluationError.inputMismatch(
                    parameter: parameter.name,
                    message: "has \(data.count) elements, \(parameter.type) needs \(parameter.type.elementCount)")
            }
            switch (data, inputs[k]) {
            case (.floats(let v), .real(let b)): domain.load(v, into: b)
            case (.integers(let v), .integer(let b)): b.values = v.map(parameter.type.dtype.wrap)
            default:
                throw EvaluationError.inputMismatch(
                    parameter: parameter.name,
                    message: "float data given for \(parameter.type.dtype.rawValue) (or the reverse)")
            }
        }
        branches.reset()
        let root = try reuse.map { try runner.run(inputs, reuse: $0) } ?? runner.run(inputs)
        if case .tuple(let elements) = root, graph.entry.resultType.tupleElements != nil {
            outputs = elements
        } else {
            outputs = [root]
        }
    }

    /// Calls `handler` after every run of a called computation in later
    /// ``run(_:reuse:)`` calls (each iteration of a loop body, each fusion
    /// call, each term of a general reducer), with the computation's node
    /// values of that run; nil stops observing. An error the handler throws
    /// ends the run.
    public func observeCalledComputations(_ handler: ((CalledComputationRun<D>) throws -> Void)?) {
        observer.handler = handler
    }

    /// A digest of the outcomes of every float comparison in the last run.
    public var branchDigest: UInt64 { branches.digest }

    /// The number of float comparisons made in the last run.
    public var comparisonCount: Int { branches.comparisons }

    /// Output `k`, element `i` of the last run, correctly rounded to `format`
    /// (float outputs only).
    public func output(_ k: Int, _ i: Int, roundedTo format: FloatFormat) -> Double {
        domain.rounded(outputs[k].real, i, to: format)
    }

    /// Output `k`, element `i` of the last run, rounded to nearest into a Double
    /// (float outputs), or converted exactly (integer outputs).
    public func outputDouble(_ k: Int, _ i: Int) -> Double {
        switch outputs[k] {
        case .real(let b): return domain.double(b, i)
        case .integer(let b):
            let v = b.values[i]
            return graph.outputs[k].type.dtype == .u64 ? Double(UInt64(bitPattern: v)) : Double(v)
        case .tuple: preconditionFailure("outputs are arrays")
        }
    }

    /// Every element of output `k` of the last run as ``outputDouble(_:_:)``
    /// reads it, in one call (a call per element paid a generic-metadata
    /// lookup each, a tenth of a small graph's sample).
    public func outputDoubles(_ k: Int) -> [Double] {
        let count = graph.outputs[k].type.elementCount
        switch outputs[k] {
        case .real(let b): return (0..<count).map { domain.double(b, $0) }
        case .integer: return (0..<count).map { outputDouble(k, $0) }
        case .tuple: preconditionFailure("outputs are arrays")
        }
    }

    /// Output `k`, element `i` of the last run as text in the domain's own
    /// precision (`digits` significant decimal digits for MPFR), or nil when
    /// the domain keeps nothing beyond a Double, or the output is an integer.
    public func outputDecimal(_ k: Int, _ i: Int, digits: Int) -> String? {
        guard case .real(let b) = outputs[k] else { return nil }
        return domain.decimal(b, i, digits: digits)
    }

    /// All outputs of the last run: floats rounded to each output's dtype,
    /// integers exact.
    public func outputValues() -> [Tensor.Elements] {
        graph.outputs.enumerated().map { k, output in
            switch outputs[k] {
            case .real(let b):
                let format = FloatFormat(dtype: output.type.dtype)
                return .floats((0..<output.type.elementCount).map { domain.rounded(b, $0, to: format) })
            case .integer(let b):
                return .integers(b.values)
            case .tuple:
                preconditionFailure("outputs are arrays")
            }
        }
    }
}

extension FloatFormat {
    /// The float format of a floating-point dtype (f64 for any other dtype).
    public init(dtype: DType) {
        switch dtype {
        case .f16: self = .f16
        case .bf16: self = .bf16
        case .f32: self = .f32
        case .f8e4m3fn: self = .f8e4m3fn
        case .f8e5m2: self = .f8e5m2
        case .f8e4m3: self = .f8e4m3
        case .f8e3m4: self = .f8e3m4
        case .f8e4m3fnuz: self = .f8e4m3fnuz
        case .f8e5m2fnuz: self = .f8e5m2fnuz
        case .f8e4m3b11fnuz: self = .f8e4m3b11fnuz
        default: self = .f64
        }
    }
}

extension Interpreter {
    /// The value of entry node `node` in the last run: floats rounded to
    /// `format(dtype)`, integers exact; nil for tuples and for nodes the last
    /// run did not reach.
    public func nodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        runner.nodeData(node, format: format)
    }

    /// The runner of the entry computation (its node values are the last run's).
    var entryRunner: ComputationRunner<D> { runner }
}

extension Interpreter where D == IntervalDomain {
    /// The bounds of float output `k`, element `i` of the last run (nil for an integer output).
    public func outputBounds(_ k: Int, _ i: Int) -> (lo: Double, hi: Double)? {
        guard case .real(let b) = outputs[k] else { return nil }
        return b[i]
    }
}
