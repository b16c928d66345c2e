import FPGraph

/// Index arithmetic of one node, worked out once per graph and shared by every
/// domain, thread and sample.
enum NodePlan: Sendable {
    /// Nothing to precompute (elementwise ops, tuples, calls...).
    case none
    /// `y[i] = x[source[i]]` (broadcast, transpose, slice).
    case gather(source: [Int])
    /// Operand `k` element `j` goes to `y[destinations[k][j]]`.
    case scatter(destinations: [[Int]])
    /// Every element is the padding value, then operand element `j` goes to `y[destinations[j]]`.
    case pad(destinations: [Int])
    /// The index along the iota dimension of every element.
    case iota(values: [Int64])
    /// Output `o` reduces the inputs at `bases[o] + offsets[k]`, k in row-major order;
    /// `simple` is the reducer's one binary op when it is exactly `op(p0, p1)`.
    case reduce(bases: [Int], offsets: [Int], simple: BinaryOp?)
    /// Output `o` folds the inputs at `windows[o * windowSize + k]` (-1: a padding
    /// position or a base-dilation hole, skipped), k in row-major window order.
    case window(indices: [Int], windowSize: Int, simple: BinaryOp?)
    /// Output `o` is the sum over k of `lhs[lhsBases[o] + lhsOffsets[k]] * rhs[rhsBases[o] + rhsOffsets[k]]`;
    /// a strided operand shared by several outputs is first packed (``DotPacking``).
    case dot(lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int], rhsOffsets: [Int], packing: [DotPacking?])
    /// Output `o` sums the products of its terms (``ConvolutionTerms``).
    case convolution(ConvolutionTerms)
}

/// The plans of every node of every computation of a graph.
public struct GraphPlan: Sendable {
    let plans: [String: [NodePlan]]

    /// Works out the index arithmetic of every node of `graph`.
    public init(graph: Graph) {
        var plans: [String: [NodePlan]] = [:]
        for (name, computation) in graph.computations {
            plans[name] = computation.nodes.map { Self.plan($0, in: computation, graph: graph) }
        }
        self.plans = plans
    }

    /// The plan of one node: its kernel's (``NodeKernel/plan(_:)``), or
    /// ``NodePlan/none`` for a node with no array type.
    static func plan(_ node: Node, in computation: Computation, graph: Graph) -> NodePlan {
        let operandTypes = node.operands.map { computation.nodes[$0].type.arrayType }
        guard let out = node.type.arrayType ?? node.type.tupleElements?.first?.arrayType else { return .none }
        return KernelDispatch.kernel(for: node.operation).plan(
            PlanContext(node: node, operandTypes: operandTypes, result: out, graph: graph))
    }

    /// The input element under every window element at every window position:
    /// for position `o` (row-major over `positions`) and window element `k`
    /// (row-major over the window), `indices[o * windowSize + k]` is the flat
    /// index into `input`, or -1 when it falls on padding or between
    /// base-dilated elements.
    static func windowIndices(_ w: WindowConfig, input x: ArrayType, positions: [Int]) -> [Int] {
        let strides = x.strides
        var indices: [Int] = []
        indices.reserveCapacity(positions.reduce(1, *) * w.dimensions.reduce(1, *))
        forEachIndex(positions) { o in
            forEachIndex(w.dimensions) { k in
                var flat = 0
                for axis in 0..<x.rank {
                    // Position in the padded, base-dilated input.
                    let padded = o[axis] * w.strides[axis] + k[axis] * w.windowDilations[axis] - w.paddingLow[axis]
                    guard padded >= 0, padded % w.baseDilations[axis] == 0,
                        padded / w.baseDilations[axis] < x.dimensions[axis]
                    else {
                        flat = -1
                        break
                    }
                    flat += (padded / w.baseDilations[axis]) * strides[axis]
                }
                indices.append(flat)
            }
        }
        return indices
    }
}

/// Maps every multi-index of `dimensions`, in row-major order.
func mapIndices<T>(_ dimensions: [Int], _ transform: ([Int]) -> T) -> [T] {
    var result: [T] = []
    result.reserveCapacity(dimensions.reduce(1, *))
    forEachIndex(dimensions) { result.append(transform($0)) }
    return result
}

/// How a `dot` operand whose contracted elements lie far apart (the columns
/// of a row-major matrix) is copied, once per evaluation, into a buffer where
/// each output's terms are contiguous: element `p` of the packed buffer is
/// operand element `sources[p]`, and output `o` reads its terms from
/// `bases[o]` on. Every evaluator then walks memory in order; the values,
/// and so the results, are the same.
struct DotPacking: Sendable {
    /// The operand element each packed element copies.
    let sources: [Int]
    /// Per output, the first packed element of its terms.
    let bases: [Int]

    /// The packing of an operand read at `bases[o] + offsets[j]`, or nil when
    /// its terms are already contiguous or few outputs share them (packing
    /// would read each element once more than the dot does).
    init?(bases: [Int], offsets: [Int]) {
        let k = offsets.count
        guard k >= 8, !offsets.indices.allSatisfy({ offsets[$0] == offsets[0] + $0 }) else { return nil }
        var slot: [Int: Int] = [:]
        var packedBases: [Int] = []
        packedBases.reserveCapacity(bases.count)
        for base in bases {
            if let s = slot[base] {
                packedBases.append(s)
            } else {
                slot[base] = slot.count * k
                packedBases.append(slot[base]!)
            }
        }
        guard 2 * slot.count <= bases.count else { return nil }
        var sources = [Int](repeating: 0, count: slot.count * k)
        for (base, start) in slot {
            for j in 0..<k { sources[start + j] = base + offsets[j] }
        }
        self.sources = sources
        self.bases = packedBases
    }
}
