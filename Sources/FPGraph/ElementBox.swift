/// A set of an array's elements chosen per dimension: the elements whose index
/// in dimension `d` is one of `indices[d]` (sorted, distinct). Element
/// sampling measures boxes of outputs and evaluates boxes of every node.
public struct ElementBox: Hashable, Sendable {
    /// Per dimension, the chosen indices, ascending and distinct.
    public var indices: [[Int]]

    /// A box from its per-dimension index lists (each ascending and distinct).
    public init(indices: [[Int]]) { self.indices = indices }

    /// Every element of an array of the given dimensions.
    public static func whole(_ dimensions: [Int]) -> ElementBox {
        ElementBox(indices: dimensions.map { Array(0..<$0) })
    }

    /// The box's own shape (the count of indices in each dimension).
    public var shape: [Int] { indices.map(\.count) }

    /// The number of elements in the box.
    public var count: Int { indices.reduce(1) { $0 * $1.count } }

    /// True when the box holds every element of an array of `dimensions`.
    public func isWhole(of dimensions: [Int]) -> Bool {
        indices.count == dimensions.count && zip(indices, dimensions).allSatisfy { $0.count == $1 }
    }

    /// The smallest box holding both (per dimension, the union of the indices).
    public func union(_ other: ElementBox) -> ElementBox {
        ElementBox(indices: zip(indices, other.indices).map { Array(Set($0).union($1)).sorted() })
    }

    /// Each element's row-major index in an array of `dimensions`, in the box's own row-major order.
    public func flatIndices(in dimensions: [Int]) -> [Int] {
        let strides = ArrayType(.f32, dimensions).strides
        var result = [0]
        for (d, chosen) in indices.enumerated() {
            var next: [Int] = []
            next.reserveCapacity(result.count * chosen.count)
            for base in result { for i in chosen { next.append(base + i * strides[d]) } }
            result = next
        }
        return result
    }

    /// Calls `body` with every element's multi-index, in the box's row-major order.
    public func forEachIndex(_ body: ([Int]) -> Void) {
        guard indices.allSatisfy({ !$0.isEmpty }) else { return }
        var position = [Int](repeating: 0, count: indices.count)
        var index = indices.map { $0[0] }
        while true {
            body(index)
            var d = indices.count - 1
            while d >= 0 {
                position[d] += 1
                if position[d] < indices[d].count {
                    index[d] = indices[d][position[d]]
                    break
                }
                position[d] = 0
                index[d] = indices[d][0]
                d -= 1
            }
            if d < 0 { return }
        }
    }

    /// The row-major position within this box of the element at `index`
    /// (which must be in the box).
    func position(of index: [Int], lookup: [[Int: Int]]) -> Int {
        var p = 0
        for (d, i) in index.enumerated() { p = p * indices[d].count + lookup[d][i]! }
        return p
    }

    /// Per dimension, each chosen index's position in the list.
    var lookup: [[Int: Int]] {
        indices.map { list in Dictionary(uniqueKeysWithValues: list.enumerated().map { ($1, $0) }) }
    }

    /// The box's elements of `elements`, an array of `dimensions` in row-major order.
    public func gather(_ elements: Tensor.Elements, dimensions: [Int]) -> Tensor.Elements {
        if isWhole(of: dimensions) { return elements }
        let flat = flatIndices(in: dimensions)
        switch elements {
        case .floats(let values): return .floats(flat.map { values[$0] })
        case .integers(let values): return .integers(flat.map { values[$0] })
        }
    }

    /// The elements of `part` (a box within this one) out of `values`, which
    /// hold this box's elements in its row-major order.
    public func cut(_ part: ElementBox, from values: Tensor.Elements) -> Tensor.Elements {
        if part == self { return values }
        let lookup = self.lookup
        var positions: [Int] = []
        positions.reserveCapacity(part.count)
        part.forEachIndex { positions.append(position(of: $0, lookup: lookup)) }
        switch values {
        case .floats(let v): return .floats(positions.map { v[$0] })
        case .integers(let v): return .integers(positions.map { v[$0] })
        }
    }
}
