import FPGraph
import FPNumerics
import Foundation

/// Writes graphs in the `fpaudit.graph/v1` JSON format.
///
/// The output is pretty-printed with a stable key order (one node per line
/// when it fits), float constants are C99 hex-float strings (exact) except
/// elements that keep the decimal they were written as (``FPGraph/Tensor/literals``),
/// which are written as that decimal number, and
/// reading it back with ``GraphJSON/read(data:file:limits:jsonLimits:)`` gives
/// a graph with the same ``Graph/canonicalHash``.
///
/// Reducer computations equivalent to a built-in (`op(accumulator, element)`
/// over scalars, `op` one of add, multiply, maximum, minimum) are written as
/// the built-in's name. A multi-output entry whose root is an unused `tuple`
/// node is written as an `"outputs"` list; any other tuple root as `"root"`.
/// Not representable (and so not round-trippable): tuple-typed parameters of
/// called computations (possible in imported graphs; written with a `"type"`
/// key the reader rejects).
public enum GraphJSONWriter {
    /// The graph as pretty JSON text.
    ///
    /// - Parameters:
    ///   - graph: the graph to write.
    ///   - sampleSpecs: `"sample"` text per parameter name (e.g. from ``ParsedGraph/sampleSpecs``).
    ///   - metadata: top-level `"metadata"`.
    public static func write(
        _ graph: Graph, sampleSpecs: [String: String] = [:],
        metadata: [String: String] = [:]
    ) -> Data {
        var writer = GraphDocumentWriter(graph: graph, sampleSpecs: sampleSpecs, metadata: metadata)
        return writer.document().renderedData()
    }

    /// A parsed graph with its sample specs and metadata.
    public static func write(_ parsed: ParsedGraph) -> Data {
        write(parsed.graph, sampleSpecs: parsed.sampleSpecs, metadata: parsed.metadata)
    }
}

/// Decides names and shapes of the output, then builds the JSON.
private struct GraphDocumentWriter {
    let graph: Graph
    let sampleSpecs: [String: String]
    let metadata: [String: String]
    /// Built-in equivalents of computations, by computation name.
    var builtins: [String: (BuiltinReducer, DType)] = [:]
    /// Computations written under `"computations"`: original name → written name.
    var writtenNames: [String: String] = [:]

    init(graph: Graph, sampleSpecs: [String: String], metadata: [String: String]) {
        self.graph = graph
        self.sampleSpecs = sampleSpecs
        self.metadata = metadata
    }

    mutating func document() -> JSONOutput {
        planComputations()
        let entry = graph.entry
        var members: [(String, JSONOutput)] = [
            ("format", .string(GraphJSON.formatName)),
            ("name", .string(sanitized(graph.entryName, taken: []))),
        ]
        if !metadata.isEmpty { members.append(("metadata", .stringMap(metadata))) }
        members.append(("parameters", .array(parameters(of: entry, isEntry: true))))

        // Outputs: a list when the root is an otherwise unused tuple of arrays.
        let root = entry.nodes[entry.root]
        var skipped: Int?
        let outputs: JSONOutput
        if case .array = root.type {
            let name = graph.outputs.first?.name ?? root.name
            outputs = .array([
                name == root.name
                    ? .string(name)
                    : .object([("name", .string(name)), ("node", .string(root.name))])
            ])
        } else if case .tuple = root.operation, root.operands.count >= 2, root.operands.count == graph.outputs.count,
            !entry.nodes.contains(where: { $0.operands.contains(entry.root) }),
            root.operands.allSatisfy({ entry.nodes[$0].type.arrayType != nil })
        {
            skipped = entry.root
            outputs = .array(
                zip(graph.outputs, root.operands).map { output, operand in
                    let node = entry.nodes[operand].name
                    return output.name == node
                        ? .string(node) : .object([("name", .string(output.name)), ("node", .string(node))])
                })
        } else {
            outputs = .string(root.name)
        }
        members.append(("nodes", .array(nodes(of: entry, skipping: skipped))))
        if case .string = outputs {
            members.append(("root", outputs))
        } else {
            members.append(("outputs", outputs))
        }

        let written = writtenNames.sorted { $0.value < $1.value }
        if !written.isEmpty {
            members.append(
                ("computations", .array(written.map { computation(graph.computations[$0.key]!, name: $0.value) })))
        }
        return .object(members)
    }

