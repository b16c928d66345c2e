/// The static type of an array value: a dtype and a shape (row-major).
public struct ArrayType: Hashable, Sendable, CustomStringConvertible {
    /// The element type.
    public var dtype: DType
    /// The size of each dimension, outermost first; empty for a scalar.
    public var dimensions: [Int]

    /// An array type of `dtype` elements with the given dimensions.
    public init(_ dtype: DType, _ dimensions: [Int]) {
        self.dtype = dtype
        self.dimensions = dimensions
    }

    /// The number of dimensions; 0 for a scalar.
    public var rank: Int { dimensions.count }

    /// Number of elements; 1 for a scalar. Saturates instead of overflowing.
    public var elementCount: Int {
        var total = 1
        for d in dimensions {
            let (product, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow { return Int.max }
            total = product
        }
        return total
    }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: dimensions.count)
        var running = 1
        for axis in dimensions.indices.reversed() {
            strides[axis] = running
            running *= dimensions[axis]
        }
        return strides
    }

    /// `f32[4,16]`, the spelling XLA uses.
    public var description: String {
        "\(dtype.rawValue)[\(dimensions.map(String.init).joined(separator: ","))]"
    }
}

/// The static type of any value: an array, or a tuple of values.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case array(ArrayType)
    case tuple([ValueType])

    /// Convenience for an array type.
    public static func array(_ dtype: DType, _ dimensions: [Int]) -> ValueType {
        .array(ArrayType(dtype, dimensions))
    }

    /// The array type, or nil for a tuple.
    public var arrayType: ArrayType? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The element types of a tuple, or nil for an array.
    public var tupleElements: [ValueType]? {
        if case .tuple(let elements) = self { return elements }
        return nil
    }

    /// `f32[4,16]` for an array, `(f32[4], s32[])` for a tuple.
    public var description: String {
        switch self {
        case .array(let a): return a.description
        case .tuple(let elements): return "(" + elements.map(\.description).joined(separator: ", ") + ")"
        }
    }
}

/// Calls `body` with every multi-index of `dimensions` in row-major order (once,
/// with `[]`, for a scalar; never when a dimension is 0).
public func forEachIndex(_ dimensions: [Int], _ body: ([Int]) -> Void) {
    if dimensions.contains(0) { return }
    var index = [Int](repeating: 0, count: dimensions.count)
    while true {
        body(index)
        var axis = dimensions.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < dimensions[axis] { break }
            index[axis] = 0
            axis -= 1
        }
        if axis < 0 { return }
    }
}
