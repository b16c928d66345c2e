/// One instruction of a computation, in SSA form.
public struct Node: Hashable, Sendable {
    /// Unique name within its computation.
    public var name: String
    public var operation: Operation
    /// Operand positions in the owning computation's `nodes`; always earlier nodes.
    public var operands: [Int]
    /// The inferred (and, where declared, checked) result type.
    public var type: ValueType
    public var location: SourceLocation?
    /// Free-form metadata (e.g. XLA `op_name`); never affects the canonical hash.
    public var metadata: [String: String]

    public init(
        name: String, operation: Operation, operands: [Int], type: ValueType,
        location: SourceLocation? = nil, metadata: [String: String] = [:]
    ) {
        self.name = name
        self.operation = operation
        self.operands = operands
        self.type = type
        self.location = location
        self.metadata = metadata
    }
}

/// A named computation: nodes in topological order, its parameters and its root.
public struct Computation: Hashable, Sendable {
    public var name: String
    /// Nodes in a topological order (operands before users).
    public var nodes: [Node]
    /// `parameters[i]` is the position in `nodes` of the parameter with index i.
    public var parameters: [Int]
    /// Position in `nodes` of the result.
    public var root: Int

    public init(name: String, nodes: [Node], parameters: [Int], root: Int) {
        self.name = name
        self.nodes = nodes
        self.parameters = parameters
        self.root = root
    }

    /// The result type.
    public var resultType: ValueType { nodes[root].type }

    /// Position of the node with the given name, if any.
    public func index(of name: String) -> Int? { nodes.firstIndex { $0.name == name } }
}

/// One graph output: its user-facing name and array type.
public struct GraphOutput: Hashable, Sendable {
    public var name: String
    public var type: ArrayType

    public init(name: String, type: ArrayType) {
        self.name = name
        self.type = type
    }
}

/// One graph parameter: its name, position and array type.
public struct GraphParameter: Hashable, Sendable {
    public var name: String
    public var index: Int
    public var type: ArrayType
    /// Other names the parameter answers to (e.g. the JAX argument name of an HLO parameter).
    public var aliases: [String]

    public init(name: String, index: Int, type: ArrayType, aliases: [String] = []) {
        self.name = name
        self.index = index
        self.type = type
        self.aliases = aliases
    }
}

/// A validated graph: an entry computation plus the computations it calls.
///
/// The entry computation's root is either one array (one output) or a tuple of
/// arrays (one output per element). Build graphs with ``GraphBuilder``.
public struct Graph: Hashable, Sendable {
    /// Every computation by name, including the entry.
    public var computations: [String: Computation]
    public var entryName: String
    public var parameters: [GraphParameter]
    public var outputs: [GraphOutput]
    /// Where the graph came from (a file path, or a label).
    public var source: String

    public init(
        computations: [String: Computation], entryName: String, parameters: [GraphParameter],
        outputs: [GraphOutput], source: String
    ) {
        self.computations = computations
        self.entryName = entryName
        self.parameters = parameters
        self.outputs = outputs
        self.source = source
    }

    public var entry: Computation { computations[entryName]! }

    /// Finds a parameter by name, alias or position (`#0`).
    public func parameter(named key: String) -> GraphParameter? { parameters.parameter(named: key) }

    /// The node that produces each output, in output order: the entry's
    /// root, or for a tuple root the tuple's operands.
    public var outputRootNodes: [Node] {
        let entry = self.entry
        let root = entry.nodes[entry.root]
        guard root.operation == .tuple else { return [root] }
        return root.operands.map { entry.nodes[$0] }
    }

    /// Finds an output position by name or position (`#0`).
    public func outputIndex(named key: String) -> Int? {
        if key.hasPrefix("#"), let i = Int(key.dropFirst()), outputs.indices.contains(i) { return i }
        return outputs.firstIndex { $0.name == key }
    }
}

extension Array where Element == GraphParameter {
    /// Finds a parameter by name, by position (`#0`), or by an alias that only
    /// one parameter has.
    public func parameter(named key: String) -> GraphParameter? {
        if key.hasPrefix("#"), let i = Int(key.dropFirst()), indices.contains(i) {
            return self[i]
        }
        if let p = first(where: { $0.name == key }) { return p }
        let byAlias = filter { $0.aliases.contains(key) }
        return byAlias.count == 1 ? byAlias[0] : nil
    }
}
