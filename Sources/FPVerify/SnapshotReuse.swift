import FPEval
import FPGraph
import Foundation

/// The node values a trace's snapshots share: one ``FPEval/NodeValueStore``
/// per domain whose values are reused (the IEEE evaluator, and the interval
/// and ball tiers of the truth; MPFR values depend on the working precision
/// and are never reused). One instance serves one trace, under its one
/// configuration.
public final class NodeReuseStores: @unchecked Sendable {
    /// The IEEE evaluator's values.
    public let ieee: NodeValueStore<IEEEDomain>
    /// The interval tier's values.
    public let interval: NodeValueStore<IntervalDomain>
    /// The ball tier's values.
    public let ball: NodeValueStore<BallDomain>

    /// Creates empty stores, each bounded by `maxBytes`.
    public init(maxBytes: Int = 256 << 20) {
        ieee = NodeValueStore(bytesPerElement: 8, maxBytes: maxBytes)
        interval = NodeValueStore(bytesPerElement: 16, maxBytes: maxBytes)
        ball = NodeValueStore(bytesPerElement: BallBuffer.bytesPerElement, maxBytes: maxBytes)
    }

    /// Starts a new generation in every store (``FPEval/NodeValueStore/advance()``):
    /// call it after each verified step.
    public func advance() {
        ieee.advance()
        interval.advance()
        ball.advance()
    }

    /// Node values taken from the stores so far.
    public var hits: Int { ieee.hits + interval.hits + ball.hits }
}

/// How one verification of a trace step takes part in node reuse: the
/// stores, and for the rewritten graph the snapshot verified next, whose
/// new nodes will read some of its values.
public struct SnapshotReuse: Sendable {
    /// The trace's stores.
    public var stores: NodeReuseStores
    /// The next snapshot whose canonical hash differs from the rewritten
    /// graph's (nil for the last).
    public var next: Graph?

    /// Creates the reuse of one step.
    public init(stores: NodeReuseStores, next: Graph?) {
        self.stores = stores
        self.next = next
    }

    /// Which nodes of `graph` to store: those whose values `next` reads but
    /// does not compute itself. A node of `next` with a digest `graph`
    /// lacks is new and is evaluated; its operands with digests `graph`
    /// has are read from the store, and so is the root when `graph` has it
    /// (every output unchanged). Parameters and constants are never stored.
    static func keep(graph: Graph, digests: [ValueDigest], next: Graph, nextDigests: [ValueDigest]) -> [Bool] {
        var mine: [ValueDigest: Int] = [:]
        for (i, d) in digests.enumerated() where graph.entry.nodes[i].operation.isStoredForReuse {
            mine[d] = mine[d] ?? i
        }
        var keep = [Bool](repeating: false, count: digests.count)
        let nodes = next.entry.nodes
        var live = [Bool](repeating: false, count: nodes.count)
        live[next.entry.root] = true
        for j in nodes.indices.reversed() where live[j] && mine[nextDigests[j]] == nil {
            for operand in nodes[j].operands {
                live[operand] = true
                if let i = mine[nextDigests[operand]] { keep[i] = true }
            }
        }
        if let i = mine[nextDigests[next.entry.root]] { keep[i] = true }
        return keep
    }
}

/// The reuse of one run: the graph's digests and kept nodes, the digest of
/// the run's inputs, and the stores.
struct RunReuse {
    let digests: [ValueDigest]
    let keep: [Bool]
    let inputs: UInt64
    let stores: NodeReuseStores

    /// The run's reuse in the domain of `store`.
    func site<D: RealDomain>(_ store: NodeValueStore<D>) -> NodeReuse<D> {
        NodeReuse(digests: digests, keep: keep, inputs: inputs, store: store)
    }
}
