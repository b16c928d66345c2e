import FPEval
import FPGraph
import FPNumerics

import class Foundation.NSLock

/// The local error of one node: how much accuracy the node's own operation
/// loses when it is given exactly rounded operands.
public struct NodeError: Sendable, Equatable {
    /// The node's name.
    public var node: String
    /// The node's opcode name, as in our JSON format.
    public var op: String
    /// Where the node is written in its graph file; nil when unknown.
    public var location: SourceLocation?
    /// The called computation the node lives in (a fusion, a loop body, a
    /// conditional's branch, a general reducer); nil for the entry computation.
    public var computation: String?
    /// For a node of a called computation: the run of it (counted from 0 in
    /// the sample, e.g. the loop iteration) where its local error was largest.
    public var invocation: Int?
    /// For a node of a called computation: how many times it ran in that sample.
    public var invocations: Int?
    /// The source-level name, when the graph's metadata has one (e.g. XLA `op_name`).
    public var sourceName: String?
    /// The user's source line the node came from (`file:line`), when the metadata says.
    public var sourceLine: String?
    /// Largest local error over the node's elements, in bits of its dtype (f64 in double mode).
    public var bits: Double
    /// Largest local error over the node's elements, in ulps of its dtype (f64 in
    /// double mode).
    public var ulps: Double
    /// Why the node loses what it loses, at its worst element; nil when it loses nothing.
    public var cause: ErrorCause?
    /// The node's local error over every localised sample (``Hotspots``), not
    /// only the one whose ``bits`` and ``cause`` these are; nil when only one
    /// sample was localised.
    public var spread: LocalErrorSpread?

    /// The exact evaluation that settles ``cause`` (operand rounding or the
    /// implementation's error), left for the sample reports describe.
    var pendingCheck: FunctionCheck?

    /// ``cause`` with its pending check settled.
    mutating func settleCause() {
        guard let check = pendingCheck else { return }
        cause = CauseClassifier.settle(check)
        pendingCheck = nil
    }

    /// The node's name, prefixed by its computation's for a node of a called
    /// computation (`body.3/add.7`): unique in the graph.
    public var qualifiedName: String { computation.map { "\($0)/\(node)" } ?? node }

    /// Where a node of a called computation runs, for reports:
    /// `fused_computation.8`, or `body.3, run 12 of 40` for a computation that
    /// ran more than once in the sample; nil for a node of the entry.
    public var runsIn: String? {
        guard let computation else { return nil }
        guard let invocation, let invocations, invocations > 1 else { return computation }
        return "\(computation), run \(invocation) of \(invocations)"
    }

    /// The node's name with where it runs: `add.7`, `add.7 in fused_computation.8`.
    public var displayName: String { runsIn.map { "\(node) in \($0)" } ?? node }

    /// The largest local error over the localised samples, in bits.
    public var maxBits: Double { spread?.maxBits ?? bits }
    /// The mean over the localised samples of the node's local error, in bits.
    public var meanBits: Double { spread?.meanBits ?? bits }
}

/// A node's local error over several samples: how it is distributed, as
/// Herbie's localisation describes a whole run rather than one input.
public struct LocalErrorSpread: Sendable, Equatable {
    /// The samples localised (each contributes the node's largest local error over its elements).
    public var samples: Int
    /// The largest of them, in bits.
    public var maxBits: Double
    /// Their mean, in bits.
    public var meanBits: Double
    /// The sample where the node's local error was largest.
    public var worstSample: Int

    /// Creates a spread from its figures.
    public init(samples: Int, maxBits: Double, meanBits: Double, worstSample: Int) {
        self.samples = samples
        self.maxBits = maxBits
        self.meanBits = meanBits
        self.worstSample = worstSample
    }
}

/// Finds the nodes that lose accuracy, as Herbie localises error: each node's
/// operation is evaluated in the measured IEEE semantics on its operands' TRUE
/// values (rounded to the operands' dtypes) and compared with the node's own
/// true value rounded to its dtype. Only the nodes whose op is a local-error
/// site (``FPGraph/Operation/isLocalErrorSite``, answered by the op's rule in
/// FPGraph) are measured: nodes that only move data are exact and skipped;
/// converts are kept, since a narrowing convert is exactly where a bf16 round
/// trip loses its bits.
///
/// The nodes of called computations are measured too, at every run of them
/// (``watchedComputations(_:)``): a loop body at each iteration, a fusion at
/// each call, a conditional's branch when taken, a general reducer at each
/// term (at most ``invocationMeasured(_:)`` of them). Each such node reports
/// its largest local error over the runs, with the run it came from.
struct Localizer: @unchecked Sendable {
    let graph: Graph
    let exec: ExecutionMode
    let order: ReductionOrder
    let subnormals: SubnormalMode
    /// The graph's plan, for its truth evaluations.
    let plan: GraphPlan
    /// The entry computation's measured nodes (``Site``), by position. Made
    /// once, used at every sample localised.
    private let sites: [Int: Site]
    /// The called computations whose own nodes are measured, by name.
    private let bodies: [String: Body]
    /// Interpreters kept between the samples this localizer measures.
    private let pool = InterpreterPool()

