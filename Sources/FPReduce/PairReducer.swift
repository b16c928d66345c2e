import FPEval
import FPGraph
import FPNumerics

/// Cuts a failing pair down to the smallest pair of subgraphs that still fails.
///
/// Both graphs are evaluated at the worst input (in the IEEE evaluation the
/// verification used). A *cut point* is a value both graphs compute there:
/// nodes with the same value digest (``FPGraph/Graph/entryValueDigests``: the
/// same function of the parameters), or failing that, nodes of the same type
/// whose values at the worst input are bit for bit the same (`x / 4` and
/// `x * 0.25`). *Cutting* a point turns every node of either graph that
/// computes it into one shared parameter, fed that value, and drops what
/// only those nodes needed. A reduced pair thus computes, at its input,
/// exactly the values the full pair computed at the worst input.
///
/// ``reduce(stillFails:)``
/// 1. keeps only the failing output (the subject's);
/// 2. moves the outputs inwards: to the smallest *corresponding* pair of
///    nodes that still fails, with every cut point cut or with none cut (in
///    that order: a rewrite's own loss shows best against a truth that
///    starts right below it). Corresponding pairs are found from
///    the outputs down: two nodes of the same arity correspond, and so do
///    their operands at the same position when those have the same array
///    type and differ between the graphs (`x / b` against `x * (1/b)` pairs
///    the two `x`s, whose own rewrites may be the cause, and `b` with `1/b`,
///    which the caller's test rejects when it checks that the pair still
///    computes the same real function). Candidates are tried by size, smallest first;
/// 3. runs ``DeltaDebugging/minimize(_:fails:)`` over the cut points the
///    pair still computes, keeping a 1-minimal set of them computed and
///    cutting all the others (nothing kept, the cut right at the rewrite, is
///    tried first).
///
/// Every candidate is judged by the caller's `stillFails`; the reducer only
/// proposes pairs. Everything is deterministic. Cuts are made in the entry
/// computation (a fusion or a loop is kept or cut whole).
public struct PairReducer: Sendable {
    let subject: ReductionSubject
    /// The REWRITTEN graph with its parameters renumbered to the ORIGINAL's positions.
    let aligned: Graph
    let digestsA: [ValueDigest]
    let digestsB: [ValueDigest]
    /// Every cut point of the two graphs, in ORIGINAL node order.
    let points: [CutPoint]
    /// The cut point of each ORIGINAL (REWRITTEN) digest that has one.
    let pointOfA: [ValueDigest: Int]
    let pointOfB: [ValueDigest: Int]
    /// The entry nodes producing the failing output in each graph.
    let outputs: (original: Int, rewritten: Int)

    /// A value both graphs compute at the worst input.
    struct CutPoint: Sendable {
        /// The ORIGINAL's and the REWRITTEN's digest of the nodes computing it (equal for a common subgraph).
        var a: ValueDigest
        var b: ValueDigest
        /// The first ORIGINAL node computing it: its name names the parameter.
        var firstA: Int
        /// The parameter's name in both graphs.
        var name: String
        /// The value at the worst input.
        var value: Tensor
    }

    /// Prepares a reduction: aligns the parameters, digests both graphs,
    /// evaluates them at the worst input and finds the cut points.
    /// - Throws: ``ReduceError`` when the parameters do not pair one to one,
    ///   the output is not an array node of the entry, or the inputs do not
    ///   fit; `EvaluationError` when the graphs cannot be evaluated there.
    public init(_ subject: ReductionSubject) throws {
        self.subject = subject
        let (a, b) = (subject.original, subject.rewritten)
        guard a.parameters.count == b.parameters.count, subject.rewrittenParameter.count == a.parameters.count,
            Set(subject.rewrittenParameter) == Set(b.parameters.indices)
        else { throw ReduceError.parametersDiffer(original: a.parameters.count, rewritten: b.parameters.count) }
        guard subject.inputs.count == a.parameters.count else {
            throw ReduceError.badInputs("\(subject.inputs.count) inputs for \(a.parameters.count) parameters")
        }
        aligned = Self.align(b, rewrittenParameter: subject.rewrittenParameter)
        outputs = (
            try Self.outputNode(a, output: subject.output, name: a.outputs[subject.output].name),
            try Self.outputNode(
                aligned, output: subject.rewrittenOutput, name: b.outputs[subject.rewrittenOutput].name)
        )
        digestsA = a.entryValueDigests
        digestsB = aligned.entryValueDigests
        let (valuesA, valuesB) = try Self.evaluate(subject, aligned: aligned)
        points = Self.cutPoints(
            a: a, b: aligned, digestsA: digestsA, digestsB: digestsB, valuesA: valuesA, valuesB: valuesB)
        var pointOfA: [ValueDigest: Int] = [:]
        var pointOfB: [ValueDigest: Int] = [:]
        for (k, point) in points.enumerated() {
            pointOfA[point.a] = k
            pointOfB[point.b] = k
        }
        self.pointOfA = pointOfA
        self.pointOfB = pointOfB
    }

