/// A structural diff of two graphs' entry computations.
///
/// Nodes are matched by their canonical digest (operation, attributes, type
/// and, recursively, operands and called computations), never by name: a node
/// of B whose whole computation also occurs in A is unchanged. Unmatched nodes
/// of the same opcode and type are paired in topological order as *changed*
/// (something below them changed); the rest are *added* (only in B) or
/// *removed* (only in A). Data-movement and parameter nodes count like any other.
public struct GraphDiff: Sendable, Equatable {
    /// One node in a diff: its name and opcode in its own graph.
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        /// The node's name.
        public var node: String
        /// The node's opcode name (``Operation/opcodeName``).
        public var op: String
        /// Where the node is written in its source file, when known.
        public var location: SourceLocation?

        /// `name (opcode)`.
        public var description: String { "\(node) (\(op))" }
    }

    /// Number of B's live nodes matched to a node of A with the same canonical digest.
    public var unchanged: Int
    /// Nodes only in B: unmatched, with no unmatched node of A of the same opcode and type to pair with.
    public var added: [Entry]
    /// Nodes only in A: unmatched and left unpaired.
    public var removed: [Entry]
    /// (node in A, node in B) pairs of the same opcode and type whose computation differs.
    public var changed: [(from: Entry, to: Entry)]

    /// True when the two entry computations compute the same thing the same way.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// `+added -removed ~changed`.
    public var summary: String { "+\(added.count) -\(removed.count) ~\(changed.count)" }

    /// Compares every field; the ``changed`` pairs (tuples, not `Equatable` themselves) element by element.
    public static func == (a: GraphDiff, b: GraphDiff) -> Bool {
        a.unchanged == b.unchanged && a.added == b.added && a.removed == b.removed
            && a.changed.map(\.from) == b.changed.map(\.from) && a.changed.map(\.to) == b.changed.map(\.to)
    }

    /// Diffs the entry computations of `a` and `b` (only nodes that reach the outputs).
    public init(_ a: Graph, _ b: Graph) {
        let (digestsA, digestsB) = (a.entryNodeDigests, b.entryNodeDigests)
        let liveA = Self.live(a.entry)
        let liveB = Self.live(b.entry)
        var available: [String: Int] = [:]
        for i in liveA { available[digestsA[i], default: 0] += 1 }
        var unmatchedB: [Int] = []
        var matched = 0
        var usedA: [String: Int] = [:]
        for j in liveB {
            let d = digestsB[j]
            if let n = available[d], n > 0 {
                available[d] = n - 1
                usedA[d, default: 0] += 1
                matched += 1
            } else {
                unmatchedB.append(j)
            }
        }
        var unmatchedA: [Int] = []
        for i in liveA {
            let d = digestsA[i]
            if let n = usedA[d], n > 0 { usedA[d] = n - 1 } else { unmatchedA.append(i) }
        }
        func entry(_ c: Computation, _ i: Int) -> Entry {
            Entry(node: c.nodes[i].name, op: c.nodes[i].operation.opcodeName, location: c.nodes[i].location)
        }
        func shape(_ c: Computation, _ i: Int) -> String { "\(c.nodes[i].operation.opcodeName) \(c.nodes[i].type)" }
        var pending = unmatchedA
        var changed: [(from: Entry, to: Entry)] = []
        var added: [Entry] = []
        for j in unmatchedB {
            if let k = pending.firstIndex(where: { shape(a.entry, $0) == shape(b.entry, j) }) {
                changed.append((entry(a.entry, pending[k]), entry(b.entry, j)))
                pending.remove(at: k)
            } else {
                added.append(entry(b.entry, j))
            }
        }
        unchanged = matched
        self.added = added
        removed = pending.map { entry(a.entry, $0) }
        self.changed = changed
    }

    /// Positions of the nodes the root depends on, in topological order.
    static func live(_ c: Computation) -> [Int] {
        var keep = [Bool](repeating: false, count: c.nodes.count)
        keep[c.root] = true
        for i in c.nodes.indices.reversed() where keep[i] {
            for o in c.nodes[i].operands { keep[o] = true }
        }
        return c.nodes.indices.filter { keep[$0] }
    }
}

extension GraphDiff: Encodable {
    enum CodingKeys: String, CodingKey { case unchanged, added, removed, changed }

    /// Encodes `{unchanged, added, removed, changed}`: the count of unchanged
    /// nodes, added and removed nodes as `name (op)`, changed nodes as
    /// `[from, to]` pairs of those.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unchanged, forKey: .unchanged)
        try c.encode(added.map(\.description), forKey: .added)
        try c.encode(removed.map(\.description), forKey: .removed)
        try c.encode(changed.map { [$0.from.description, $0.to.description] }, forKey: .changed)
    }
}