    /// One measured node: the node measured (a batch norm for its tuple's
    /// elements), the output of it read, and its one-node graph with that
    /// graph's plan.
    struct Site {
        let measured: Node
        let output: Int
        let single: Graph
        let plan: GraphPlan
    }

    /// A called computation whose nodes are measured at each of its runs.
    struct Body {
        let computation: Computation
        let sites: [Int: Site]
    }

    init(graph: Graph, exec: ExecutionMode, order: ReductionOrder, subnormals: SubnormalMode) {
        self.graph = graph
        self.exec = exec
        self.order = order
        self.subnormals = subnormals
        plan = GraphPlan(graph: graph)
        sites = Self.sites(of: graph.entry, in: graph)
        var bodies: [String: Body] = [:]
        for name in Self.watchedComputations(graph) {
            guard let computation = graph.computations[name] else { continue }
            let sites = Self.sites(of: computation, in: graph)
            if !sites.isEmpty { bodies[name] = Body(computation: computation, sites: sites) }
        }
        self.bodies = bodies
        let shape = SumShape(graph: graph)
        hasSums = graph.entry.nodes.indices.contains { shape.isSum($0) }
    }

    /// Whether the entry computation has a sum (``SumProfile``): only then is
    /// the graph run in IEEE semantics for its profile.
    private let hasSums: Bool

    /// A sample's local errors with the graph's sums there (``SumProfile``).
    struct Localization: Sendable {
        var errors: [NodeError]
        var sums: SumProfile
    }

    /// The measured nodes of `computation`, by position.
    private static func sites(of computation: Computation, in graph: Graph) -> [Int: Site] {
        var sites: [Int: Site] = [:]
        let nodes = computation.nodes
        for (i, node) in nodes.enumerated() {
            let (measured, output) = Self.batchNormElement(node, in: nodes) ?? (node, 0)
            guard measured.operation.isLocalErrorSite, let type = node.type.arrayType, type.dtype.isFloatingPoint,
                let single = Self.singleNodeGraph(measured, operands: measured.operands.map { nodes[$0] }, in: graph)
            else { continue }
            sites[i] = Site(measured: measured, output: output, single: single, plan: GraphPlan(graph: single))
        }
        return sites
    }

    /// The called computations whose nodes are measured: every computation
    /// the entry reaches through calls, loops, conditionals, reducers,
    /// comparators and maps, except those read at the node that calls them: a
    /// reducer (or comparator) that is one binary op on its two parameters,
    /// whose error the calling `reduce` describes term by term, and a `call`ed
    /// computation that is one op on its parameters, which the `call` node is
    /// read as (``CauseClassifier``).
    static func watchedComputations(_ graph: Graph) -> [String] {
        var watched: [String] = []
        var seen: Set<String> = [graph.entryName]
        var pending: [(caller: Operation, name: String)] = graph.entry.nodes.flatMap { node in
            node.operation.calledComputations.map { (node.operation, $0) }
        }
        while let (caller, name) = pending.popLast() {
            guard !seen.contains(name), let computation = graph.computations[name] else { continue }
            seen.insert(name)
            let readAtCaller: Bool
            switch caller {
            case .call: readAtCaller = computation.rootParameterPositions != nil
            case .whileLoop, .conditional: readAtCaller = false
            default: readAtCaller = computation.simpleBinaryReducer != nil
            }
            if !readAtCaller { watched.append(name) }
            pending += computation.nodes.flatMap { node in
                node.operation.calledComputations.map { (node.operation, $0) }
            }
        }
        return watched.sorted()
    }

    /// Whether the `n`-th run (from 0) of a called computation in one sample
    /// is measured: every one of the first 256, then 128 per doubling of the
    /// count (every 2nd up to 512, every 4th up to 1024, ...), so a reducer
    /// applied a million times is measured at under 2,000 of its terms.
    static func invocationMeasured(_ n: Int) -> Bool {
        guard n >= 256 else { return true }
        let width = Int.bitWidth - n.leadingZeroBitCount
        return n % (1 << (width - 8)) == 0
    }

