/// Which operand elements one box of a node's result needs: what element
/// sampling (``Graph/sliced(outputs:)``) asks each op's rule.
enum ElementDependence {
    /// The node needs every operand element and computes its whole result
    /// (the default: control flow, calls, data-dependent indexing, tuples).
    case whole
    /// The op computes any box of its result from boxes of its operands with
    /// the same attributes (elementwise ops, `dot`, `reduce`, `broadcast`, ...):
    /// `operands[o][d]` is the result dimension whose indices operand `o`'s
    /// dimension `d` takes, or nil when that dimension is needed whole;
    /// `wholeResultDimensions` are result dimensions the op computes whole.
    case restricts(operands: [[Int?]], wholeResultDimensions: [Int])
    /// The op only moves values: the result element at a multi-index is
    /// operand `operand`'s element at `index`.
    case moves((_ index: [Int]) -> (operand: Int, index: [Int]))
    /// The node makes its values from nothing (parameter, constant, iota):
    /// the slicer makes any box of them directly.
    case generated
}

/// A node as its rule sees it when asked for its ``ElementDependence``.
struct SliceSite {
    /// The node's result type.
    let result: ArrayType
    /// Its operands' types, in operand order.
    let operands: [ArrayType]
}

extension ElementDependence {
    /// An elementwise op: each operand dimension takes the result's
    /// (scalar operands have none).
    static func elementwise(_ site: SliceSite) -> ElementDependence {
        .restricts(
            operands: site.operands.map { $0.rank == 0 ? [] : (0..<$0.rank).map { Optional($0) } },
            wholeResultDimensions: [])
    }

    /// Maps a row-major position to a multi-index of `dimensions`.
    static func unflatten(_ position: Int, _ dimensions: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: dimensions.count)
        var rest = position
        for d in dimensions.indices.reversed() where dimensions[d] > 0 {
            index[d] = rest % dimensions[d]
            rest /= dimensions[d]
        }
        return index
    }
}