    /// The outcome of ``reduce(stillFails:)``.
    public struct Reduction: Sendable {
        /// The smallest failing pair found.
        public var pair: ReducedPair
        /// Candidates judged (the first, the failing output alone, included).
        public var tests: Int
        /// What each stage did, for the report (`outputs moved to divide.4 / multiply.9: 23 nodes`).
        public var stages: [String]
    }

    /// Reduces the pair.
    /// - Parameter stillFails: whether a candidate pair still shows the failure;
    ///   called on candidates in a deterministic order, never twice on one.
    /// - Returns: the last candidate that still failed and how it was found.
    /// - Throws: ``ReduceError/doesNotReproduce(rule:output:)`` (with empty names,
    ///   for the caller to fill in) when the first candidate (the failing output
    ///   alone, nothing cut) does not fail; what `stillFails` throws.
    public func reduce(stillFails: (ReducedPair) async throws -> Bool) async throws -> Reduction {
        var tests = 0
        var judged: [Plan: Bool] = [:]
        func fails(_ plan: Plan) async throws -> Bool {
            if let known = judged[plan] { return known }
            tests += 1
            let outcome = try await stillFails(build(plan))
            judged[plan] = outcome
            return outcome
        }
        let (a, b) = (subject.original, aligned)
        var plan = Plan(outputA: outputs.original, outputB: outputs.rewritten, cut: [])
        guard try await fails(plan) else { throw ReduceError.doesNotReproduce(rule: "", output: "") }
        var stages = ["output \(a.outputs[subject.output].name) alone: \(build(plan).nodeCount) nodes"]

        // The smallest corresponding output pair that still fails.
        // Each is tried with every cut point cut (the rewrite's own loss, measured against
        // a truth that starts at the cut), then with nothing cut.
        for candidate in correspondingOutputs() {
            var everythingCut = candidate
            everythingCut.cut = Set(cuttablePoints(candidate))
            var found = try await fails(everythingCut)
            if !found { found = try await fails(candidate) }
            guard found else { continue }
            plan = candidate
            stages.append(
                "outputs moved to \(a.entry.nodes[plan.outputA].name) / \(b.entry.nodes[plan.outputB].name): \(build(plan).nodeCount) nodes"
            )
            break
        }

        // ddmin over the cut points still computed: keep a 1-minimal set, cut the rest.
        let cuttable = cuttablePoints(plan)
        let start = plan
        func cutting(keeping keep: [Int]) -> Plan {
            let kept = Set(keep)
            return Plan(
                outputA: start.outputA, outputB: start.outputB, cut: Set(cuttable.filter { !kept.contains($0) }))
        }
        let (kept, _) = try await DeltaDebugging.minimize(cuttable) { try await fails(cutting(keeping: $0)) }
        plan = cutting(keeping: kept)
        let pair = build(plan)
        stages.append(
            cuttable.isEmpty
                ? "no value both graphs compute to cut"
                : "\(pair.cutNodes.count) values both graphs compute cut to parameters, \(kept.count) of \(cuttable.count) kept computed (ddmin): \(pair.nodeCount) nodes"
        )
        return Reduction(pair: pair, tests: tests, stages: stages)
    }

    // MARK: Candidates

    /// Which entry node of each graph is the output, and which cut points are cut.
    struct Plan: Hashable {
        var outputA: Int
        var outputB: Int
        var cut: Set<Int>
    }

