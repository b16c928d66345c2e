import FPGraph
import FPNumerics
import Foundation

/// Writes graphs in the `fpaudit.graph/v1` JSON format.
///
/// The output is pretty-printed with a stable key order (one node per line
/// when it fits), float constants are C99 hex-float strings (exact), and
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
                switch node.operation {
                case .call(let callee):
                    emitted.insert(callee)
                    referenced.insert(callee)
                case .reduceWindow, .whileLoop, .conditional:
                    for callee in node.operation.calledComputations {
                        emitted.insert(callee)
                        referenced.insert(callee)
                    }
                case .reduce(_, let reducer):
                    referenced.insert(reducer)
                    if builtins[reducer] == nil { emitted.insert(reducer) } else { builtinReferenced.append(reducer) }
                default:
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

    /// How a reducer reference is written: a built-in's name unless a written
    /// computation has that name, else the computation's written name.
    private func reducerReference(_ name: String) -> String {
        if let (builtin, _) = builtins[name], !writtenNames.values.contains(builtin.rawValue) {
            return builtin.rawValue
        }
        return writtenNames[name] ?? name
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
        let operandNames = node.operands.map { c.nodes[$0].name }
        let type = node.type.arrayType
        var dtype: DType?
        var shape: [Int]?
        var attributes: [(String, JSONOutput)] = []
        var operation = node.operation
        switch node.operation {
        case .parameter, .unary, .binary, .select, .clamp, .tuple:
            break
        case .constant(let literal):
            dtype = literal.type.dtype
            if literal.type.rank > 0 { shape = literal.type.dimensions }
            attributes.append(("value", Self.literalValue(literal)))
        case .compare(let direction, let totalOrder):
            attributes.append(("direction", .string(direction.rawValue)))
            if totalOrder { attributes.append(("type", .string("totalorder"))) }
        case .sort(let dimension, let stable, let comparator):
            let written = writtenNames[comparator] ?? comparator
            operation = .sort(dimension: dimension, isStable: stable, comparator: written)
            attributes.append(("dimension", .int(dimension)))
            if stable { attributes.append(("stable", .bool(true))) }
            attributes.append(("comparator", .string(written)))
        case .topK(let k, let largest, let comparator):
            attributes.append(("k", .int(k)))
            if !largest { attributes.append(("largest", .bool(false))) }
            if let comparator {
                let written = writtenNames[comparator] ?? comparator
                operation = .topK(k: k, largest: largest, comparator: written)
                attributes.append(("comparator", .string(written)))
            }
        case .convert, .bitcastConvert:
            dtype = type?.dtype
        case .reducePrecision(let e, let m):
            attributes += [("exponent_bits", .int(e)), ("mantissa_bits", .int(m))]
        case .broadcast(let dims):
            shape = type?.dimensions
            attributes.append(("dimensions", .ints(dims)))
        case .reshape:
            shape = type?.dimensions
        case .transpose(let permutation):
            attributes.append(("permutation", .ints(permutation)))
        case .slice(let b):
            attributes += [("start", .ints(b.starts)), ("limit", .ints(b.limits))]
            if b.strides.contains(where: { $0 != 1 }) { attributes.append(("stride", .ints(b.strides))) }
        case .concatenate(let dimension):
            attributes.append(("dimension", .int(dimension)))
        case .pad(let p):
            attributes += [("low", .ints(p.low)), ("high", .ints(p.high))]
            if p.interior.contains(where: { $0 != 0 }) { attributes.append(("interior", .ints(p.interior))) }
        case .iota(let dimension):
            dtype = type?.dtype
            shape = type?.dimensions
            attributes.append(("dimension", .int(dimension)))
        case .reduce(let dims, let reducer):
            let written = reducerReference(reducer)
            operation = .reduce(dimensions: dims, reducer: written)
            attributes += [("dimensions", .ints(dims)), ("reducer", .string(written))]
            // Written as a built-in: the reader must be able to tell its dtype from the
            // init value (nodes are written in topological order, so its chain is known).
            if let (builtin, reducerDType) = builtins[reducer], written == builtin.rawValue, operandNames.count == 2,
                GraphDocumentReader.staticDType(of: operandNames[1], in: writtenSoFar) != .known(reducerDType)
            {
                dtype = type?.dtype
            }
        case .dot(let d):
            if !d.lhsBatch.isEmpty || !d.rhsBatch.isEmpty {
                attributes += [("lhs_batch", .ints(d.lhsBatch)), ("rhs_batch", .ints(d.rhsBatch))]
            }
            attributes += [("lhs_contracting", .ints(d.lhsContracting)), ("rhs_contracting", .ints(d.rhsContracting))]
            if let result = type?.dtype, let lhs = c.nodes[node.operands[0]].type.arrayType?.dtype, result != lhs {
                dtype = result
            }
        case .convolution(let a):
            attributes += convolutionJSONAttributes(a)
            if let result = type?.dtype, let lhs = c.nodes[node.operands[0]].type.arrayType?.dtype, result != lhs {
                dtype = result
            }
        case .getTupleElement(let index):
            attributes.append(("index", .int(index)))
        case .call(let callee):
            let written = writtenNames[callee] ?? callee
            operation = .call(computation: written)
            attributes.append(("computation", .string(written)))
        case .bitcast(let from, let to):
            shape = type?.dimensions
            attributes += [("operand_layout", .ints(from)), ("result_layout", .ints(to))]
        case .reduceWindow(let w, let reducer):
            let written = writtenNames[reducer] ?? reducer
            operation = .reduceWindow(w, reducer: written)
            attributes += [
                ("window", .ints(w.dimensions)), ("stride", .ints(w.strides)),
                ("padding_low", .ints(w.paddingLow)), ("padding_high", .ints(w.paddingHigh)),
                ("base_dilation", .ints(w.baseDilations)), ("window_dilation", .ints(w.windowDilations)),
                ("reducer", .string(written)),
            ]
        case .dynamicSlice(let sizes):
            attributes.append(("sizes", .ints(sizes)))
        case .dynamicUpdateSlice:
            break
        case .whileLoop(let condition, let body):
            let (c, b) = (writtenNames[condition] ?? condition, writtenNames[body] ?? body)
            operation = .whileLoop(condition: c, body: b)
            attributes += [("condition", .string(c)), ("body", .string(b))]
        case .conditional(let branches):
            let written = branches.map { writtenNames[$0] ?? $0 }
            operation = .conditional(branches: written)
            attributes.append(("branches", .strings(written)))
        case .reverse(let dims):
            attributes.append(("dimensions", .ints(dims)))
        case .optimizationBarrier:
            break
        case .rngBitGenerator(let algorithm, let output):
            attributes += [
                ("algorithm", .string(algorithm.graphName)), ("bits_dtype", .string(output.dtype.rawValue)),
                ("bits_shape", .ints(output.dimensions)),
            ]
        case .gather(let g):
            attributes += [
                ("offset_dims", .ints(g.offsetDims)), ("collapsed_slice_dims", .ints(g.collapsedSliceDims)),
                ("start_index_map", .ints(g.startIndexMap)), ("index_vector_dim", .int(g.indexVectorDim)),
                ("slice_sizes", .ints(g.sliceSizes)),
            ]
            if !g.operandBatchingDims.isEmpty || !g.startIndicesBatchingDims.isEmpty {
                attributes += [
                    ("operand_batching_dims", .ints(g.operandBatchingDims)),
                    ("start_indices_batching_dims", .ints(g.startIndicesBatchingDims)),
                ]
            }
            if g.indicesAreSorted { attributes.append(("indices_are_sorted", .bool(true))) }
        case .scatter(let d, let combiner):
            let written = writtenNames[combiner] ?? combiner
            operation = .scatter(d, combiner: written)
            attributes += [
                ("update_window_dims", .ints(d.updateWindowDims)),
                ("inserted_window_dims", .ints(d.insertedWindowDims)),
                ("scatter_dims_to_operand_dims", .ints(d.scatterDimsToOperandDims)),
                ("index_vector_dim", .int(d.indexVectorDim)),
            ]
            if !d.inputBatchingDims.isEmpty || !d.scatterIndicesBatchingDims.isEmpty {
                attributes += [
                    ("input_batching_dims", .ints(d.inputBatchingDims)),
                    ("scatter_indices_batching_dims", .ints(d.scatterIndicesBatchingDims)),
                ]
            }
            if d.indicesAreSorted { attributes.append(("indices_are_sorted", .bool(true))) }
            if d.uniqueIndices { attributes.append(("unique_indices", .bool(true))) }
            attributes.append(("combiner", .string(written)))
        case .selectAndScatter(let w, let select, let scatter):
            let (s, t) = (writtenNames[select] ?? select, writtenNames[scatter] ?? scatter)
            operation = .selectAndScatter(w, select: s, scatter: t)
            attributes += [
                ("window", .ints(w.dimensions)), ("stride", .ints(w.strides)),
                ("padding_low", .ints(w.paddingLow)), ("padding_high", .ints(w.paddingHigh)),
                ("select", .string(s)), ("scatter", .string(t)),
            ]
        case .map(let computation):
            let written = writtenNames[computation] ?? computation
            operation = .map(computation: written)
            attributes.append(("computation", .string(written)))
        case .multiplyHigh:
            break
        case .batchNorm(let config):
            attributes += [("epsilon", .number("\(config.epsilon)")), ("feature_index", .int(config.featureIndex))]
        }

        var members: [(String, JSONOutput)] = [
            ("name", .string(node.name)), ("op", .string(node.operation.opcodeName)),
        ]
        if !operandNames.isEmpty { members.append(("operands", .strings(operandNames))) }
        if let dtype { members.append(("dtype", .string(dtype.rawValue))) }
        if let shape { members.append(("shape", .ints(shape))) }
        members += attributes
        if !node.metadata.isEmpty { members.append(("metadata", .stringMap(node.metadata))) }
        let spec = NodeSpec(name: node.name, operation: operation, operands: operandNames, dtype: dtype, shape: shape)
        return (.object(members), spec)
    }

    /// A constant's `"value"`: one element when all are equal (bitwise), else a flat row-major array.
    static func literalValue(_ literal: Tensor) -> JSONOutput {
        let elements: [JSONOutput]
        switch literal.elements {
        case .floats(let values):
            let allEqual = values.dropFirst().allSatisfy {
                $0.bitPattern == values[0].bitPattern || ($0.isNaN && values[0].isNaN)
            }
            if allEqual, let first = values.first { return .string(HexFloat.format(first)) }
            elements = values.map { .string(HexFloat.format($0)) }
        case .integers(let values):
            let element: (Int64) -> JSONOutput =
                literal.type.dtype == .pred
                ? { .bool($0 != 0) } : { [dtype = literal.type.dtype] in .number(dtype.integerText($0)) }
            if let first = values.first, values.dropFirst().allSatisfy({ $0 == first }) { return element(first) }
            elements = values.map(element)
        }
        return .array(elements)
    }
}
