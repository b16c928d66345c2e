/// A concrete array: its dtype and shape and its elements in row-major order.
///
/// fpaudit's one tensor type: a graph's constants, the values a user gives
/// (`--replay`, `data(FILE)`, `eval`), the worst case's inputs in a report.
/// Float elements are stored as the `Double` holding their exact value in the
/// dtype; integer and pred elements as `Int64` (pred as 0 or 1).
public struct Tensor: Hashable, Sendable {
    /// Elements in row-major order, without their type: what the interpreter
    /// passes between nodes and what a sample's inputs are.
    public enum Elements: Hashable, Sendable {
        /// Elements of a float dtype, each the exact `Double` of its value.
        case floats([Double])
        /// Elements of an integer dtype, or of pred (0 or 1).
        case integers([Int64])

        /// Number of elements.
        public var count: Int {
            switch self {
            case .floats(let v): return v.count
            case .integers(let v): return v.count
            }
        }
    }

    /// The dtype and shape.
    public var type: ArrayType
    /// The elements, in row-major order.
    public var elements: Elements

    /// Creates a tensor; building a graph (or binding values to parameters)
    /// checks that `elements` holds exactly `type.elementCount` values.
    public init(type: ArrayType, elements: Elements) {
        self.type = type
        self.elements = elements
    }

    /// Creates a tensor from a dtype, dimensions and elements.
    public init(dtype: DType, shape: [Int], elements: Elements) {
        self.init(type: ArrayType(dtype, shape), elements: elements)
    }

    /// The element type.
    public var dtype: DType { type.dtype }
    /// The dimensions, row-major; `[]` for a scalar.
    public var shape: [Int] { type.dimensions }
    /// Number of stored elements.
    public var count: Int { elements.count }

    /// Equality of type and elements, where floats compare by bit pattern
    /// except that every NaN equals every NaN: -0 differs from +0, and a value
    /// read back from its own text equals the original (as canonical hashing needs).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.type == rhs.type else { return false }
        switch (lhs.elements, rhs.elements) {
        case (.floats(let a), .floats(let b)):
            return a.count == b.count
                && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        case (.integers(let a), .integers(let b)):
            return a == b
        default:
            return false
        }
    }

    /// Hashes consistently with `==`: every NaN alike, and -0 apart from +0.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        switch elements {
        case .floats(let v):
            for x in v { hasher.combine(x.isNaN ? Double.nan.bitPattern : x.bitPattern) }
        case .integers(let v):
            hasher.combine(v)
        }
    }
}
