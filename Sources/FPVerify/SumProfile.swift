import FPEval
import FPGraph
import FPNumerics

/// The sums of one graph at one localised sample, as ``ReductionOrderRule``
/// compares them across the two graphs: for every float node that is a sum
/// (an `add`, a `reduce` whose reducer is `add`, a `dot`) of at least two
/// terms per element, or moves one (a `reshape`, `transpose`, `bitcast` or
/// `copy` of such a sum), digests of its true and its computed value, its
/// terms and how far it is computed from the truth.
///
/// The *terms* of a sum are the leaves of its summation tree: followed down
/// through `add`s, the operand (not the initial value) of a `reduce`-add,
/// data movement (`reshape`, `transpose`, `bitcast`, `copy`, `broadcast`,
/// `slice`, `reverse`), the operands of a `dot`, and the operands of a `multiply` summed
/// by a `reduce` (a dot written as a multiply and a reduce); every other node
/// reached is a leaf. Two sums with the same leaves (by computed value) and
/// the same true value, computed to different values, differ only in the
/// order they add their terms.
struct SumProfile: Sendable, Equatable {
    /// One sum of the graph at the sample.
    struct Sum: Sendable, Equatable {
        /// The node's name.
        let node: String
        /// The opcode of the node, or of the sum it moves (`reduce`, `dot`, `add`).
        let op: String
        /// The sum a data-movement node moves (the node itself for a sum).
        let sum: String
        /// The node's dtype and dimensions.
        let dtype: DType
        let dimensions: [Int]
        /// Terms per element: the leaves summed into one element, with multiplicity.
        let terms: Int
        /// Digest of the true value rounded to the measured format.
        let truth: UInt64
        /// Whether some element's true value is nonzero.
        let nonzero: Bool
        /// Digest of the value the graph computes (IEEE, rounded to the measured format).
        let computed: UInt64
        /// The digests of the computed values of the summation tree's leaves (distinct, sorted).
        let leaves: [UInt64]
        /// The largest distance over the elements between the computed and the true value, in ulps.
        let computedULPs: Double
    }

    /// The sums, by node name.
    var sums: [String: Sum] = [:]
    /// The sums in the graph's node order.
    var order: [String] = []
    /// For each sum: the nodes it feeds through sums and data movement only
    /// (`add`, `reduce`-add, `reshape`, `transpose`, `bitcast`, `copy`,
    /// `slice`, `reverse`), nearest first.
    var consumers: [String: [String]] = [:]

    /// The most consumers followed up from one sum.
    static let consumerLimit = 64

    init() {}