    /// What a truth evaluation says about one node's value.
    enum NodeTruth {
        /// The node's value, rounded to the measured formats.
        case known(Tensor.Elements)
        /// No value (a tuple, or a node the run did not reach).
        case unavailable
        /// An enclosure that does not decide the rounding of some element.
        case undecided
    }

    /// Local errors with every cause settled (see ``NodeError/settleCause()``).
    static func settled(_ errors: [NodeError]) -> [NodeError] {
        errors.map { e in
            var e = e
            e.settleCause()
            return e
        }
    }

    /// The format each dtype's local error is measured in.
    var measuring: (DType) -> FloatFormat { { [exec] in ErrorUnit(dtype: $0, exec: exec).format ?? .f64 } }

    /// Local errors of every measured node, worst first, from the truth the
    /// interpreter computed in its last run on `inputs` (run again, observed,
    /// when called computations are measured).
    func localize(_ inputs: [Tensor.Elements], truth: Interpreter<MPFRDomain>) throws -> [NodeError] {
        try localization(inputs, truth: truth).errors
    }

    /// ``localize(_:truth:)`` with the graph's sums.
    func localization(_ inputs: [Tensor.Elements], truth: Interpreter<MPFRDomain>) throws -> Localization {
        let format = measuring
        let inner = try localizeBodies(inputs, truth) { run, node in
            run.nodeData(node, format: format).map { .known($0) } ?? .unavailable
        }
        let entryTruth: (Int) -> NodeTruth = {
            truth.nodeData($0, format: format).map { .known($0) } ?? .unavailable
        }
        let entry = try localize(entry: entryTruth)
        return Localization(
            errors: Self.worstFirst((entry ?? []) + (inner ?? [])), sums: try sums(inputs, truth: entryTruth))
    }

    /// Local errors from an enclosure's evaluation of the graph on `inputs`
    /// (one run, which also measures the called computations' nodes), with
    /// the graph's sums; nil when the enclosure does not decide the rounding
    /// of every value the local errors need (then MPFR must give them).
    func localization<D: EnclosureDomain>(_ inputs: [Tensor.Elements], enclosure domain: D) throws -> Localization? {
        let format = measuring
        let enclosure = Interpreter(graph: graph, plan: plan, domain: domain)
        let runs =
            bodies.isEmpty
            ? nil
            : observeBodies(enclosure) { run, node in
                guard run.nodeData(node, format: format) != nil else { return .unavailable }
                return run.decidedNodeData(node, format: format).map { .known($0) } ?? .undecided
            }
        try enclosure.run(inputs)
        enclosure.observeCalledComputations(nil)
        guard !domain.undecided else { return nil }
        let entryTruth: (Int) -> NodeTruth = { node in
            guard enclosure.nodeData(node, format: format) != nil else { return .unavailable }
            return enclosure.decidedNodeData(node, format: format).map { .known($0) } ?? .undecided
        }
        guard let entry = try localize(entry: entryTruth), let inner = runs.map(\.errors) ?? [] else { return nil }
        return Localization(errors: Self.worstFirst(entry + inner), sums: try sums(inputs, truth: entryTruth))
    }

    /// The graph's sums at `inputs` (``SumProfile``): their true values from
    /// `truth` (an undecided one is left out), their computed values from one
    /// run of the whole graph in the measured IEEE semantics. Empty without sums.
    private func sums(_ inputs: [Tensor.Elements], truth: (Int) -> NodeTruth) throws -> SumProfile {
        guard hasSums else { return SumProfile() }
        let ieee =
            pool.takeWholeGraph()
            ?? Interpreter(
                graph: graph, plan: plan, domain: IEEEDomain(mode: exec, subnormals: subnormals),
                reductionOrder: order)
        defer { pool.give(wholeGraph: ieee) }
        try ieee.run(inputs)
        return SumProfile(
            graph: graph,
            truth: { i in
                if case .known(let v) = truth(i) { return v }
                return nil
            }, computed: { ieee.nodeData($0, format: measuring) }, measuring: measuring)
    }

    /// The entry computation's local errors; nil when some needed value is undecided.
    private func localize(entry truth: (Int) -> NodeTruth) throws -> [NodeError]? {
        let classifier = CauseClassifier(graph: graph, exec: exec, subnormals: subnormals)
        let interpreters = pool.takeSites()
        defer { pool.give(sites: interpreters) }
        return try measure(graph.entry.nodes, sites, classifier: classifier, truth: truth, interpreters: interpreters)
    }

