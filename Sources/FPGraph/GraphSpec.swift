/// An unvalidated node as a format reader produces it: operands by name.
public struct NodeSpec: Sendable {
    /// The node's name, unique within its computation; other nodes name it as an operand.
    public var name: String
    /// What the node computes, with its attributes.
    public var operation: Operation
    /// The operands' node names, in operand order; they may be defined after this node (the builder sorts).
    public var operands: [String]
    /// Declared dtype, if the source states one (required for parameter, convert, iota).
    public var dtype: DType?
    /// Declared shape, if the source states one (required for parameter, broadcast, reshape, iota).
    public var shape: [Int]?
    /// A full declared type (e.g. a tuple from HLO text); checked against the inferred type.
    public var declaredType: ValueType?
    /// Where the node is written in its source file, when known; errors point there.
    public var location: SourceLocation?
    /// Free-form metadata (e.g. XLA `op_name`), copied to the built node; never affects the canonical hash.
    public var metadata: [String: String]

    /// Creates a node spec; everything but the name and operation is optional.
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
    /// The computation's name, unique in the graph; calling operations refer to it.
    public var name: String
    /// The computation's nodes, in any order (the builder sorts them topologically).
    public var nodes: [NodeSpec]
    /// Name of the result node; nil means the last node.
    public var root: String?
    /// Where the computation is written in its source file, when known.
    public var location: SourceLocation?

    /// Creates a computation spec; the root defaults to the last node.
    public init(name: String, nodes: [NodeSpec], root: String? = nil, location: SourceLocation? = nil) {
        self.name = name
        self.nodes = nodes
        self.root = root
        self.location = location
    }
}

/// One requested graph output: a user-facing name and the entry node producing it.
public struct OutputSpec: Sendable {
    /// The output's user-facing name, unique among the outputs.
    public var name: String
    /// The name of the entry computation's node that produces the output (an array, not a tuple).
    public var node: String
    /// Where the output is declared in its source file, when known.
    public var location: SourceLocation?

    /// Creates an output spec from its parts.
    public init(name: String, node: String, location: SourceLocation? = nil) {
        self.name = name
        self.node = node
        self.location = location
    }
}

/// An unvalidated graph.
public struct GraphSpec: Sendable {
    /// Every computation, the entry included; names must be unique.
    public var computations: [ComputationSpec]
    /// The name of the entry computation.
    public var entry: String
    /// Named outputs; nil takes the entry root (a tuple root gives one output per element).
    public var outputs: [OutputSpec]?
    /// Where the graph came from (a file path, or a label); becomes ``Graph/source``.
    public var source: String
    /// Extra names per entry parameter node name (e.g. HLO `op_name` metadata).
    public var parameterAliases: [String: [String]]

    /// Creates a graph spec; by default the outputs come from the entry root and no parameter has aliases.
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
public struct GraphLimits: Sendable, Equatable {
    /// Largest number of elements any one value may hold.
    public var maxElements: Int
    /// Largest number of nodes over all computations.
    public var maxNodes: Int
    /// Deepest chain of computations calling computations (the entry is level 0;
    /// a fusion inside a loop body inside a conditional branch is level 3).
    public var maxCallDepth: Int

    /// Creates limits; the defaults are 2^24 elements per value, 2^20 nodes and 128 levels of calls.
    public init(maxElements: Int = 1 << 24, maxNodes: Int = 1 << 20, maxCallDepth: Int = 128) {
        self.maxElements = maxElements
        self.maxNodes = maxNodes
        self.maxCallDepth = maxCallDepth
    }

    /// The default limits: 2^24 elements per value, 2^20 nodes in all, calls 128 levels deep.
    public static let `default` = GraphLimits()
}