    /// The entry node producing output `k` of `graph`.
    static func outputNode(_ graph: Graph, output k: Int, name: String) throws -> Int {
        let entry = graph.entry
        let root = entry.nodes[entry.root]
        let node: Int
        if root.operation == .tuple {
            node = root.operands[k]
        } else if case .array = root.type {
            node = entry.root
        } else {
            throw ReduceError.unsupportedOutput(
                output: name, reason: "it is an element of the tuple-valued \(root.operation.opcodeName) \(root.name)")
        }
        guard case .array = entry.nodes[node].type else {
            throw ReduceError.unsupportedOutput(output: name, reason: "it is not an array")
        }
        return node
    }

    /// The corresponding pairs below the outputs (see the type's
    /// documentation), smallest first (by the nodes the two outputs depend
    /// on; ties in the order found).
    func correspondingOutputs() -> [Plan] {
        let (ea, eb) = (subject.original.entry, aligned.entry)
        var usedA: Set<Int> = [outputs.original]
        var usedB: Set<Int> = [outputs.rewritten]
        var queue = [(outputs.original, outputs.rewritten)]
        var found: [(size: Int, order: Int, plan: Plan)] = []
        var next = 0
        while next < queue.count {
            let (i, j) = queue[next]
            next += 1
            if next > 1 {
                let size = Self.live(ea, from: i).count + Self.live(eb, from: j).count
                found.append((size, found.count, Plan(outputA: i, outputB: j, cut: [])))
            }
            let (nA, nB) = (ea.nodes[i], eb.nodes[j])
            guard nA.operands.count == nB.operands.count else { continue }
            for (x, y) in zip(nA.operands, nB.operands) {
                let (u, v) = (ea.nodes[x], eb.nodes[y])
                guard digestsA[x] != digestsB[y], u.type == v.type, case .array = u.type, !Self.isLeaf(u),
                    !Self.isLeaf(v), !usedA.contains(x), !usedB.contains(y)
                else { continue }
                usedA.insert(x)
                usedB.insert(y)
                queue.append((x, y))
            }
        }
        return found.sorted { ($0.size, $0.order) < ($1.size, $1.order) }.map(\.plan)
    }

    /// The cut points the plan's graphs compute (nothing cut) other than
    /// their outputs, in ORIGINAL node order.
    func cuttablePoints(_ plan: Plan) -> [Int] {
        var result = Set<Int>()
        for i in Self.live(subject.original.entry, from: plan.outputA) where i != plan.outputA {
            if let k = pointOfA[digestsA[i]] { result.insert(k) }
        }
        for j in Self.live(aligned.entry, from: plan.outputB) where j != plan.outputB {
            if let k = pointOfB[digestsB[j]] { result.insert(k) }
        }
        if let k = pointOfA[digestsA[plan.outputA]] { result.remove(k) }
        if let k = pointOfB[digestsB[plan.outputB]] { result.remove(k) }
        return result.sorted()
    }

    static func isLeaf(_ node: Node) -> Bool {
        switch node.operation {
        case .parameter, .constant, .iota: return true
        default: return false
        }
    }

    /// Positions of the nodes `output` depends on, in node order.
    static func live(_ c: Computation, from output: Int, cut: (Int) -> Bool = { _ in false }) -> [Int] {
        var keep = [Bool](repeating: false, count: c.nodes.count)
        keep[output] = true
        for i in stride(from: output, through: 0, by: -1) where keep[i] && (i == output || !cut(i)) {
            for o in c.nodes[i].operands { keep[o] = true }
        }
        return c.nodes.indices.filter { keep[$0] }
    }

    // MARK: Building a candidate