    /// The local errors of the watched computations' nodes over every measured
    /// run of them, from a run of `interpreter` on `inputs` with an observer
    /// (the interpreter's values are the same afterwards); nil when some
    /// needed value is undecided.
    private func localizeBodies<D: RealDomain>(
        _ inputs: [Tensor.Elements], _ interpreter: Interpreter<D>,
        _ truth: @escaping (CalledComputationRun<D>, Int) -> NodeTruth
    ) throws -> [NodeError]? {
        guard !bodies.isEmpty else { return [] }
        let runs = observeBodies(interpreter, truth)
        defer { interpreter.observeCalledComputations(nil) }
        try interpreter.run(inputs)
        return runs.errors
    }

    /// Starts measuring the watched computations' nodes at each run of them
    /// in `interpreter`'s next runs (until its observer is cleared).
    private func observeBodies<D: RealDomain>(
        _ interpreter: Interpreter<D>, _ truth: @escaping (CalledComputationRun<D>, Int) -> NodeTruth
    ) -> BodyRuns {
        let runs = BodyRuns()
        let classifiers = bodies.mapValues { body in
            CauseClassifier(graph: graph, exec: exec, subnormals: subnormals, scope: body.computation)
        }
        let interpreters = bodies.mapValues { _ in SiteInterpreters() }
        interpreter.observeCalledComputations { run in
            let name = run.computation.name
            guard !runs.undecided, let body = self.bodies[name], let classifier = classifiers[name] else { return }
            let n = runs.count[name, default: 0]
            runs.count[name] = n + 1
            guard Self.invocationMeasured(n) else { return }
            guard
                let errors = try self.measure(
                    body.computation.nodes, body.sites, classifier: classifier, truth: { truth(run, $0) },
                    interpreters: interpreters[name])
            else {
                runs.undecided = true
                return
            }
            for var e in errors {
                e.computation = name
                e.invocation = n
                let key = e.qualifiedName
                if let known = runs.worst[key], known.bits >= e.bits { continue }
                runs.worst[key] = e
            }
        }
        return runs
    }

    /// The one-node interpreters of one computation's sites, by node position.
    private final class SiteInterpreters {
        var byNode: [Int: Interpreter<IEEEDomain>] = [:]
    }

    /// The IEEE interpreters a localizer runs at every sample it measures
    /// (the entry's one-node interpreters, the whole graph for its sums),
    /// made once and run again: making one costs more than running it on a
    /// small graph. The threads localising samples at once each take their
    /// own out of the pool and put them back when done.
    private final class InterpreterPool: @unchecked Sendable {
        private let lock = NSLock()
        private var sites: [SiteInterpreters] = []
        private var wholeGraphs: [Interpreter<IEEEDomain>] = []

        func takeSites() -> SiteInterpreters { lock.withLock { sites.popLast() } ?? SiteInterpreters() }
        func give(sites set: SiteInterpreters) { lock.withLock { sites.append(set) } }
        func takeWholeGraph() -> Interpreter<IEEEDomain>? { lock.withLock { wholeGraphs.popLast() } }
        func give(wholeGraph interpreter: Interpreter<IEEEDomain>) { lock.withLock { wholeGraphs.append(interpreter) } }
    }

    /// What the observer of called computations collects over one run.
    private final class BodyRuns {
        /// Runs of each computation so far.
        var count: [String: Int] = [:]
        /// Each node's worst run, by qualified name.
        var worst: [String: NodeError] = [:]
        /// Set when some needed value was undecided.
        var undecided = false

        /// Each node at its worst run, with its computation's run count; nil when undecided.
        var errors: [NodeError]? {
            guard !undecided else { return nil }
            return worst.values.map { e in
                var e = e
                e.invocations = e.computation.flatMap { count[$0] }
                return e
            }
        }
    }

    /// Worst first (by bits, then by name).
    private static func worstFirst(_ errors: [NodeError]) -> [NodeError] {
        errors.sorted { ($0.bits, $1.qualifiedName) > ($1.bits, $0.qualifiedName) }
    }

