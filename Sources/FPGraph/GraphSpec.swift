/// An unvalidated node as a format reader produces it: operands by name.
public struct NodeSpec: Sendable {
    public var name: String
    public var operation: Operation
    public var operands: [String]
    /// Declared dtype, if the source states one (required for parameter, convert, iota).
    public var dtype: DType?
    /// Declared shape, if the source states one (required for parameter, broadcast, reshape, iota).
    public var shape: [Int]?
    /// A full declared type (e.g. a tuple from HLO text); checked against the inferred type.
    public var declaredType: ValueType?
    public var location: SourceLocation?
    public var metadata: [String: String]

    public init(
        name: String, operation: Operation, operands: [String] = [], dtype: DType? = nil,
        shape: [Int]? = nil, declaredType: ValueType? = nil, location: SourceLocation? = nil,
        metadata: [String: String] = [:]
    ) {
        self.name = name
        self.operation = operation
        self.operands = operands
        self.dtype = dtype
        self.shape = shape
        self.declaredType = declaredType
        self.location = location
        self.metadata = metadata
    }
}

/// An unvalidated computation.
public struct ComputationSpec: Sendable {
    public var name: String
    public var nodes: [NodeSpec]
    /// Name of the result node; nil means the last node.
    public var root: String?
    public var location: SourceLocation?

    public init(name: String, nodes: [NodeSpec], root: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.nodes = nodes
        self.root = root
        self.location = location
    }
}

/// One requested graph output: a user-facing name and the entry node producing it.
public struct OutputSpec: Sendable {
    public var name: String
    public var node: String
    public var location: SourceLocation?

    public init(name: String, node: String, location: SourceLocation? = nil) {
        self.name = name
        self.node = node
        self.location = location
    }
}

/// An unvalidated graph.
public struct GraphSpec: Sendable {
    public var computations: [ComputationSpec]
    public var entry: String
    /// Named outputs; nil takes the entry root (a tuple root gives one output per element).
    public var outputs: [OutputSpec]?
    public var source: String
    /// Extra names per entry parameter node name (e.g. HLO `op_name` metadata).
    public var parameterAliases: [String: [String]]

    public init(
        computations: [ComputationSpec], entry: String, outputs: [OutputSpec]? = nil,
        source: String, parameterAliases: [String: [String]] = [:]
    ) {
        self.computations = computations
        self.entry = entry
        self.outputs = outputs
        self.source = source
        self.parameterAliases = parameterAliases
    }
}

/// Limits applied while building a graph, before any tensor is allocated.
public struct GraphLimits: Sendable {
    /// Largest number of elements any one value may hold.
    public var maxElements: Int
    /// Largest number of nodes over all computations.
    public var maxNodes: Int

    public init(maxElements: Int = 1 << 24, maxNodes: Int = 1 << 20) {
        self.maxElements = maxElements
        self.maxNodes = maxNodes
    }

    public static let `default` = GraphLimits()
}
