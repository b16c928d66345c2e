extension Computation {
    /// The constant element that element `element` (row-major) of node
    /// `node` holds, when the node is that constant or only moves its values
    /// (broadcast, reshape, transpose, slice, bitcast, copy, followed
    /// transitively); nil when some node on the way computes, converts or
    /// selects values (a `convert` rounds, and is measured on its own).
    ///
    /// - Returns: the constant's position in the computation and the
    ///   row-major position of the element in its literal.
    public func constantSource(ofNode node: Int, element: Int) -> (node: Int, element: Int)? {
        var (n, index) = (node, element)
        for _ in 0..<nodes.count {
            guard nodes.indices.contains(n), let result = nodes[n].type.arrayType,
                index >= 0, index < Swift.max(result.elementCount, 1)
            else { return nil }
            let operation = nodes[n].operation
            if case .constant = operation { return (n, index) }
            guard operation.valueFlow == .operandValues, !operation.isLocalErrorSite,
                let first = nodes[n].operands.first
            else { return nil }
            let operands = nodes[n].operands.compactMap { nodes[$0].type.arrayType }
            guard operands.count == nodes[n].operands.count else { return nil }
            let at = ElementDependence.unflatten(index, result.dimensions)
            switch operation.rule.elementDependence(SliceSite(result: result, operands: operands)) {
            case .moves(let source):
                let (o, j) = source(at)
                guard nodes[n].operands.indices.contains(o) else { return nil }
                (n, index) = (nodes[n].operands[o], Self.flatten(j, operands[o].dimensions))
            case .restricts(let maps, _):
                guard let map = maps.first, map.count == operands[0].rank else { return nil }
                var j = [Int](repeating: 0, count: map.count)
                for (d, r) in map.enumerated() {
                    // A dimension of size 1 is broadcast, whatever the result's index.
                    if operands[0].dimensions[d] == 1 { continue }
                    guard let r, at.indices.contains(r) else { return nil }
                    j[d] = at[r]
                }
                (n, index) = (first, Self.flatten(j, operands[0].dimensions))
            case .whole, .generated:
                return nil
            }
        }
        return nil
    }

    /// The row-major position of a multi-index in `dimensions`.
    private static func flatten(_ index: [Int], _ dimensions: [Int]) -> Int {
        var flat = 0
        for (d, i) in zip(dimensions, index) { flat = flat * d + i }
        return flat
    }
}
