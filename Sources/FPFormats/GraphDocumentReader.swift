import FPGraph
import FPNumerics

/// Turns the JSON tree of a graph file into an unvalidated ``GraphSpec``.
///
/// This layer checks what the builder cannot see: JSON types, unknown and
/// missing keys, op names, dtype names, attribute values and constant
/// elements. Everything structural is left to ``GraphBuilder``.
struct GraphDocumentReader {
    let file: String
    let limits: GraphLimits
    /// Parameter name → `"sample"` text, filled by ``read(_:)``.
    private(set) var sampleSpecs: [String: String] = [:]
    /// The top-level `"metadata"`, filled by ``read(_:)``.
    private(set) var metadata: [String: String] = [:]

    /// A reduce whose `"reducer"` is a built-in, resolved once all nodes are known.
    struct PendingReducer {
        let nodeIndex: Int
        let reducer: BuiltinReducer
        let location: SourceLocation
    }

    /// One computation read from the file, before built-in reducers are resolved.
    struct ComputationDraft {
        var spec: ComputationSpec
        var pending: [PendingReducer]
    }

    static let topLevelKeys = ["format", "name", "metadata", "parameters", "nodes", "outputs", "root", "computations"]
    static let parameterKeys = ["name", "dtype", "shape", "sample", "aliases", "metadata"]
    static let computationParameterKeys = ["name", "dtype", "shape", "metadata"]
    static let computationKeys = ["name", "parameters", "nodes", "root"]
    static let outputKeys = ["name", "node"]

    init(file: String, limits: GraphLimits) {
        self.file = file
        self.limits = limits
    }

    // MARK: Document

    mutating func read(_ document: JSONValue) throws -> GraphSpec {
        let top = try ObjectReader(document, context: "the graph")
        try top.checkKeys(allowed: Self.topLevelKeys)
        if let format = top.optional("format") {
            let text = try format.string(top.describe("format"))
            if text != GraphJSON.formatName {
                throw FormatError.unsupportedFormat(
                    found: text, expected: GraphJSON.formatName, location: format.location)
            }
        }
        var entryName = GraphJSON.defaultEntryName
        if let name = top.optional("name") {
            entryName = try reservedChecked(
                name.name(top.describe("name")), at: name.location, what: top.describe("name"))
        }
        if let metadata = top.optional("metadata") {
            self.metadata = try metadata.stringMap(top.describe("metadata"))
        }

        // The entry: parameters, nodes, outputs.
        var aliases: [String: [String]] = [:]
        var entryNodes: [NodeSpec] = []
        if let parameters = top.optional("parameters") {
            let elements = try parameters.array(top.describe("parameters"), of: "parameter objects")
            for (i, element) in elements.enumerated() {
                let (node, parameterAliases) = try readParameter(element, index: i, isEntry: true)
                entryNodes.append(node)
                if !parameterAliases.isEmpty { aliases[node.name] = parameterAliases }
            }
        }
        var pending: [PendingReducer] = []
        if let nodes = top.optional("nodes") {
            try readNodes(nodes, what: top.describe("nodes"), into: &entryNodes, pending: &pending)
        }

        var outputs: [OutputSpec]?
        var rootName: String?
        switch (top.optional("outputs"), top.optional("root")) {
        case (let list?, nil):
            outputs = try readOutputs(list, what: top.describe("outputs"))
        case (nil, let root?):
            rootName = try root.name(top.describe("root"))
        case (_?, let root?):
            throw FormatError.invalidValue(
                what: "the graph", message: "give either \"outputs\" or \"root\", not both",
                location: root.location)
        case (nil, nil):
            throw FormatError.missingKey(key: "outputs", context: "the graph", location: top.location)
        }
        var drafts = [
            ComputationDraft(
                spec: ComputationSpec(
                    name: entryName, nodes: entryNodes, root: rootName,
                    location: document.location),
                pending: pending)
        ]

        // Sub-computations. Reducer names are resolved only now, so that a
        // computation may be defined after its use.
        if let computations = top.optional("computations") {
            let elements = try computations.array(top.describe("computations"), of: "computation objects")
            for (i, element) in elements.enumerated() {
                drafts.append(try readComputation(element, position: i))
            }
        }
        let userComputations = Set(drafts.dropFirst().map(\.spec.name))

        // Built-in reducers become synthesised computations, one per (reducer, dtype).
        var synthesised: [String: ComputationSpec] = [:]
        var synthesisedOrder: [String] = []
        for d in drafts.indices where !drafts[d].pending.isEmpty {
            let index = Self.nodeIndex(drafts[d].spec.nodes)
            // A user computation of the same name takes precedence over the built-in.
            for p in drafts[d].pending where !userComputations.contains(p.reducer.rawValue) {
                let dtype = try ReduceSyntax.builtinReducerDType(for: p, in: drafts[d].spec, index: index)
                let name = p.reducer.computationName(for: dtype)
                if synthesised[name] == nil {
                    synthesised[name] = p.reducer.computation(for: dtype, location: p.location)
                    synthesisedOrder.append(name)
                }
                if case .reduce(let dims, _) = drafts[d].spec.nodes[p.nodeIndex].operation {
                    drafts[d].spec.nodes[p.nodeIndex].operation = .reduce(dimensions: dims, reducer: name)
                }
            }
        }
        let computations = drafts.map(\.spec) + synthesisedOrder.map { synthesised[$0]! }
        return GraphSpec(
            computations: computations, entry: entryName, outputs: outputs, source: file,
            parameterAliases: aliases)
    }