    /// The profile of `graph`'s entry computation from each node's true value
    /// and computed value (both rounded to `measuring(dtype)`; nil when unknown).
    init(
        graph: Graph, truth: (Int) -> Tensor.Elements?, computed: (Int) -> Tensor.Elements?,
        measuring: (DType) -> FloatFormat
    ) {
        let nodes = graph.entry.nodes
        let shape = SumShape(graph: graph)
        var computedDigests: [Int: UInt64] = [:]
        func computedDigest(_ i: Int) -> UInt64? {
            if let d = computedDigests[i] { return d }
            guard let v = computed(i) else { return nil }
            let d = Self.digest(v, dimensions: nodes[i].type.arrayType?.dimensions ?? [])
            computedDigests[i] = d
            return d
        }
        var positions: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            guard let type = node.type.arrayType, type.dtype.isFloatingPoint, let sum = shape.movedSum(i)
            else { continue }
            let terms = shape.terms(sum)
            guard terms >= 2, case .floats(let want)? = truth(i), case .floats(let got)? = computed(i),
                want.count == got.count
            else { continue }
            var leafDigests: Set<UInt64> = []
            var complete = true
            for leaf in shape.leaves(sum) {
                guard let d = computedDigest(leaf) else {
                    complete = false
                    break
                }
                leafDigests.insert(d)
            }
            guard complete else { continue }
            let format = measuring(type.dtype)
            var worst = 0.0
            for (t, c) in zip(want, got) { worst = Swift.max(worst, format.ulpDistance(c, t)) }
            sums[node.name] = Sum(
                node: node.name, op: nodes[sum].operation.opcodeName, sum: nodes[sum].name, dtype: type.dtype,
                dimensions: type.dimensions, terms: terms,
                truth: Self.digest(.floats(want), dimensions: type.dimensions),
                nonzero: want.contains { $0 != 0 }, computed: Self.digest(.floats(got), dimensions: type.dimensions),
                leaves: leafDigests.sorted(), computedULPs: worst)
            order.append(node.name)
            positions[node.name] = i
        }
        var users = [[Int]](repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            for k in Set(node.operands) where users.indices.contains(k) { users[k].append(i) }
        }
        for name in order {
            guard let start = positions[name] else { continue }
            var reached: [String] = []
            var seen: Set<Int> = [start]
            var queue = [start]
            while !queue.isEmpty, reached.count < Self.consumerLimit {
                let i = queue.removeFirst()
                for u in users[i] where !seen.contains(u) && shape.carriesSum(u, from: i) {
                    seen.insert(u)
                    reached.append(nodes[u].name)
                    queue.append(u)
                }
            }
            consumers[name] = reached
        }
    }

    /// A 64-bit FNV-1a digest of a tensor's dimensions and values' bit patterns.
    static func digest(_ values: Tensor.Elements, dimensions: [Int]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ x: UInt64) {
            var x = x
            for _ in 0..<8 {
                h = (h ^ (x & 0xff)) &* 0x0000_0100_0000_01b3
                x >>= 8
            }
        }
        for d in dimensions { mix(UInt64(bitPattern: Int64(d))) }
        mix(UInt64.max)
        switch values {
        case .floats(let v):
            // Every NaN is one value, and ±0 are one point, as the ulp distance counts them.
            for x in v { mix(x.isNaN ? Double.nan.bitPattern : (x == 0 ? 0 : x.bitPattern)) }
        case .integers(let v):
            mix(1)
            for x in v { mix(UInt64(bitPattern: x)) }
        }
        return h
    }
}

/// How the nodes of a graph's entry computation sum (see ``SumProfile``).
struct SumShape {
    let graph: Graph
    private let nodes: [Node]

    init(graph: Graph) {
        self.graph = graph
        nodes = graph.entry.nodes
    }

    enum Role {
        case add, reduceAdd, dot, multiply
        /// Pure data movement: the operand's values, rearranged or repeated.
        case movement
        case other
    }

    func role(_ i: Int) -> Role {
        let node = nodes[i]
        guard node.type.arrayType?.dtype.isFloatingPoint == true else { return .other }
        switch node.operation {
        case .binary(.add): return node.operands.count == 2 ? .add : .other
        case .binary(.multiply): return node.operands.count == 2 ? .multiply : .other
        case .reduce(_, let reducer):
            return graph.computations[reducer]?.simpleBinaryReducer == .add && node.operands.count == 2
                ? .reduceAdd : .other
        case .dot: return node.operands.count == 2 ? .dot : .other
        case .reshape, .transpose, .bitcast, .broadcast, .slice, .reverse, .unary(.copy):
            return node.operands.count == 1 ? .movement : .other
        default: return .other
        }
    }

    /// Whether node `i` is a sum (`add`, `reduce`-add, `dot`).
    func isSum(_ i: Int) -> Bool {
        switch role(i) {
        case .add, .reduceAdd, .dot: return true
        default: return false
        }
    }

    /// The sum node `i` is or moves unchanged in shape and order of terms
    /// (through `reshape`, `transpose`, `bitcast`, `copy`); nil otherwise.
    func movedSum(_ i: Int) -> Int? {
        var i = i
        for _ in 0..<nodes.count {
            if isSum(i) { return i }
            guard isRearrangement(i), let k = nodes[i].operands.first else { return nil }
            i = k
        }
        return nil
    }