    /// The local errors of `sites` (positions in `nodes`), from the truth of
    /// each node; nil when some needed value is undecided.
    /// - Parameter interpreters: each site's one-node interpreter, kept
    ///   between calls for a computation measured at many runs (a loop body);
    ///   nil makes them afresh.
    private func measure(
        _ nodes: [Node], _ sites: [Int: Site], classifier: CauseClassifier, truth truthOf: (Int) -> NodeTruth,
        interpreters: SiteInterpreters? = nil
    ) throws -> [NodeError]? {
        // Each node's truth is read once: a value feeds several consumers.
        var read: [Int: NodeTruth] = [:]
        func truth(_ i: Int) -> NodeTruth {
            if let known = read[i] { return known }
            let value = truthOf(i)
            read[i] = value
            return value
        }
        var errors: [NodeError] = []
        for (i, node) in nodes.enumerated() {
            // An element of a batch norm's tuple is measured as that op's output k.
            guard let site = sites[i], let type = node.type.arrayType else { continue }
            let (measured, output) = (site.measured, site.output)
            let exact: Tensor.Elements
            switch truth(i) {
            case .known(let v): exact = v
            case .unavailable: continue
            case .undecided: return nil
            }
            guard case .floats(let want) = exact else { continue }
            var operandData: [Tensor.Elements?] = []
            for operand in measured.operands {
                switch truth(operand) {
                case .known(let v): operandData.append(v)
                case .unavailable: operandData.append(nil)
                case .undecided: return nil
                }
            }
            guard operandData.allSatisfy({ $0 != nil }) else { continue }
            let interpreter =
                interpreters?.byNode[i]
                ?? Interpreter(
                    graph: site.single, plan: site.plan, domain: IEEEDomain(mode: exec, subnormals: subnormals),
                    reductionOrder: order)
            interpreters?.byNode[i] = interpreter
            try interpreter.run(operandData.map { $0! })
            let format = measuring(type.dtype)
            var worst = 0.0
            var worstElement = (index: 0, got: 0.0)
            for (e, t) in want.enumerated() {
                let got = format.round(interpreter.outputDouble(output, e))
                let d = format.ulpDistance(got, t)
                if d > worst || (e == 0 && d == worst) {
                    worst = d
                    worstElement = (e, got)
                }
            }
            let cause =
                worst > 0
                ? classifier.cause(
                    of: measured, operandTypes: measured.operands.map { nodes[$0].type },
                    operands: operandData.map { $0! }, element: worstElement.index, got: worstElement.got,
                    want: want[worstElement.index], format: format, ulps: worst) : nil
            errors.append(
                NodeError(
                    node: node.name, op: measured.operation.opcodeName, location: node.location ?? measured.location,
                    sourceName: node.metadata["op_name"],
                    sourceLine: node.metadata["source_file"].map { file in
                        node.metadata["source_line"].map { "\(file):\($0)" } ?? file
                    },
                    bits: format.bitsOfError(ulps: worst),
                    ulps: worst, cause: cause, pendingCheck: cause == nil ? nil : classifier.pendingCheck.value))
        }
        return errors
    }

    /// The batch norm and output index a `get-tuple-element` of a batch norm reads
    /// (batch-norm-training and -grad return tuples, which the localizer measures
    /// element by element).
    private static func batchNormElement(_ node: Node, in nodes: [Node]) -> (Node, Int)? {
        guard case .getTupleElement(let k) = node.operation, let p = node.operands.first else { return nil }
        let producer = nodes[p]
        guard case .batchNorm = producer.operation else { return nil }
        return (producer, k)
    }

    /// A graph whose parameters are the node's operands and whose only
    /// computation node is the node itself (called computations kept).
    private static func singleNodeGraph(_ node: Node, operands: [Node], in graph: Graph) -> Graph? {
        var nodes: [Node] = []
        var parameters: [GraphParameter] = []
        for (k, operand) in operands.enumerated() {
            guard let type = operand.type.arrayType else { return nil }
            nodes.append(Node(name: "operand\(k)", operation: .parameter(index: k), operands: [], type: operand.type))
            parameters.append(GraphParameter(name: "operand\(k)", index: k, type: type))
        }
        nodes.append(
            Node(
                name: node.name, operation: node.operation, operands: Array(0..<operands.count),
                type: node.type))
        let outputTypes = node.type.arrayType.map { [$0] } ?? node.type.tupleElements?.compactMap(\.arrayType) ?? []
        guard !outputTypes.isEmpty, outputTypes.count == (node.type.tupleElements?.count ?? 1) else { return nil }
        let name = "__local__"
        // Only the computations the node calls, transitively: the plan of the
        // one-node graph (made for each node) then covers nothing else.
        var computations: [String: Computation] = [:]
        var pending = node.operation.calledComputations
        while let callee = pending.popLast() {
            guard computations[callee] == nil, let c = graph.computations[callee] else { continue }
            computations[callee] = c
            pending += c.nodes.flatMap(\.operation.calledComputations)
        }
        computations[name] = Computation(
            name: name, nodes: nodes, parameters: Array(0..<operands.count),
            root: operands.count)
        return Graph(
            computations: computations, entryName: name, parameters: parameters,
            outputs: outputTypes.enumerated().map { k, type in
                GraphOutput(name: outputTypes.count == 1 ? node.name : "\(node.name)#\(k)", type: type)
            }, source: graph.source)
    }
}