    /// The standalone pair a plan describes.
    func build(_ plan: Plan) -> ReducedPair {
        let (a, b) = (subject.original, aligned)
        let pointA: (Int) -> Int? = { i in
            i == plan.outputA ? nil : pointOfA[digestsA[i]].flatMap { plan.cut.contains($0) ? $0 : nil }
        }
        let pointB: (Int) -> Int? = { j in
            j == plan.outputB ? nil : pointOfB[digestsB[j]].flatMap { plan.cut.contains($0) ? $0 : nil }
        }
        let liveA = Self.live(a.entry, from: plan.outputA, cut: { pointA($0) != nil })
        let liveB = Self.live(b.entry, from: plan.outputB, cut: { pointB($0) != nil })

        // The parameters both graphs take: the ORIGINAL's that either reaches, then the cut points.
        var originalParameters = Set<Int>()
        var cutPoints = Set<Int>()
        for (graph, live, point) in [(a, liveA, pointA), (b, liveB, pointB)] {
            for i in live {
                if let k = point(i) {
                    cutPoints.insert(k)
                } else if case .parameter(let index) = graph.entry.nodes[i].operation {
                    originalParameters.insert(index)
                }
            }
        }
        var parameters: [GraphParameter] = []
        var tensors: [Tensor] = []
        var parameterOfOriginal: [Int: Int] = [:]
        var parameterOfPoint: [Int: Int] = [:]
        for index in originalParameters.sorted() {
            let p = a.parameters[index]
            parameterOfOriginal[index] = parameters.count
            parameters.append(GraphParameter(name: p.name, index: parameters.count, type: p.type, aliases: p.aliases))
            tensors.append(Tensor(type: p.type, elements: subject.inputs[index]))
        }
        for k in cutPoints.sorted() {
            parameterOfPoint[k] = parameters.count
            parameters.append(GraphParameter(name: points[k].name, index: parameters.count, type: points[k].value.type))
            tensors.append(points[k].value)
        }
        let outputName =
            plan.outputA == outputs.original ? a.outputs[subject.output].name : a.entry.nodes[plan.outputA].name

        func reduced(_ graph: Graph, live: [Int], point: (Int) -> Int?, output: Int) -> Graph {
            let entry = graph.entry
            var nodes: [Node] = parameters.map { p in
                Node(name: p.name, operation: .parameter(index: p.index), operands: [], type: .array(p.type))
            }
            let taken = Set(parameters.map(\.name))
            var position = [Int](repeating: -1, count: entry.nodes.count)
            var called: [String] = []
            for i in live {
                var node = entry.nodes[i]
                if let k = point(i) {
                    position[i] = parameterOfPoint[k]!
                    continue
                }
                if case .parameter(let index) = node.operation {
                    position[i] = parameterOfOriginal[index]!
                    continue
                }
                node.operands = node.operands.map { position[$0] }
                node.name = taken.freshName(node.name)
                called += node.operation.calledComputations
                position[i] = nodes.count
                nodes.append(node)
            }
            var computations: [String: Computation] = [:]
            while let name = called.popLast() {
                guard computations[name] == nil, let c = graph.computations[name] else { continue }
                computations[name] = c
                called += c.nodes.flatMap(\.operation.calledComputations)
            }
            computations[entry.name] = Computation(
                name: entry.name, nodes: nodes, parameters: Array(parameters.indices), root: position[output])
            return Graph(
                computations: computations, entryName: entry.name, parameters: parameters,
                outputs: [GraphOutput(name: outputName, type: entry.nodes[output].type.arrayType!)],
                source: graph.source)
        }
        return ReducedPair(
            original: reduced(a, live: liveA, point: pointA, output: plan.outputA),
            rewritten: reduced(b, live: liveB, point: pointB, output: plan.outputB),
            inputs: NamedTensors(names: parameters.map(\.name), tensors: tensors),
            cutNodes: cutPoints.sorted().map { a.entry.nodes[points[$0].firstA].name },
            outputNodes: (a.entry.nodes[plan.outputA].name, b.entry.nodes[plan.outputB].name))
    }

    // MARK: Preparation

    /// `graph` with each parameter renumbered to the ORIGINAL parameter paired with it.
    static func align(_ graph: Graph, rewrittenParameter: [Int]) -> Graph {
        guard rewrittenParameter != Array(rewrittenParameter.indices) else { return graph }
        var originalOf = [Int](repeating: 0, count: rewrittenParameter.count)
        for (i, j) in rewrittenParameter.enumerated() { originalOf[j] = i }
        var entry = graph.entry
        for n in entry.nodes.indices {
            if case .parameter(let j) = entry.nodes[n].operation {
                entry.nodes[n].operation = .parameter(index: originalOf[j])
            }
        }
        entry.parameters = rewrittenParameter.map { graph.entry.parameters[$0] }
        var result = graph
        result.computations[graph.entryName] = entry
        result.parameters = rewrittenParameter.enumerated().map { i, j in
            var p = graph.parameters[j]
            p.index = i
            return p
        }
        return result
    }

