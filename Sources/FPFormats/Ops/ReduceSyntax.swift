import FPGraph

/// `reduce(inputs..., inits...)`: `"dimensions"` and `"reducer"` (a
/// computation or a built-in reducer's name, ``BuiltinReducer``) in the graph
/// format; `dimensions={...}` and `to_apply=` in HLO.
struct ReduceSyntax: OpSpelling {
    let dimensions: [Int]
    let reducer: String

    static let graphSpellings = [OpSyntax(name: "reduce", attributes: ["dimensions", "reducer"], read: read)]
    static let hloOpcodes = ["reduce"]
    static let hloAttributes: Set<String> = ["dimensions", "to_apply"]

    /// Notes a built-in reducer in `node`, resolved to a synthesised
    /// computation once the document is read.
    private static func read(_ node: inout GraphNodeReader) throws -> Operation {
        let dims = try node.ints("dimensions")
        let reducer = try node.required("reducer").name(node.describe("reducer"))
        node.builtinReducer = BuiltinReducer(rawValue: reducer)
        return .reduce(dimensions: dims, reducer: reducer)
    }

    /// The dtype of the synthesised reducer for a `reduce` naming a built-in:
    /// the node's declared dtype, else the dtype of its initial value.
    ///
    /// When the initial value's dtype cannot be known because the graph is
    /// broken (an undefined operand, a cycle, a missing operand), a placeholder
    /// is returned and the builder reports the real problem.
    static func builtinReducerDType(
        for pending: GraphDocumentReader.PendingReducer, in computation: ComputationSpec,
        index: [String: NodeSpec]
    ) throws -> DType {
        let node = computation.nodes[pending.nodeIndex]
        let what = "node '\(node.name)' (reduce)"
        let reducer = pending.reducer.rawValue
        let dtype: DType
        if let declared = node.dtype {
            dtype = declared
        } else if node.operands.count == 2 {
            switch GraphDocumentReader.staticDType(of: node.operands[1], in: index) {
            case .known(let d):
                dtype = d
            case .broken:
                return .f32
            case .unknown:
                throw FormatError.invalidValue(
                    what: what,
                    message:
                        "cannot tell the dtype of the initial value '\(node.operands[1])' for the built-in reducer '\(reducer)'; declare \"dtype\" on the node",
                    location: pending.location)
            }
        } else if node.operands.count >= 4, node.operands.count.isMultiple(of: 2) {
            throw FormatError.invalidValue(
                what: what,
                message:
                    "the built-in reducer '\(reducer)' reduces one input; a reduce of \(node.operands.count / 2) inputs needs a computation",
                location: pending.location)
        } else {
            return .f32  // wrong arity: the builder reports it
        }
        if !pending.reducer.accepts(dtype) {
            throw FormatError.invalidValue(
                what: what, message: "the built-in reducer '\(reducer)' is not defined for \(dtype.rawValue)",
                location: pending.location)
        }
        return dtype
    }

    var writtenCallees: WrittenCallees { .reducer(reducer) }

    /// The reducer as a built-in's name when it is equivalent to one; then
    /// the result dtype too, unless the reader can tell it from the init value.
    func write(into node: inout GraphNodeWriter) {
        let written = node.reducerReference(reducer)
        node.operation = .reduce(dimensions: dimensions, reducer: written)
        node.attributes += [("dimensions", .ints(dimensions)), ("reducer", .string(written))]
        // Written as a built-in: the reader must be able to tell its dtype from the
        // init value (nodes are written in topological order, so its chain is known).
        if let (builtin, reducerDType) = node.builtins[reducer], written == builtin.rawValue,
            node.operandNames.count == 2,
            GraphDocumentReader.staticDType(of: node.operandNames[1], in: node.writtenSoFar) != .known(reducerDType)
        {
            node.dtype = node.type?.dtype
        }
    }

    /// The dtype of the init value for one input; unknown for several.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep {
        guard node.operands.count == 2 else {
            return node.operands.count.isMultiple(of: 2) ? .unknown : .broken
        }
        return .follow(node.operands[1])
    }

    /// Element `index` of a variadic reduce has the dtype of init value `index`.
    func staticDType(ofElement index: Int, of node: NodeSpec) -> StaticDTypeStep {
        guard node.operands.count.isMultiple(of: 2) else { return .unknown }
        let inputs = node.operands.count / 2
        return .follow((0..<inputs).contains(index) ? node.operands[inputs + index] : nil)
    }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation {
        let dims = try context.required("dimensions") { try $0.parseBracedIntegers("the dimensions") }
        return .reduce(dimensions: dims, reducer: try context.computation("to_apply"))
    }
}

/// The reducers `reduce` accepts by name without a computation; each becomes a
/// synthesised one-op computation `__<name>_<dtype>` computing `op(accumulator, element)`.
///
/// `add`, `multiply`, `maximum` and `minimum` take numeric dtypes; `and`, `or`
/// and `xor` take pred and integer dtypes.
enum BuiltinReducer: String, CaseIterable {
    case add, multiply, maximum, minimum, and, or, xor

    var binaryOp: BinaryOp {
        switch self {
        case .add: return .add
        case .multiply: return .multiply
        case .maximum: return .maximum
        case .minimum: return .minimum
        case .and: return .and
        case .or: return .or
        case .xor: return .xor
        }
    }

    init?(binaryOp: BinaryOp) {
        switch binaryOp {
        case .add: self = .add
        case .multiply: self = .multiply
        case .maximum: self = .maximum
        case .minimum: self = .minimum
        case .and: self = .and
        case .or: self = .or
        case .xor: self = .xor
        case .subtract, .divide, .remainder, .power, .atan2, .shiftLeft, .shiftRightLogical, .shiftRightArithmetic:
            return nil
        }
    }

    /// Whether the reducer is defined for elements of `dtype`.
    func accepts(_ dtype: DType) -> Bool {
        binaryOp.isLogical ? !dtype.isFloatingPoint : dtype != .pred
    }

    /// The reserved name of the synthesised computation for `dtype`.
    func computationName(for dtype: DType) -> String { "__\(rawValue)_\(dtype.rawValue)" }

    /// The synthesised computation: two scalar parameters and one binary op.
    func computation(for dtype: DType, location: SourceLocation?) -> ComputationSpec {
        let nodes = [
            NodeSpec(name: "accumulator", operation: .parameter(index: 0), dtype: dtype, shape: [], location: location),
            NodeSpec(name: "element", operation: .parameter(index: 1), dtype: dtype, shape: [], location: location),
            NodeSpec(
                name: "result", operation: .binary(binaryOp), operands: ["accumulator", "element"], location: location),
        ]
        return ComputationSpec(name: computationName(for: dtype), nodes: nodes, root: "result", location: location)
    }

    /// The built-in reducer a computation is equivalent to, if it is exactly
    /// `op(parameter 0, parameter 1)` over two scalars of one dtype.
    static func matching(_ computation: Computation) -> (BuiltinReducer, DType)? {
        guard computation.parameters.count == 2 else { return nil }
        let root = computation.nodes[computation.root]
        guard case .binary(let op) = root.operation, let reducer = BuiltinReducer(binaryOp: op),
            root.operands == computation.parameters,
            case .array(let type) = root.type, type.rank == 0
        else { return nil }
        for p in computation.parameters where computation.nodes[p].type != root.type { return nil }
        return (reducer, type.dtype)
    }
}
