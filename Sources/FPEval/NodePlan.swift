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
    /// Output `o` is the sum over k of `lhs[lhsBases[o] + lhsOffsets[k]] * rhs[rhsBases[o] + rhsOffsets[k]]`.
    case dot(lhsBases: [Int], rhsBases: [Int], lhsOffsets: [Int], rhsOffsets: [Int])
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

    static func plan(_ node: Node, in computation: Computation, graph: Graph) -> NodePlan {
        let operandTypes = node.operands.map { computation.nodes[$0].type.arrayType }
        guard let out = node.type.arrayType ?? node.type.tupleElements?.first?.arrayType else { return .none }
        switch node.operation {
        case .broadcast(let dims):
            let x = operandTypes[0]!
            let xStrides = x.strides
            return .gather(
                source: mapIndices(out.dimensions) { index in
                    zip(dims, xStrides).reduce(0) { $0 + index[$1.0] * $1.1 }
                })
        case .bitcast(let operandLayout, let resultLayout):
            let x = operandTypes[0]!
            return .gather(
                source: mapIndices(out.dimensions) { index in
                    // Physical position of the result element under the result's layout...
                    var position = 0
                    var scale = 1
                    for axis in resultLayout {
                        position += index[axis] * scale
                        scale *= out.dimensions[axis]
                    }
                    // ...is the operand element at the same physical position under its layout.
                    var flat = 0
                    let strides = x.strides
                    for axis in operandLayout {
                        let size = x.dimensions[axis]
                        flat += (position % size) * strides[axis]
                        position /= size
                    }
                    return flat
                })
        case .reduceWindow(let w, let reducerName):
            let indices = windowIndices(w, input: operandTypes[0]!, positions: out.dimensions)
            let simple = node.operands.count == 2 ? simpleReducer(graph.computations[reducerName]!) : nil
            return .window(indices: indices, windowSize: w.dimensions.reduce(1, *), simple: simple)
        case .selectAndScatter(let w, _, _):
            let indices = windowIndices(w, input: operandTypes[0]!, positions: operandTypes[1]!.dimensions)
            return .window(indices: indices, windowSize: w.dimensions.reduce(1, *), simple: nil)
        case .transpose(let permutation):
            let x = operandTypes[0]!
            let xStrides = x.strides
            return .gather(
                source: mapIndices(out.dimensions) { index in
                    permutation.enumerated().reduce(0) { $0 + index[$1.offset] * xStrides[$1.element] }
                })
        case .reverse(let dims):
            let x = operandTypes[0]!
            let xStrides = x.strides
            return .gather(
                source: mapIndices(out.dimensions) { index in
                    index.indices.reduce(0) { sum, d in
                        sum + (dims.contains(d) ? x.dimensions[d] - 1 - index[d] : index[d]) * xStrides[d]
                    }
                })
        case .slice(let b):
            let xStrides = operandTypes[0]!.strides
            return .gather(
                source: mapIndices(out.dimensions) { index in
                    index.indices.reduce(0) { $0 + (b.starts[$1] + index[$1] * b.strides[$1]) * xStrides[$1] }
                })
        case .concatenate(let dimension):
            let outStrides = out.strides
            var offset = 0
            var destinations: [[Int]] = []
            for type in operandTypes {
                let a = type!
                let shift = offset
                destinations.append(
                    mapIndices(a.dimensions) { index in
                        index.indices.reduce(0) { $0 + (index[$1] + ($1 == dimension ? shift : 0)) * outStrides[$1] }
                    })
                offset += a.dimensions[dimension]
            }
            return .scatter(destinations: destinations)
        case .pad(let p):
            let x = operandTypes[0]!
            let outStrides = out.strides
            var destinations: [Int] = []
            destinations.reserveCapacity(x.elementCount)
            forEachIndex(x.dimensions) { index in
                var flat = 0
                for axis in index.indices {
                    let position = p.low[axis] + index[axis] * (p.interior[axis] + 1)
                    guard position >= 0, position < out.dimensions[axis] else {
                        flat = -1  // cropped away by negative edge padding
                        break
                    }
                    flat += position * outStrides[axis]
                }
                destinations.append(flat)
            }
            return .pad(destinations: destinations)
        case .iota(let dimension):
            return .iota(values: mapIndices(out.dimensions) { Int64($0[dimension]) }.map { $0 })
        case .reduce(let dims, let reducerName):
            let x = operandTypes[0]!
            let strides = x.strides
            let kept = (0..<x.rank).filter { !dims.contains($0) }
            let reduced = dims.sorted()
            let bases = mapIndices(kept.map { x.dimensions[$0] }) { index in
                zip(kept, index).reduce(0) { $0 + $1.1 * strides[$1.0] }
            }
            let offsets = mapIndices(reduced.map { x.dimensions[$0] }) { index in
                zip(reduced, index).reduce(0) { $0 + $1.1 * strides[$1.0] }
            }
            let simple = node.operands.count == 2 ? simpleReducer(graph.computations[reducerName]!) : nil
            return .reduce(bases: bases, offsets: offsets, simple: simple)
        case .dot(let d):
            let lhs = operandTypes[0]!
            let rhs = operandTypes[1]!
            let ls = lhs.strides
            let rs = rhs.strides
            let lhsFree = (0..<lhs.rank).filter { !d.lhsBatch.contains($0) && !d.lhsContracting.contains($0) }
            let rhsFree = (0..<rhs.rank).filter { !d.rhsBatch.contains($0) && !d.rhsContracting.contains($0) }
            var lhsBases: [Int] = []
            var rhsBases: [Int] = []
            lhsBases.reserveCapacity(out.elementCount)
            rhsBases.reserveCapacity(out.elementCount)
            let nb = d.lhsBatch.count
            let nl = lhsFree.count
            forEachIndex(out.dimensions) { index in
                var l = 0
                var r = 0
                for k in 0..<nb {
                    l += index[k] * ls[d.lhsBatch[k]]
                    r += index[k] * rs[d.rhsBatch[k]]
                }
                for k in 0..<nl { l += index[nb + k] * ls[lhsFree[k]] }
                for k in 0..<rhsFree.count { r += index[nb + nl + k] * rs[rhsFree[k]] }
                lhsBases.append(l)
                rhsBases.append(r)
            }
            let contracted = d.lhsContracting.map { lhs.dimensions[$0] }
            let lhsOffsets = mapIndices(contracted) { index in
                zip(d.lhsContracting, index).reduce(0) { $0 + $1.1 * ls[$1.0] }
            }
            let rhsOffsets = mapIndices(contracted) { index in
                zip(d.rhsContracting, index).reduce(0) { $0 + $1.1 * rs[$1.0] }
            }
            return .dot(lhsBases: lhsBases, rhsBases: rhsBases, lhsOffsets: lhsOffsets, rhsOffsets: rhsOffsets)
        case .convolution(let attributes):
            return .convolution(attributes.terms(lhs: operandTypes[0]!, rhs: operandTypes[1]!, result: out.dimensions))
        case .parameter, .constant, .unary, .binary, .compare, .select, .clamp, .convert, .reducePrecision, .reshape,
            .tuple, .getTupleElement, .call, .dynamicSlice, .dynamicUpdateSlice, .whileLoop, .conditional, .gather,
            .scatter, .optimizationBarrier, .sort, .topK, .bitcastConvert, .map, .multiplyHigh, .batchNorm,
            .rngBitGenerator:
            return .none
        }
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

    /// The reducer's binary op when its body is exactly `op(p0, p1)` (or
    /// `op(p1, p0)` for a commutative op) on scalars of one dtype.
    static func simpleReducer(_ c: Computation) -> BinaryOp? {
        guard c.parameters.count == 2 else { return nil }
        let root = c.nodes[c.root]
        guard case .binary(let op) = root.operation, root.operands.count == 2 else { return nil }
        let (p0, p1) = (c.parameters[0], c.parameters[1])
        if root.operands == [p0, p1] { return op }
        let commutative: Set<BinaryOp> = [.add, .multiply, .maximum, .minimum, .and, .or, .xor]
        if root.operands == [p1, p0], commutative.contains(op) { return op }
        return nil
    }
}

/// Maps every multi-index of `dimensions`, in row-major order.
func mapIndices<T>(_ dimensions: [Int], _ transform: ([Int]) -> T) -> [T] {
    var result: [T] = []
    result.reserveCapacity(dimensions.reduce(1, *))
    forEachIndex(dimensions) { result.append(transform($0)) }
    return result
}