    /// The cut points, in ORIGINAL node order: each ORIGINAL digest computed
    /// by the REWRITTEN too, else the first REWRITTEN node not yet taken
    /// whose value at the worst input is the same bit for bit. Parameters, constants,
    /// iotas and tuples are never cut (nothing to gain). Each point's
    /// parameter is named after its first ORIGINAL node, unless a node of
    /// either graph that computes something else has that name (then `NAME.cut`, `NAME.cut1`, ...).
    static func cutPoints(
        a: Graph, b: Graph, digestsA: [ValueDigest], digestsB: [ValueDigest], valuesA: [Tensor?], valuesB: [Tensor?]
    ) -> [CutPoint] {
        let inB = Set(digestsB)
        let inA = Set(digestsA)
        var firstB: [ValueDigest: Int] = [:]
        var byValue: [ValueBits: [Int]] = [:]
        for (j, node) in b.entry.nodes.enumerated() where !isLeaf(node) {
            if firstB[digestsB[j]] == nil { firstB[digestsB[j]] = j }
            if !inA.contains(digestsB[j]), let v = valuesB[j] { byValue[ValueBits(v), default: []].append(j) }
        }
        var points: [CutPoint] = []
        var takenA = Set<ValueDigest>()
        var takenB = Set<ValueDigest>()
        for (i, node) in a.entry.nodes.enumerated() where !isLeaf(node) && !takenA.contains(digestsA[i]) {
            guard let value = valuesA[i] else { continue }
            let d = digestsA[i]
            var partner: ValueDigest?
            if inB.contains(d) {
                partner = d
            } else if let j = byValue[ValueBits(value)]?.first(where: { !takenB.contains(digestsB[$0]) }) {
                partner = digestsB[j]
            }
            guard let partner else { continue }
            takenA.insert(d)
            takenB.insert(partner)
            points.append(CutPoint(a: d, b: partner, firstA: i, name: "", value: value))
        }
        // Names: a node name is free for a point when every node that has it computes the point.
        var owners: [String: Set<Int>] = [:]
        let pointOfA = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.a, $0) })
        let pointOfB = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.b, $0) })
        for (i, node) in a.entry.nodes.enumerated() {
            owners[node.name, default: []].insert(pointOfA[digestsA[i]] ?? -1)
        }
        for (j, node) in b.entry.nodes.enumerated() {
            owners[node.name, default: []].insert(pointOfB[digestsB[j]] ?? -1)
        }
        var used = Set<String>()
        for k in points.indices {
            let base = a.entry.nodes[points[k].firstA].name
            var name = base
            var n = 0
            while owners[name].map({ $0 != [k] }) ?? false || used.contains(name) {
                name = n == 0 ? "\(base).cut" : "\(base).cut\(n)"
                n += 1
            }
            used.insert(name)
            points[k].name = name
        }
        return points
    }

    /// Every entry node's array value at the worst input, in both graphs
    /// (nil for tuples and nodes the run did not reach).
    static func evaluate(_ subject: ReductionSubject, aligned: Graph) throws -> ([Tensor?], [Tensor?]) {
        for (parameter, input) in zip(subject.original.parameters, subject.inputs)
        where parameter.type.elementCount != input.count {
            throw ReduceError.badInputs(
                "\(parameter.name) has \(parameter.type.elementCount) elements, the input \(input.count)")
        }
        let domain = IEEEDomain(mode: subject.exec, subnormals: subject.subnormals)
        let format: (DType) -> FloatFormat = { FloatFormat(dtype: $0) }
        return try [subject.original, aligned].map { graph in
            let run = Interpreter(graph: graph, domain: domain, reductionOrder: subject.reductionOrder)
            try run.run(subject.inputs)
            return graph.entry.nodes.indices.map { i in
                guard let type = graph.entry.nodes[i].type.arrayType, let data = run.nodeData(i, format: format)
                else { return nil }
                return Tensor(type: type, elements: data)
            }
        }.pair
    }
}

/// A value's type and bit patterns: equal keys are the same value bit for bit
/// (`-0` is not `+0`, a NaN equals the same NaN), unlike `Tensor`'s `==`.
private struct ValueBits: Hashable {
    var type: ArrayType
    var bits: [UInt64]

    init(_ tensor: Tensor) {
        type = tensor.type
        switch tensor.elements {
        case .floats(let v): bits = v.map(\.bitPattern)
        case .integers(let v): bits = v.map { UInt64(bitPattern: $0) }
        }
    }
}

extension Array {
    /// The two elements of a two-element array.
    fileprivate var pair: (Element, Element) { (self[0], self[1]) }
}