    /// A reshape, transpose, bitcast or copy: every element of the operand once.
    private func isRearrangement(_ i: Int) -> Bool {
        switch nodes[i].operation {
        case .reshape, .transpose, .bitcast, .unary(.copy): return role(i) == .movement
        default: return false
        }
    }

    /// Whether user `u` of node `i` only sums it or moves its terms: an
    /// `add`, the summed operand of a `reduce`-add, a rearrangement, a
    /// `slice` or a `reverse` (a tree of adds over slices of partial sums).
    func carriesSum(_ u: Int, from i: Int) -> Bool {
        switch role(u) {
        case .add: return true
        case .reduceAdd: return nodes[u].operands.first == i
        case .movement:
            switch nodes[u].operation {
            case .slice, .reverse: return true
            default: return isRearrangement(u)
            }
        default: return false
        }
    }

    /// The terms per element of node `i`'s summation tree (1 for a leaf).
    func terms(_ i: Int) -> Int {
        var visiting: Set<Int> = []
        var cache: [Int: Int] = [:]
        return terms(i, underReduce: false, &visiting, &cache)
    }

    private func terms(_ i: Int, underReduce: Bool, _ visiting: inout Set<Int>, _ cache: inout [Int: Int]) -> Int {
        let key = underReduce ? -1 - i : i
        if let t = cache[key] { return t }
        guard visiting.insert(i).inserted else { return 1 }
        defer { visiting.remove(i) }
        let node = nodes[i]
        let t: Int
        switch role(i) {
        case .add:
            t =
                terms(node.operands[0], underReduce: false, &visiting, &cache)
                + terms(node.operands[1], underReduce: false, &visiting, &cache)
        case .reduceAdd:
            guard case .reduce(let dimensions, _) = node.operation,
                let operand = nodes[node.operands[0]].type.arrayType
            else { return 1 }
            let count = dimensions.map { operand.dimensions.indices.contains($0) ? operand.dimensions[$0] : 1 }
                .reduce(1, *)
            t = count * terms(node.operands[0], underReduce: true, &visiting, &cache)
        case .dot:
            guard case .dot(let d) = node.operation, let lhs = nodes[node.operands[0]].type.arrayType else {
                return 1
            }
            t = d.lhsContracting.map { lhs.dimensions.indices.contains($0) ? lhs.dimensions[$0] : 1 }.reduce(1, *)
        case .movement:
            t = terms(node.operands[0], underReduce: underReduce, &visiting, &cache)
        default:
            t = 1
        }
        cache[key] = t
        return t
    }

    /// The leaves of node `i`'s summation tree (see ``SumProfile``), distinct.
    func leaves(_ i: Int) -> Set<Int> {
        var result: Set<Int> = []
        var seen: Set<Int> = []
        collect(i, underReduce: false, &result, &seen)
        return result
    }

    private func collect(_ i: Int, underReduce: Bool, _ leaves: inout Set<Int>, _ seen: inout Set<Int>) {
        guard seen.insert(underReduce ? -1 - i : i).inserted else { return }
        let node = nodes[i]
        switch role(i) {
        case .add:
            for k in node.operands { collect(k, underReduce: false, &leaves, &seen) }
        case .reduceAdd:
            collect(node.operands[0], underReduce: true, &leaves, &seen)
        case .dot:
            for k in node.operands { leaves.insert(moved(k)) }
        case .multiply where underReduce:
            for k in node.operands { leaves.insert(moved(k)) }
        case .movement:
            collect(node.operands[0], underReduce: underReduce, &leaves, &seen)
        default:
            leaves.insert(i)
        }
    }

    /// The node below any data movement from `i`.
    private func moved(_ i: Int) -> Int {
        var i = i
        for _ in 0..<nodes.count {
            guard role(i) == .movement, let k = nodes[i].operands.first else { return i }
            i = k
        }
        return i
    }
}