    /// Rejects names starting with `__`, which are reserved for synthesised computations.
    private func reservedChecked(_ name: String, at location: SourceLocation, what: String) throws -> String {
        if name.hasPrefix("__") {
            throw FormatError.invalidValue(
                what: what, message: "names starting with '__' are reserved (got '\(name)')",
                location: location)
        }
        return name
    }

    // MARK: Parameters, computations, outputs

    private mutating func readParameter(_ value: JSONValue, index: Int, isEntry: Bool) throws -> (NodeSpec, [String]) {
        let object = try ObjectReader(value, context: "parameters[\(index)]")
        let nameValue = try object.required("name")
        let name = try nameValue.name(object.describe("name"))
        if isEntry, name.hasPrefix("#") {
            throw FormatError.invalidValue(
                what: object.describe("name"),
                message: "parameter names cannot start with '#' ('#\(index)' already means parameter \(index))",
                location: nameValue.location)
        }
        let named = object.renamed("parameter '\(name)'")
        try named.checkKeys(allowed: isEntry ? Self.parameterKeys : Self.computationParameterKeys)
        let dtype = try named.required("dtype").dtype(named.describe("dtype"))
        let shape = try named.required("shape").shape(named.describe("shape"))
        var metadata: [String: String] = [:]
        if let m = named.optional("metadata") { metadata = try m.stringMap(named.describe("metadata")) }
        var aliases: [String] = []
        if let a = named.optional("aliases") { aliases = try a.nameArray(named.describe("aliases")) }
        if let sample = named.optional("sample") {
            let text = try sample.string(named.describe("sample"))
            do {
                _ = try Distribution.parse(text)
            } catch {
                throw FormatError.invalidSample(parameter: name, message: "\(error)", location: sample.location)
            }
            sampleSpecs[name] = text
        }
        let node = NodeSpec(
            name: name, operation: .parameter(index: index), dtype: dtype, shape: shape,
            location: value.location, metadata: metadata)
        return (node, aliases)
    }

    private mutating func readComputation(_ value: JSONValue, position: Int) throws -> ComputationDraft {
        let object = try ObjectReader(value, context: "computations[\(position)]")
        let nameValue = try object.required("name")
        let name = try reservedChecked(
            nameValue.name(object.describe("name")), at: nameValue.location,
            what: object.describe("name"))
        let named = object.renamed("computation '\(name)'")
        try named.checkKeys(allowed: Self.computationKeys)
        var nodes: [NodeSpec] = []
        if let parameters = named.optional("parameters") {
            for (i, element) in try parameters.array(named.describe("parameters"), of: "parameter objects").enumerated()
            {
                nodes.append(try readParameter(element, index: i, isEntry: false).0)
            }
        }
        var pending: [PendingReducer] = []
        try readNodes(try named.required("nodes"), what: named.describe("nodes"), into: &nodes, pending: &pending)
        let root = try named.required("root").name(named.describe("root"))
        return ComputationDraft(
            spec: ComputationSpec(name: name, nodes: nodes, root: root, location: value.location),
            pending: pending)
    }

    private func readOutputs(_ value: JSONValue, what: String) throws -> [OutputSpec] {
        let elements = try value.array(what, of: "node names or {\"name\", \"node\"} objects")
        return try elements.enumerated().map { i, element in
            if let node = element.stringValue {
                _ = try element.name("outputs[\(i)]")
                return OutputSpec(name: node, node: node, location: element.location)
            }
            guard element.objectMembers != nil else {
                throw element.wrongType("outputs[\(i)]", expected: "a node name or a {\"name\", \"node\"} object")
            }
            let object = try ObjectReader(element, context: "outputs[\(i)]")
            try object.checkKeys(allowed: Self.outputKeys)
            let node = try object.required("node").name(object.describe("node"))
            let name = try object.optional("name")?.name(object.describe("name")) ?? node
            return OutputSpec(name: name, node: node, location: element.location)
        }
    }

    // MARK: Nodes

    /// Reads a `"nodes"` array, appending to `nodes` and noting reduces that
    /// name a built-in reducer.
    private func readNodes(
        _ value: JSONValue, what: String, into nodes: inout [NodeSpec],
        pending: inout [PendingReducer]
    ) throws {
        let elements = try value.array(what, of: "node objects")
        nodes.reserveCapacity(nodes.count + elements.count)
        for (i, element) in elements.enumerated() {
            let (node, builtin) = try readNode(element, position: i)
            if let builtin {
                pending.append(
                    PendingReducer(
                        nodeIndex: nodes.count, reducer: builtin, location: node.location ?? element.location))
            }
            nodes.append(node)
        }
    }
}
