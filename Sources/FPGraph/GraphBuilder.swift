/// Turns a ``GraphSpec`` into a validated ``Graph``: resolves operand names,
/// orders nodes topologically, rejects cycles and recursion, infers and checks
/// every node's type and applies the size limits.
public struct GraphBuilder: Sendable {
    /// The size limits every build enforces.
    public var limits: GraphLimits

    /// A builder that enforces `limits` (``GraphLimits/default`` unless given).
    public init(limits: GraphLimits = .default) {
        self.limits = limits
    }

    /// Builds and validates a graph.
    /// - Throws: ``GraphError`` naming the first offending node and its position.
    public func build(_ spec: GraphSpec) throws -> Graph {
        let specsByName = try indexComputations(spec)
        guard specsByName[spec.entry] != nil else { throw GraphError.unknownEntry(name: spec.entry) }
        let totalNodes = spec.computations.reduce(0) { $0 + $1.nodes.count }
        if totalNodes > limits.maxNodes {
            throw GraphError.tooLarge(node: "(graph)", elements: totalNodes, limit: limits.maxNodes, location: nil)
        }

        // Build callees before callers, refusing recursion.
        var built: [String: Computation] = [:]
        var inProgress: [String] = []
        func visit(_ name: String) throws {
            if built[name] != nil { return }
            if let start = inProgress.firstIndex(of: name) {
                throw GraphError.recursiveCall(path: Array(inProgress[start...]) + [name])
            }
            inProgress.append(name)
            let cspec = specsByName[name]!
            for node in cspec.nodes {
                for callee in node.operation.calledComputations {
                    guard specsByName[callee] != nil else {
                        throw GraphError.undefinedComputation(
                            node: node.name, computation: callee, location: node.location)
                    }
                    // checked before descending, so this recursion stays shallow too
                    if built[callee] == nil, inProgress.count > limits.maxCallDepth {
                        throw GraphError.callsTooDeep(
                            node: node.name, limit: limits.maxCallDepth, location: node.location)
                    }
                    try visit(callee)
                }
            }
            let outputs = name == spec.entry ? spec.outputs : nil
            built[name] = try buildComputation(cspec, outputs: outputs, callees: built)
            inProgress.removeLast()
        }
        try visit(spec.entry)
        // Computations not reachable from the entry are validated too, so a broken
        // reducer that nothing uses is still reported.
        for c in spec.computations { try visit(c.name) }

        let entry = built[spec.entry]!
        let parameters = try entry.parameters.enumerated().map { (i, nodeIndex) -> GraphParameter in
            let node = entry.nodes[nodeIndex]
            guard let type = node.type.arrayType else {
                throw GraphError.badParameters(
                    computation: entry.name,
                    message: "parameter '\(node.name)' is a tuple; entry parameters must be arrays",
                    location: node.location)
            }
            return GraphParameter(
                name: node.name, index: i, type: type, aliases: spec.parameterAliases[node.name] ?? [])
        }
        let outputs = try outputList(entry, requested: spec.outputs)
        return Graph(
            computations: built, entryName: spec.entry, parameters: parameters, outputs: outputs, source: spec.source)
    }

    private func indexComputations(_ spec: GraphSpec) throws -> [String: ComputationSpec] {
        var byName: [String: ComputationSpec] = [:]
        for c in spec.computations {
            if byName[c.name] != nil {
                throw GraphError.duplicateName(computation: "(module)", node: c.name, location: c.location)
            }
            byName[c.name] = c
        }
        return byName
    }

    private func outputList(_ entry: Computation, requested: [OutputSpec]?) throws -> [GraphOutput] {
        let root = entry.nodes[entry.root]
        let names: [String]
        let types: [ValueType]
        switch root.type {
        case .array:
            types = [root.type]
            names = [requested?.first?.name ?? root.name]
        case .tuple(let elements):
            types = elements
            if let requested {
                guard requested.count == elements.count else {
                    throw GraphError.badOutputs(
                        message:
                            "output '\(requested[0].name)' is the tuple \(root.type); outputs must be arrays: list its elements (get-tuple-element nodes) as outputs, or make it the root for one output per element",
                        location: requested[0].location ?? root.location)
                }
                names = requested.map(\.name)
            } else {
                names = elements.indices.map { "#\($0)" }
            }
        }
        return try zip(names, types).map { name, type in
            guard let array = type.arrayType else {
                throw GraphError.badOutputs(
                    message: "output '\(name)' is a nested tuple; outputs must be arrays",
                    location: root.location)
            }
            return GraphOutput(name: name, type: array)
        }
    }

