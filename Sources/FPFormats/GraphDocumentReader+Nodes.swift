import FPGraph
import FPNumerics

extension GraphDocumentReader {
    /// Reads one node object; also returns the built-in reducer a `reduce` names, if any.
    func readNode(_ value: JSONValue, position: Int) throws -> (NodeSpec, BuiltinReducer?) {
        let object = try ObjectReader(value, context: "nodes[\(position)]")
        let name = try object.required("name").name(object.describe("name"))
        let opValue = try object.required("op")
        let opName = try opValue.string("'op' of node '\(name)'")
        guard let syntax = OpSyntax.byName[opName] else {
            if opName == "parameter" {
                throw FormatError.invalidValue(
                    what: "node '\(name)'",
                    message: "parameters are declared in the \"parameters\" list, not as nodes",
                    location: opValue.location)
            }
            throw FormatError.unknownOp(
                op: opName, node: name, suggestions: opName.closestMatches(in: GraphJSON.opNames),
                location: opValue.location)
        }
        let node = object.renamed("node '\(name)' (\(opName))")
        try node.checkKeys(allowed: syntax.allowedKeys)

        var operands: [String] = []
        if let o = node.optional("operands") { operands = try o.nameArray(node.describe("operands")) }
        let dtype = try node.optional("dtype")?.dtype(node.describe("dtype"))
        let shape = try node.optional("shape")?.shape(node.describe("shape"))
        var metadata: [String: String] = [:]
        if let m = node.optional("metadata") { metadata = try m.stringMap(node.describe("metadata")) }

        var reader = GraphNodeReader(node: node, name: name, dtype: dtype, shape: shape, limits: limits)
        let operation = try syntax.read(&reader)
        let spec = NodeSpec(
            name: name, operation: operation, operands: operands, dtype: dtype, shape: shape,
            location: value.location, metadata: metadata)
        return (spec, reader.builtinReducer)
    }

    /// Nodes by name (the first of duplicates; the builder reports those).
    static func nodeIndex(_ nodes: [NodeSpec]) -> [String: NodeSpec] {
        var byName: [String: NodeSpec] = [:]
        for node in nodes where byName[node.name] == nil { byName[node.name] = node }
        return byName
    }

    enum StaticDType: Equatable {
        case known(DType)
        /// The chain of operands is broken (undefined name, cycle, missing operand).
        case broken
        /// Only full type inference could tell (tuples from `call`, variadic reduce).
        case unknown
    }

    /// Follows operands from `name` until a node whose dtype is explicit.
    ///
    /// Every op's result dtype is either stated (constant, iota, convert, a
    /// declared `dtype`), fixed (pred for compare and is-finite), or the dtype
    /// of one particular operand, so this is a walk along one chain, not a search.
    static func staticDType(of name: String, in byName: [String: NodeSpec]) -> StaticDType {
        var current = name
        var visited = Set<String>()
        while true {
            guard visited.insert(current).inserted, let node = byName[current] else { return .broken }
            if let dtype = node.dtype { return .known(dtype) }
            let next: String?
            switch node.operation.spelling.staticDType(of: node, in: byName) {
            case .known(let dtype): return .known(dtype)
            case .follow(let operand): next = operand
            case .broken: return .broken
            case .unknown: return .unknown
            }
            guard let next else { return .broken }
            current = next
        }
    }
}

/// One node object being read, for its op's reader (``OpSyntax/read``): the
/// object (keys already checked), the node's name, declared dtype and shape,
/// and the typed reads of its attributes, each error located at the value.
struct GraphNodeReader {
    /// The node object, named `node 'n' (op)` in messages.
    let node: ObjectReader
    let name: String
    /// The declared `"dtype"`, if any.
    let dtype: DType?
    /// The declared `"shape"`, if any.
    let shape: [Int]?
    let limits: GraphLimits
    /// The built-in reducer a `reduce` names, if any (set by its reader).
    var builtinReducer: BuiltinReducer?

    var context: String { node.context }
    var location: SourceLocation { node.location }

    func required(_ key: String) throws -> JSONValue { try node.required(key) }
    func optional(_ key: String) -> JSONValue? { node.optional(key) }
    func describe(_ key: String) -> String { node.describe(key) }

    /// A declared `dtype` or `shape` the op needs.
    func declared<T>(_ value: T?, _ key: String) throws -> T {
        guard let value else {
            throw FormatError.missingKey(key: key, context: node.context, location: node.location)
        }
        return value
    }
    func int(_ key: String) throws -> Int { try node.required(key).int(node.describe(key)) }
    func ints(_ key: String) throws -> [Int] { try node.required(key).intArray(node.describe(key)) }
    func optionalInts(_ key: String) throws -> [Int]? { try node.optional(key)?.intArray(node.describe(key)) }
    func optionalBool(_ key: String) throws -> Bool? { try node.optional(key)?.bool(node.describe(key)) }
    /// A required name (of a computation).
    func computationName(_ key: String) throws -> String { try node.required(key).name(node.describe(key)) }
}
