import Crypto
import Foundation

extension Graph {
    /// SHA-256 of the semantics, hex encoded.
    ///
    /// The hash covers, for every node reachable from the outputs: its operation
    /// and attributes, its type, and (recursively) its operands and the
    /// computations it calls. It ignores node and computation names, metadata,
    /// source positions, the textual order of nodes and dead nodes. Parameters
    /// count by position and type; outputs by position and type. Operand order
    /// is significant (`a + b` and `b + a` hash differently: the tool does not
    /// assume which rewrites are harmless).
    public var canonicalHash: String {
        var hasher = CanonicalHasher(graph: self)
        return hasher.graphDigest()
    }

    /// Per-node canonical digests of the entry computation, in node order
    /// (used to match nodes between two graphs by structure).
    public var entryNodeDigests: [String] {
        var hasher = CanonicalHasher(graph: self)
        return hasher.nodeDigests(of: entryName)
    }
}

/// A node's value digest: the first 128 bits of its canonical SHA-256
/// digest (``Graph/entryValueDigests``).
public struct ValueDigest: Hashable, Sendable {
    /// The digest's first 64 bits.
    public var high: UInt64
    /// The digest's next 64 bits.
    public var low: UInt64

    /// Creates a digest from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}

extension Graph {
    /// Per entry node, in node order, a digest of the function the node
    /// computes from the graph's parameters: its canonical digest (the
    /// node's operation, attributes and type, the computations it calls,
    /// and its operands' digests recursively; parameters by position and
    /// type), cut to 128 bits. Equal digests in two graphs mean the same
    /// values on the same inputs, in every deterministic evaluator. A `call`
    /// counts as a call (its callee's digest): evaluate the graph with its
    /// calls inlined for digests that see through fusions.
    public var entryValueDigests: [ValueDigest] {
        var hasher = CanonicalHasher(graph: self)
        return hasher.nodeDigestValues(of: entryName)
    }
}

/// SHA-256 of a file's (or any) bytes, as 64 lower-case hex digits.
public func fileSHA256(_ data: Data) -> String {
    lowerHex(SHA256.hash(data: data))
}

/// Bytes as lower-case hex, two digits each. (Foundation's `String(format:)`
/// took about 1 µs a byte, a millisecond of a small `verify`'s hashing.)
public func lowerHex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 15)])
    }
    return String(decoding: text, as: UTF8.self)
}

private struct CanonicalHasher {
    let graph: Graph
    var computationDigests: [String: String] = [:]

    init(graph: Graph) { self.graph = graph }

    mutating func graphDigest() -> String {
        var h = SHA256()
        h.update(string: "fpaudit.graph/v1\n")
        h.update(string: computationDigest(graph.entryName))
        for output in graph.outputs { h.update(string: "out \(output.type)\n") }
        return hex(h.finalize())
    }

    mutating func computationDigest(_ name: String) -> String {
        if let d = computationDigests[name] { return d }
        let digests = nodeDigests(of: name)
        let computation = graph.computations[name]!
        var h = SHA256()
        h.update(string: "computation params=\(computation.parameters.count)\n")
        for p in computation.parameters { h.update(string: "param \(computation.nodes[p].type)\n") }
        h.update(string: "root " + digests[computation.root])
        let d = hex(h.finalize())
        computationDigests[name] = d
        return d
    }

    /// ``nodeDigests(of:)`` cut to 128 bits.
    mutating func nodeDigestValues(of name: String) -> [ValueDigest] {
        nodeDigests(of: name).map { hex in
            let bytes = Array(hex.utf8)
            func half(_ start: Int) -> UInt64 {
                var v: UInt64 = 0
                for c in bytes[start..<(start + 16)] {
                    let digit = c >= 97 ? c - 87 : c - 48  // hex is lower case
                    v = v << 4 | UInt64(digit)
                }
                return v
            }
            return ValueDigest(high: half(0), low: half(16))
        }
    }

    mutating func nodeDigests(of name: String) -> [String] {
        let computation = graph.computations[name]!
        var digests: [String] = []
        digests.reserveCapacity(computation.nodes.count)
        for node in computation.nodes {
            var h = SHA256()
            h.update(string: node.operation.rule.canonicalText)
            h.update(string: "\ntype \(node.type)\n")
            for callee in node.operation.calledComputations {
                h.update(string: "calls " + computationDigest(callee) + "\n")
            }
            for operand in node.operands { h.update(string: "operand " + digests[operand] + "\n") }
            digests.append(hex(h.finalize()))
        }
        return digests
    }
}

extension SHA256 {
    fileprivate mutating func update(string: String) { update(data: Data(string.utf8)) }
}

private func hex(_ digest: SHA256.Digest) -> String { lowerHex(digest) }