    // MARK: Computation names

    /// Chooses which computations to write and under which names.
    private mutating func planComputations() {
        let others = graph.computations.values.filter { $0.name != graph.entryName }
        for c in others {
            if let match = BuiltinReducer.matching(c) { builtins[c.name] = match }
        }
        var emitted = Set<String>()
        var referenced = Set<String>()
        var builtinReferenced: [String] = []
        for c in graph.computations.values {
            for node in c.nodes {
                switch node.operation.spelling.writtenCallees {
                case .called(let callees):
                    for callee in callees {
                        emitted.insert(callee)
                        referenced.insert(callee)
                    }
                case .reducer(let reducer):
                    referenced.insert(reducer)
                    if builtins[reducer] == nil { emitted.insert(reducer) } else { builtinReferenced.append(reducer) }
                case .notPlanned:
                    break
                }
            }
        }
        for c in others where !referenced.contains(c.name) && !(c.name.hasPrefix("__") && builtins[c.name] != nil) {
            emitted.insert(c.name)  // unused computations are kept
        }
        // A written computation named like a built-in would shadow it on reading.
        let shadowed = Set(emitted.filter { BuiltinReducer(rawValue: $0) != nil })
        for reducer in builtinReferenced where shadowed.contains(builtins[reducer]!.0.rawValue) {
            emitted.insert(reducer)
        }
        var taken: Set<String> = [sanitized(graph.entryName, taken: [])]
        for name in emitted.sorted() {
            let written = sanitized(name, taken: taken)
            taken.insert(written)
            writtenNames[name] = written
        }
    }

    /// A name the reader accepts: no `__` prefix, not a built-in reducer's
    /// name when renamed, not in `taken`.
    private func sanitized(_ name: String, taken: Set<String>) -> String {
        var base = name
        if base.hasPrefix("__") {
            base = String(base.drop { $0 == "_" })
            if base.isEmpty { base = "computation" }
            if BuiltinReducer(rawValue: base) != nil { base += "_computation" }
        }
        var candidate = base
        var k = 1
        while taken.contains(candidate) {
            candidate = "\(base).\(k)"
            k += 1
        }
        return candidate
    }

    // MARK: Computations and nodes

    private func computation(_ c: Computation, name: String) -> JSONOutput {
        .object([
            ("name", .string(name)),
            ("parameters", .array(parameters(of: c, isEntry: false))),
            ("nodes", .array(nodes(of: c, skipping: nil))),
            ("root", .string(c.nodes[c.root].name)),
        ])
    }

    private func parameters(of c: Computation, isEntry: Bool) -> [JSONOutput] {
        c.parameters.enumerated().map { index, position in
            let node = c.nodes[position]
            var members: [(String, JSONOutput)] = [("name", .string(node.name))]
            if let type = node.type.arrayType {
                members += [("dtype", .string(type.dtype.rawValue)), ("shape", .ints(type.dimensions))]
            } else {
                members.append(("type", .string(node.type.description)))
            }
            if isEntry {
                let aliases = graph.parameters.indices.contains(index) ? graph.parameters[index].aliases : []
                if !aliases.isEmpty { members.append(("aliases", .strings(aliases))) }
                if let sample = sampleSpecs[node.name] { members.append(("sample", .string(sample))) }
            }
            if !node.metadata.isEmpty { members.append(("metadata", .stringMap(node.metadata))) }
            return .object(members)
        }
    }