    private func buildComputation(
        _ spec: ComputationSpec, outputs: [OutputSpec]?,
        callees: [String: Computation]
    ) throws -> Computation {
        var specs = spec.nodes
        var rootName = spec.root ?? spec.nodes.last?.name
        if let outputs {
            guard !outputs.isEmpty else {
                throw GraphError.badOutputs(message: "a graph needs at least one output", location: spec.location)
            }
            var seen = Set<String>()
            for o in outputs where !seen.insert(o.name).inserted {
                throw GraphError.badOutputs(message: "output name '\(o.name)' is used twice", location: o.location)
            }
            if outputs.count == 1 {
                rootName = outputs[0].node
            } else {
                let tupleName = Set(specs.map(\.name)).freshName("outputs")
                specs.append(
                    NodeSpec(
                        name: tupleName, operation: .tuple, operands: outputs.map(\.node),
                        location: outputs[0].location))
                rootName = tupleName
            }
        }
        guard let rootName else {
            throw GraphError.badParameters(
                computation: spec.name, message: "computation has no nodes", location: spec.location)
        }

        // Name resolution.
        var positionByName: [String: Int] = [:]
        for (i, node) in specs.enumerated() {
            if positionByName.updateValue(i, forKey: node.name) != nil {
                throw GraphError.duplicateName(computation: spec.name, node: node.name, location: node.location)
            }
        }
        var operandPositions: [[Int]] = []
        operandPositions.reserveCapacity(specs.count)
        for node in specs {
            operandPositions.append(
                try node.operands.map { operand in
                    guard let p = positionByName[operand] else {
                        throw GraphError.undefinedOperand(
                            computation: spec.name, node: node.name, operand: operand,
                            location: node.location)
                    }
                    return p
                })
        }
        guard let rootSpecPosition = positionByName[rootName] else {
            if let output = outputs?.first(where: { $0.node == rootName }) {
                throw GraphError.badOutputs(
                    message: "output '\(output.name)' names '\(rootName)', which is not a node",
                    location: output.location ?? spec.location)
            }
            throw GraphError.undefinedOperand(
                computation: spec.name, node: "(root)", operand: rootName,
                location: spec.location)
        }

        let order = try topologicalOrder(specs, operandPositions, computation: spec.name)

        // Type inference in topological order.
        var newPosition = [Int](repeating: -1, count: specs.count)
        var nodes: [Node] = []
        nodes.reserveCapacity(specs.count)
        var parameterSlots: [Int: Int] = [:]
        let inference = TypeInference(limits: limits, callees: callees)
        for old in order {
            let s = specs[old]
            let operands = operandPositions[old].map { newPosition[$0] }
            let operandTypes = operands.map { nodes[$0].type }
            let type = try inference.infer(s, operandTypes: operandTypes)
            if case .parameter(let index) = s.operation {
                if parameterSlots.updateValue(nodes.count, forKey: index) != nil {
                    throw GraphError.badParameters(
                        computation: spec.name,
                        message: "two parameters have index \(index)", location: s.location)
                }
            }
            newPosition[old] = nodes.count
            nodes.append(
                Node(
                    name: s.name, operation: s.operation, operands: operands, type: type,
                    location: s.location, metadata: s.metadata))
        }
        let parameters = try (0..<parameterSlots.count).map { i -> Int in
            guard let slot = parameterSlots[i] else {
                throw GraphError.badParameters(
                    computation: spec.name,
                    message: "parameter indices must be 0..<\(parameterSlots.count); \(i) is missing",
                    location: spec.location)
            }
            return slot
        }
        return Computation(name: spec.name, nodes: nodes, parameters: parameters, root: newPosition[rootSpecPosition])
    }

    /// Depth-first topological order that keeps the textual order where it is
    /// already valid, and reports a cycle with its path.
    private func topologicalOrder(_ specs: [NodeSpec], _ operands: [[Int]], computation: String) throws -> [Int] {
        enum Mark { case none, active, done }
        var marks = [Mark](repeating: .none, count: specs.count)
        var order: [Int] = []
        order.reserveCapacity(specs.count)
        for start in specs.indices where marks[start] == .none {
            // Iterative DFS: (node, next operand to visit).
            var stack: [(Int, Int)] = [(start, 0)]
            marks[start] = .active
            while let (node, next) = stack.last {
                if next < operands[node].count {
                    stack[stack.count - 1].1 += 1
                    let operand = operands[node][next]
                    switch marks[operand] {
                    case .done: continue
                    case .active:
                        let path = stack.map { specs[$0.0].name }
                        let from = path.firstIndex(of: specs[operand].name) ?? 0
                        throw GraphError.cycle(
                            computation: computation,
                            path: Array(path[from...]) + [specs[operand].name],
                            location: specs[operand].location)
                    case .none:
                        marks[operand] = .active
                        stack.append((operand, 0))
                    }
                } else {
                    marks[node] = .done
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        return order
    }

}
