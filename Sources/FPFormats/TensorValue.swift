import FPGraph

/// A concrete tensor: a dtype, a shape and its elements in row-major order.
///
/// Float elements are stored as the `Double` holding their exact value in the
/// dtype; integer and pred elements as `Int64` (pred as 0 or 1).
public struct TensorValue: Equatable, Sendable {
    /// The elements in row-major order.
    public enum Storage: Equatable, Sendable {
        /// Elements of a float dtype, each the exact `Double` of its value.
        case floats([Double])
        /// Elements of an integer dtype, or of pred (0 or 1).
        case integers([Int64])
    }

    /// The element type.
    public var dtype: DType
    /// The dimensions, row-major; `[]` for a scalar.
    public var shape: [Int]
    /// The elements, as many as the shape's element count.
    public var storage: Storage

    /// A tensor from its parts (not validated; ``ValuesJSON/bind(_:to:)`` checks values against a graph).
    public init(dtype: DType, shape: [Int], storage: Storage) {
        self.dtype = dtype
        self.shape = shape
        self.storage = storage
    }

    /// A value holding a constant's type and elements.
    public init(_ literal: Literal) {
        dtype = literal.type.dtype
        shape = literal.type.dimensions
        switch literal.elements {
        case .floats(let v): storage = .floats(v)
        case .integers(let v): storage = .integers(v)
        }
    }

    /// The dtype and shape.
    public var type: ArrayType { ArrayType(dtype, shape) }

    /// Number of stored elements.
    public var count: Int {
        switch storage {
        case .floats(let v): return v.count
        case .integers(let v): return v.count
        }
    }

    /// Equality of dtype, shape and elements, where floats compare by bit
    /// pattern except that all NaNs are equal (so `-0` differs from `+0`, and
    /// a value read back from its own text equals the original).
    public static func == (lhs: TensorValue, rhs: TensorValue) -> Bool {
        guard lhs.dtype == rhs.dtype, lhs.shape == rhs.shape else { return false }
        switch (lhs.storage, rhs.storage) {
        case (.floats(let a), .floats(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        case (.integers(let a), .integers(let b)):
            return a == b
        default:
            return false
        }
    }
}
