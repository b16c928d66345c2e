/// One instruction of a computation, in SSA form.
public struct Node: Hashable, Sendable {
    /// Unique name within its computation.
    public var name: String
    /// What the node computes, with its attributes.
    public var operation: Operation
    /// Operand positions in the owning computation's `nodes`; always earlier nodes.
    public var operands: [Int]
    /// The inferred (and, where declared, checked) result type.
    public var type: ValueType
    /// Where the node is written in its source file, when known; never affects the canonical hash.
    public var location: SourceLocation?
    /// Free-form metadata (e.g. XLA `op_name`); never affects the canonical hash.
    public var metadata: [String: String]

    /// Creates a node from its parts, unchecked; ``GraphBuilder`` makes validated ones.
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
    /// The computation's name, unique within its graph.
    public var name: String
    /// Nodes in a topological order (operands before users).
    public var nodes: [Node]
    /// `parameters[i]` is the position in `nodes` of the parameter with index i.
    public var parameters: [Int]
    /// Position in `nodes` of the result.
    public var root: Int

    /// Creates a computation from its parts, unchecked; ``GraphBuilder`` makes validated ones.
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

    /// When the result is one op applied straight to the computation's
    /// parameters (an XLA fusion of a single instruction): for each of the
    /// root's operands, the position of the parameter it is. Nil when some
    /// operand of the root is computed, or the root is itself a parameter.
    public var rootParameterPositions: [Int]? {
        let result = nodes[root]
        guard case .parameter = result.operation else {
            var positions: [Int] = []
            for operand in result.operands {
                guard let k = parameters.firstIndex(of: operand) else { return nil }
                positions.append(k)
            }
            return positions
        }
        return nil
    }

    /// The binary op of a reducer whose body is exactly `op(p0, p1)` (or
    /// `op(p1, p0)` for a commutative op); nil for any other body.
    public var simpleBinaryReducer: BinaryOp? {
        guard parameters.count == 2 else { return nil }
        let result = nodes[root]
        guard case .binary(let op) = result.operation, result.operands.count == 2 else { return nil }
        let (p0, p1) = (parameters[0], parameters[1])
        if result.operands == [p0, p1] { return op }
        let commutative: Set<BinaryOp> = [.add, .multiply, .maximum, .minimum, .and, .or, .xor]
        if result.operands == [p1, p0], commutative.contains(op) { return op }
        return nil
    }
}

/// One graph output: its user-facing name and array type.
public struct GraphOutput: Hashable, Sendable {
    /// The user-facing name: as the graph file names the output, else the root node's name for a single output
    /// or `#i` for the i-th element of a tuple root.
    public var name: String
    /// The output's dtype and shape.
    public var type: ArrayType

    /// Creates an output description from its parts.
    public init(name: String, type: ArrayType) {
        self.name = name
        self.type = type
    }
}

/// One graph parameter: its name, position and array type.
public struct GraphParameter: Hashable, Sendable {
    /// The parameter node's name in the entry computation.
    public var name: String
    /// The parameter's position, from 0 (`#0` names the first).
    public var index: Int
    /// The parameter's dtype and shape.
    public var type: ArrayType
    /// Other names the parameter answers to (e.g. the JAX argument name of an HLO parameter).
    public var aliases: [String]

    /// Creates a parameter description; `aliases` defaults to none.
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
    /// The name of the entry computation in ``computations``.
    public var entryName: String
    /// The entry computation's parameters, in index order.
    public var parameters: [GraphParameter]
    /// The graph's outputs, in order.
    public var outputs: [GraphOutput]
    /// Where the graph came from (a file path, or a label).
    public var source: String

    /// Creates a graph from its parts without validating it; ``GraphBuilder/build(_:)`` makes valid ones.
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

    /// The entry computation. Traps when ``entryName`` names no computation, which a built graph never does.
    public var entry: Computation { computations[entryName]! }

    /// Finds a parameter by name, alias or position (`#0`).
    public func parameter(named key: String) -> GraphParameter? { parameters.parameter(named: key) }

    /// The node that produces each output, in output order: the entry's
    /// root, or for a tuple root the tuple's operands.
    public var outputRootNodes: [Node] {
        let entry = self.entry
        let root = entry.nodes[entry.root]
        // A tuple-valued root that is not a tuple node (batch-norm-training, a
        // variadic sort or reduce...) is the root of every output.
        guard root.operation == .tuple else { return Array(repeating: root, count: max(outputs.count, 1)) }
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