    private func nodes(of c: Computation, skipping skipped: Int?) -> [JSONOutput] {
        // The nodes as the reader will see them, to check that it can resolve built-in reducers.
        var written: [String: NodeSpec] = [:]
        var outputs: [JSONOutput] = []
        for (i, node) in c.nodes.enumerated() {
            if case .parameter = node.operation {
                written[node.name] = NodeSpec(
                    name: node.name, operation: node.operation, dtype: node.type.arrayType?.dtype)
                continue
            }
            if i == skipped { continue }
            let (json, spec) = self.node(node, in: c, writtenSoFar: written)
            written[node.name] = spec
            outputs.append(json)
        }
        return outputs
    }

    /// One node as JSON, and the spec the reader will see (for reducer dtype resolution).
    private func node(_ node: Node, in c: Computation, writtenSoFar: [String: NodeSpec]) -> (JSONOutput, NodeSpec) {
        var writer = GraphNodeWriter(
            node: node, computation: c, operandNames: node.operands.map { c.nodes[$0].name },
            writtenNames: writtenNames, builtins: builtins, writtenSoFar: writtenSoFar, operation: node.operation)
        node.operation.spelling.write(into: &writer)

        var members: [(String, JSONOutput)] = [
            ("name", .string(node.name)), ("op", .string(node.operation.opcodeName)),
        ]
        if !writer.operandNames.isEmpty { members.append(("operands", .strings(writer.operandNames))) }
        if let dtype = writer.dtype { members.append(("dtype", .string(dtype.rawValue))) }
        if let shape = writer.shape { members.append(("shape", .ints(shape))) }
        members += writer.attributes
        if !node.metadata.isEmpty { members.append(("metadata", .stringMap(node.metadata))) }
        let spec = NodeSpec(
            name: node.name, operation: writer.operation, operands: writer.operandNames, dtype: writer.dtype,
            shape: writer.shape)
        return (.object(members), spec)
    }
}

/// One node being written, for its op's ``OpSpelling/write(into:)``: the
/// node, its computation and operand names, the computations' written names;
/// the op sets the declared `dtype` and `shape` the reader needs, its
/// attributes in the documented order, and its operation as the reader will
/// see it (called computations renamed).
struct GraphNodeWriter {
    let node: Node
    let computation: Computation
    let operandNames: [String]
    /// Computations written under `"computations"`: original name → written name.
    let writtenNames: [String: String]
    /// Built-in equivalents of computations, by computation name.
    let builtins: [String: (BuiltinReducer, DType)]
    /// The nodes written so far as the reader will see them (to check that it can resolve built-in reducers).
    let writtenSoFar: [String: NodeSpec]
    /// The `"dtype"` to write, if any.
    var dtype: DType?
    /// The `"shape"` to write, if any.
    var shape: [Int]?
    /// The op's attributes, in the order they are written.
    var attributes: [(String, JSONOutput)] = []
    /// The operation as the reader will see it.
    var operation: FPGraph.Operation

    init(
        node: Node, computation: Computation, operandNames: [String], writtenNames: [String: String],
        builtins: [String: (BuiltinReducer, DType)], writtenSoFar: [String: NodeSpec], operation: FPGraph.Operation
    ) {
        self.node = node
        self.computation = computation
        self.operandNames = operandNames
        self.writtenNames = writtenNames
        self.builtins = builtins
        self.writtenSoFar = writtenSoFar
        self.operation = operation
    }

    /// The node's result type, when it is an array.
    var type: ArrayType? { node.type.arrayType }

    /// The dtype of operand `i`, when it is an array.
    func operandDType(_ i: Int) -> DType? {
        node.operands.indices.contains(i) ? computation.nodes[node.operands[i]].type.arrayType?.dtype : nil
    }

    /// The written name of a called computation.
    func written(_ computation: String) -> String { writtenNames[computation] ?? computation }

    /// How a reducer reference is written: a built-in's name unless a written
    /// computation has that name, else the computation's written name.
    func reducerReference(_ name: String) -> String {
        if let (builtin, _) = builtins[name], !writtenNames.values.contains(builtin.rawValue) {
            return builtin.rawValue
        }
        return writtenNames[name] ?? name
    }
}
