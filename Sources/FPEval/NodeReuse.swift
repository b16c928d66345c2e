import FPGraph
import Foundation

/// Identifies one node's values: the node's value digest in the graph
/// evaluated (``FPGraph/Graph/entryValueDigests``) and a digest of every
/// input value of that evaluation. Two runs, of the same graph or of two
/// graphs, that give a node the same key compute the same values in every
/// deterministic domain: the node is the same function of the same inputs.
public struct NodeValueKey: Hashable, Sendable {
    /// The node's value digest.
    public var node: ValueDigest
    /// A digest of the inputs of the run.
    public var inputs: UInt64

    /// Creates a key.
    public init(node: ValueDigest, inputs: UInt64) {
        self.node = node
        self.inputs = inputs
    }
}

/// Node values one run stores for later runs of other graphs on the same
/// inputs (the snapshots of a trace, where a pass leaves most nodes as they
/// were), for one number domain. Thread-safe; the values are copies no run
/// writes to.
///
/// Entries carry the generation they were stored or last used in;
/// ``advance()`` starts a new generation and drops what the previous one did
/// not touch, so a trace keeps only what the step before stored. Memory is
/// bounded by ``maxBytes``: past it, nothing more is stored.
public final class NodeValueStore<D: RealDomain>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [NodeValueKey: (value: Value<D.Buffer>, bytes: Int, generation: Int)] = [:]
    private var generation = 0
    private var bytes = 0
    /// The bytes one element takes in this domain's buffers.
    let bytesPerElement: Int
    /// The most the stored values may take.
    public let maxBytes: Int
    /// Node values taken from the store (for benchmarks and tests).
    public private(set) var hits = 0

    /// Creates an empty store for values of `bytesPerElement` bytes each.
    public init(bytesPerElement: Int, maxBytes: Int = 256 << 20) {
        self.bytesPerElement = bytesPerElement
        self.maxBytes = maxBytes
    }

    /// The stored value of `key`, marked as used in this generation.
    func value(_ key: NodeValueKey) -> Value<D.Buffer>? {
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[key] else { return nil }
        hits += 1
        if entry.generation != generation {
            entry.generation = generation
            entries[key] = entry
        }
        return entry.value
    }

    /// Stores `value` (a copy the caller will not write to) under `key`,
    /// unless the store is full.
    func store(_ value: Value<D.Buffer>, elements: Int, key: NodeValueKey) {
        let size = elements * bytesPerElement + 64
        lock.lock()
        defer { lock.unlock() }
        guard entries[key] == nil, bytes + size <= maxBytes else { return }
        entries[key] = (value, size, generation)
        bytes += size
    }

    /// Starts a new generation, dropping every entry the previous generation
    /// neither stored nor used.
    public func advance() {
        lock.lock()
        defer { lock.unlock() }
        for (key, entry) in entries where entry.generation < generation {
            entries[key] = nil
            bytes -= entry.bytes
        }
        generation += 1
    }

    /// The number of values stored.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}

/// What one run may reuse and must store: for each entry node of the graph
/// evaluated, its value digest, and whether to store its values (a later
/// graph will need them), with the digest of the run's inputs.
public struct NodeReuse<D: RealDomain> {
    /// Per entry node, its value digest.
    public var digests: [ValueDigest]
    /// Per entry node, true when its values are to be stored.
    public var keep: [Bool]
    /// A digest of the run's input values.
    public var inputs: UInt64
    /// Where values are found and stored.
    public var store: NodeValueStore<D>

    /// Creates the reuse of one run.
    public init(digests: [ValueDigest], keep: [Bool], inputs: UInt64, store: NodeValueStore<D>) {
        self.digests = digests
        self.keep = keep
        self.inputs = inputs
        self.store = store
    }

    func key(_ node: Int) -> NodeValueKey { NodeValueKey(node: digests[node], inputs: inputs) }
}

extension FPGraph.Operation {
    /// False for the nodes a run makes from nothing (parameters, constants):
    /// they cost nothing to make again, so they are never stored for reuse.
    public var isStoredForReuse: Bool {
        switch self {
        case .parameter, .constant: return false
        default: return true
        }
    }
}
