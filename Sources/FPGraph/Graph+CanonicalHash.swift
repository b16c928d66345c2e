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

/// SHA-256 of a file's bytes, hex encoded.
public func fileSHA256(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
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

    mutating func nodeDigests(of name: String) -> [String] {
        let computation = graph.computations[name]!
        var digests: [String] = []
        digests.reserveCapacity(computation.nodes.count)
        for node in computation.nodes {
            var h = SHA256()
            h.update(string: canonicalText(node.operation))
            h.update(string: "\ntype \(node.type)\n")
            for callee in node.operation.calledComputations {
                h.update(string: "calls " + computationDigest(callee) + "\n")
            }
            for operand in node.operands { h.update(string: "operand " + digests[operand] + "\n") }
            digests.append(hex(h.finalize()))
        }
        return digests
    }

    /// The operation and its attributes, without names of computations (those
    /// enter through their digests).
    private func canonicalText(_ op: Operation) -> String {
        switch op {
        case .parameter(let index): return "parameter \(index)"
        case .constant(let literal): return "constant \(literal.type) " + literalText(literal)
        case .unary(let u): return u.rawValue
        case .binary(let b): return b.rawValue
        case .compare(let d, let totalOrder): return "compare \(d.rawValue)" + (totalOrder ? " totalorder" : "")
        case .sort(let dimension, let stable, _): return "sort \(dimension)" + (stable ? " stable" : "")
        case .topK(let k, let largest, let comparator):
            return "topk \(k) " + (comparator != nil ? "comparator" : (largest ? "largest" : "smallest"))
        case .select: return "select"
        case .clamp: return "clamp"
        case .convert: return "convert"
        case .bitcastConvert: return "bitcast-convert"
        case .reducePrecision(let e, let m): return "reduce-precision e=\(e) m=\(m)"
        case .broadcast(let dims): return "broadcast \(dims)"
        case .reshape: return "reshape"
        case .transpose(let p): return "transpose \(p)"
        case .slice(let b): return "slice \(b.starts) \(b.limits) \(b.strides)"
        case .concatenate(let d): return "concatenate \(d)"
        case .pad(let p): return "pad \(p.low) \(p.high) \(p.interior)"
        case .iota(let d): return "iota \(d)"
        case .reduce(let dims, _): return "reduce \(dims)"
        case .dot(let d): return "dot \(d.lhsBatch) \(d.rhsBatch) \(d.lhsContracting) \(d.rhsContracting)"
        case .convolution(let a):
            let (w, d) = (a.window, a.dimensions)
            let roles =
                "\(d.inputBatch) \(d.inputFeature) \(d.inputSpatial) \(d.kernelInputFeature) \(d.kernelOutputFeature) \(d.kernelSpatial) \(d.outputBatch) \(d.outputFeature) \(d.outputSpatial)"
            return
                "convolution \(roles) \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations) \(a.windowReversal) \(a.featureGroupCount) \(a.batchGroupCount)"
        case .tuple: return "tuple"
        case .getTupleElement(let i): return "get-tuple-element \(i)"
        case .call: return "call"
        case .bitcast(let from, let to): return "bitcast \(from) \(to)"
        case .reduceWindow(let w, _):
            return
                "reduce-window \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations)"
        case .dynamicSlice(let sizes): return "dynamic-slice \(sizes)"
        case .dynamicUpdateSlice: return "dynamic-update-slice"
        case .whileLoop: return "while"
        case .conditional(let branches): return "conditional \(branches.count)"
        case .gather(let g):
            // indices_are_sorted is a promise about the data: it changes nothing computed.
            return
                "gather \(g.offsetDims) \(g.collapsedSliceDims) \(g.startIndexMap) \(g.indexVectorDim) \(g.sliceSizes) \(g.operandBatchingDims) \(g.startIndicesBatchingDims)"
        case .reverse(let dims): return "reverse \(dims)"
        case .optimizationBarrier: return "opt-barrier"
        case .rngBitGenerator(let algorithm, let output): return "rng-bit-generator \(algorithm.rawValue) \(output)"
        case .scatter(let s, _):
            return
                "scatter \(s.updateWindowDims) \(s.insertedWindowDims) \(s.scatterDimsToOperandDims) \(s.indexVectorDim) \(s.inputBatchingDims) \(s.scatterIndicesBatchingDims)"
        case .selectAndScatter(let w, _, _):
            return
                "select-and-scatter \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations)"
        case .map: return "map"
        case .multiplyHigh: return "mulhi"
        case .batchNorm(let b): return "\(b.kind.rawValue) \(b.epsilon.bitPattern) \(b.featureIndex)"
        }
    }

    private func literalText(_ literal: Tensor) -> String {
        switch literal.elements {
        case .floats(let values):
            return values.map { $0.isNaN ? "nan" : String($0.bitPattern, radix: 16) }.joined(separator: ",")
        case .integers(let values):
            return values.map(String.init).joined(separator: ",")
        }
    }
}

extension SHA256 {
    fileprivate mutating func update(string: String) { update(data: Data(string.utf8)) }
}

private func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
}
