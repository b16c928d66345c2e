import FPNumerics

/// A concrete array: its dtype and shape and its elements in row-major order.
///
/// fpaudit's one tensor type: a graph's constants, the values a user gives
/// (`--replay`, `data(FILE)`, `eval`), the worst case's inputs in a report.
/// Float elements are stored as the `Double` holding their exact value in the
/// dtype; integer and pred elements as `Int64` (pred as 0 or 1).
///
/// A graph constant written in decimal whose written value is not a value of
/// its dtype also keeps that decimal (``literals``): the element's value is
/// the decimal rounded to the dtype, which IEEE evaluation uses, and the
/// truth uses the real number written.
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
    /// The exact decimal text of the float elements whose written value is
    /// not a value of the dtype, by row-major index, in the canonical
    /// spelling of ``FPNumerics/DecimalLiteral/canonical(_:)`` (`"0.1"`);
    /// nil when no element has one (every tensor but a graph constant
    /// written in decimal, and never an empty dictionary).
    ///
    /// Such an element denotes the real number written: ``elements`` holds
    /// it rounded to the dtype (what IEEE evaluation computes with), and the
    /// truth evaluates the literal. It is part of the tensor's equality and
    /// of a graph's canonical hash.
    public private(set) var literals: [Int: String]?

    /// Creates a tensor; building a graph (or binding values to parameters)
    /// checks that `elements` holds exactly `type.elementCount` values.
    /// `literals` (float elements only) is kept when it is not empty.
    public init(type: ArrayType, elements: Elements, literals: [Int: String]? = nil) {
        self.type = type
        self.elements = elements
        self.literals = literals?.isEmpty == false ? literals : nil
    }

    /// Creates a tensor from a dtype, dimensions and elements.
    public init(dtype: DType, shape: [Int], elements: Elements, literals: [Int: String]? = nil) {
        self.init(type: ArrayType(dtype, shape), elements: elements, literals: literals)
    }

    /// The literals of the elements at `indices` (row-major positions in this
    /// tensor), renumbered by their place in `indices`: what a tensor made of
    /// those elements keeps (a slice of a constant); nil when none has one.
    public func literals(at indices: [Int]) -> [Int: String]? {
        guard let literals else { return nil }
        var kept: [Int: String] = [:]
        for (k, i) in indices.enumerated() { if let text = literals[i] { kept[k] = text } }
        return kept.isEmpty ? nil : kept
    }

    /// The element type.
    public var dtype: DType { type.dtype }
    /// The dimensions, row-major; `[]` for a scalar.
    public var shape: [Int] { type.dimensions }
    /// Number of stored elements.
    public var count: Int { elements.count }

    /// Equality of type and elements, where floats compare by bit pattern
    /// except that every NaN equals every NaN: -0 differs from +0, and a value
    /// read back from its own text equals the original (as canonical hashing needs);
    /// the ``literals`` must be equal too.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.type == rhs.type, lhs.literals == rhs.literals else { return false }
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
        hasher.combine(literals)
        switch elements {
        case .floats(let v):
            for x in v { hasher.combine(x.isNaN ? Double.nan.bitPattern : x.bitPattern) }
        case .integers(let v):
            hasher.combine(v)
        }
    }
}

extension Tensor: Codable {
    enum CodingKeys: String, CodingKey { case dtype, shape, data }

    /// Encodes the values format's tensor object: `{dtype, shape, data}`, float
    /// elements as C99 hex-float strings (`"0x1.8p+1"`, `"-0x0p+0"`, `"inf"`,
    /// `"nan"`) so nothing is lost, integers as numbers, pred as `true`/`false`.
    /// The values format holds concrete values: ``literals`` are not written.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dtype.rawValue, forKey: .dtype)
        try c.encode(shape, forKey: .shape)
        var data = c.nestedUnkeyedContainer(forKey: .data)
        switch elements {
        case .floats(let v): for x in v { try data.encode(HexFloat.format(x)) }
        case .integers(let v) where dtype == .pred: for x in v { try data.encode(x != 0) }
        case .integers(let v) where dtype == .u64: for x in v { try data.encode(UInt64(bitPattern: x)) }
        case .integers(let v): for x in v { try data.encode(x) }
        }
    }

    /// Decodes what ``encode(to:)`` writes (fpaudit's own documents). Files a
    /// user gives are read by `ValuesJSON`, which checks every element against
    /// its dtype and says where a bad one is.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .dtype)
        guard let dtype = DType(name: name) else {
            throw DecodingError.dataCorruptedError(forKey: .dtype, in: c, debugDescription: "unknown dtype '\(name)'")
        }
        let shape = try c.decode([Int].self, forKey: .shape)
        var data = try c.nestedUnkeyedContainer(forKey: .data)
        if dtype.isFloatingPoint {
            var values: [Double] = []
            while !data.isAtEnd {
                let text = try data.decode(String.self)
                guard let x = HexFloat.parse(text) else {
                    throw DecodingError.dataCorruptedError(in: data, debugDescription: "'\(text)' is not a hex float")
                }
                values.append(x)
            }
            self.init(dtype: dtype, shape: shape, elements: .floats(values))
        } else if dtype == .pred {
            var values: [Int64] = []
            while !data.isAtEnd { values.append(try data.decode(Bool.self) ? 1 : 0) }
            self.init(dtype: dtype, shape: shape, elements: .integers(values))
        } else {
            var values: [Int64] = []
            while !data.isAtEnd {
                values.append(
                    dtype == .u64 ? Int64(bitPattern: try data.decode(UInt64.self)) : try data.decode(Int64.self))
            }
            self.init(dtype: dtype, shape: shape, elements: .integers(values))
        }
    }
}

/// Tensors by name, in order: a sample's inputs, one per parameter. Encodes
/// as a values-format object (`{ NAME: {dtype, shape, data} }`), which
/// `--replay` reads back.
public struct NamedTensors: Sendable, Equatable, Codable {
    /// The names, in order (a graph's parameter order).
    public var names: [String]
    /// The tensors, one per name.
    public var tensors: [Tensor]

    /// Pairs `names` with `tensors` (the same number of each).
    public init(names: [String], tensors: [Tensor]) {
        precondition(names.count == tensors.count, "one tensor per name")
        self.names = names
        self.tensors = tensors
    }

    /// The sample inputs `elements` (in parameter order) with their parameters' names and types.
    public init(_ elements: [Tensor.Elements], parameters: [GraphParameter]) {
        self.init(
            names: parameters.map(\.name),
            tensors: zip(parameters, elements).map { Tensor(type: $0.type, elements: $1) })
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes `{ NAME: tensor }`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (name, tensor) in zip(names, tensors) { try c.encode(tensor, forKey: Key(stringValue: name)) }
    }

    /// Decodes `{ NAME: tensor }`; the names come back sorted (a JSON object keeps no order).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let keys = c.allKeys.sorted { $0.stringValue < $1.stringValue }
        self.init(names: keys.map(\.stringValue), tensors: try keys.map { try c.decode(Tensor.self, forKey: $0) })
    }
}
