import FPGraph
import FPNumerics

/// How one op is spelled in the graph format: its name and the attribute
/// keys it accepts besides the common node keys.
struct OpSyntax {
    enum Kind {
        case constant, unary(UnaryOp), binary(BinaryOp), compare, select, clamp, convert, reducePrecision
        case broadcast, reshape, transpose, slice, concatenate, pad, iota, reduce, dot, tuple, getTupleElement, call
        case bitcast, reduceWindow, whileLoop, conditional, dynamicSlice, dynamicUpdateSlice, gather, scatter
        case reverse, optimizationBarrier, sort, topK, bitcastConvert, convolution
        case selectAndScatter, map, multiplyHigh, batchNorm(BatchNormKind)
        case rngBitGenerator
    }

    let name: String
    let kind: Kind
    /// Op-specific keys (required and optional).
    let attributes: [String]
    /// Whether the node may declare `dtype` and `shape` (every op except `tuple`
    /// and `rng-bit-generator`, whose results are tuples).
    var allowsDeclaredType: Bool {
        switch kind {
        case .tuple, .rngBitGenerator: return false
        default: return true
        }
    }

    /// Keys every node may have.
    static let commonKeys = ["name", "op", "operands", "metadata"]
    static let typeKeys = ["dtype", "shape"]

    /// All keys a node with this op may have, in the order the writer emits them.
    var allowedKeys: [String] {
        ["name", "op", "operands"] + (allowsDeclaredType ? Self.typeKeys : []) + attributes + ["metadata"]
    }

    /// Every op, in documentation order.
    static let all: [OpSyntax] = {
        var ops = [OpSyntax(name: "constant", kind: .constant, attributes: ["value"])]
        ops += UnaryOp.allCases.map { OpSyntax(name: $0.rawValue, kind: .unary($0), attributes: []) }
        ops += BinaryOp.allCases.map { OpSyntax(name: $0.rawValue, kind: .binary($0), attributes: []) }
        ops += [
            OpSyntax(name: "compare", kind: .compare, attributes: ["direction", "type"]),
            OpSyntax(name: "select", kind: .select, attributes: []),
            OpSyntax(name: "clamp", kind: .clamp, attributes: []),
            OpSyntax(name: "convert", kind: .convert, attributes: []),
            OpSyntax(name: "reduce-precision", kind: .reducePrecision, attributes: ["exponent_bits", "mantissa_bits"]),
            OpSyntax(name: "broadcast", kind: .broadcast, attributes: ["dimensions"]),
            OpSyntax(name: "reshape", kind: .reshape, attributes: []),
            OpSyntax(name: "transpose", kind: .transpose, attributes: ["permutation"]),
            OpSyntax(name: "slice", kind: .slice, attributes: ["start", "limit", "stride"]),
            OpSyntax(name: "concatenate", kind: .concatenate, attributes: ["dimension"]),
            OpSyntax(name: "pad", kind: .pad, attributes: ["low", "high", "interior"]),
            OpSyntax(name: "iota", kind: .iota, attributes: ["dimension"]),
            OpSyntax(name: "reduce", kind: .reduce, attributes: ["dimensions", "reducer"]),
            OpSyntax(
                name: "dot", kind: .dot, attributes: ["lhs_batch", "rhs_batch", "lhs_contracting", "rhs_contracting"]),
            OpSyntax(name: "tuple", kind: .tuple, attributes: []),
            OpSyntax(name: "get-tuple-element", kind: .getTupleElement, attributes: ["index"]),
            OpSyntax(name: "call", kind: .call, attributes: ["computation"]),
            OpSyntax(name: "bitcast", kind: .bitcast, attributes: ["operand_layout", "result_layout"]),
            OpSyntax(
                name: "reduce-window", kind: .reduceWindow,
                attributes: [
                    "window", "stride", "padding_low", "padding_high", "base_dilation", "window_dilation",
                    "reducer",
                ]),
            OpSyntax(name: "dynamic-slice", kind: .dynamicSlice, attributes: ["sizes"]),
            OpSyntax(name: "dynamic-update-slice", kind: .dynamicUpdateSlice, attributes: []),
            OpSyntax(name: "while", kind: .whileLoop, attributes: ["condition", "body"]),
            OpSyntax(name: "conditional", kind: .conditional, attributes: ["branches"]),
            OpSyntax(
                name: "gather", kind: .gather,
                attributes: [
                    "offset_dims", "collapsed_slice_dims", "start_index_map", "index_vector_dim", "slice_sizes",
                    "operand_batching_dims", "start_indices_batching_dims", "indices_are_sorted",
                ]),
            OpSyntax(
                name: "scatter", kind: .scatter,
                attributes: [
                    "update_window_dims", "inserted_window_dims", "scatter_dims_to_operand_dims", "index_vector_dim",
                    "input_batching_dims", "scatter_indices_batching_dims", "indices_are_sorted", "unique_indices",
                    "combiner",
                ]),
            OpSyntax(name: "reverse", kind: .reverse, attributes: ["dimensions"]),
            OpSyntax(name: "opt-barrier", kind: .optimizationBarrier, attributes: []),
            OpSyntax(name: "sort", kind: .sort, attributes: ["dimension", "stable", "comparator"]),
            OpSyntax(name: "topk", kind: .topK, attributes: ["k", "largest", "comparator"]),
            OpSyntax(name: "bitcast-convert", kind: .bitcastConvert, attributes: []),
            OpSyntax(
                name: "convolution", kind: .convolution,
                attributes: [
                    "dim_labels", "window", "stride", "padding_low", "padding_high", "lhs_dilation", "rhs_dilation",
                    "rhs_reversal", "feature_group_count", "batch_group_count",
                ]),
            OpSyntax(
                name: "select-and-scatter", kind: .selectAndScatter,
                attributes: ["window", "stride", "padding_low", "padding_high", "select", "scatter"]),
            OpSyntax(name: "map", kind: .map, attributes: ["computation"]),
            OpSyntax(name: "mulhi", kind: .multiplyHigh, attributes: []),
            OpSyntax(
                name: "rng-bit-generator", kind: .rngBitGenerator,
                attributes: ["algorithm", "bits_dtype", "bits_shape"]),
        ]
        ops += BatchNormKind.allCases.map {
            OpSyntax(name: $0.rawValue, kind: .batchNorm($0), attributes: ["epsilon", "feature_index"])
        }
        return ops
    }()

    static let byName: [String: OpSyntax] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
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
        default: return nil
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

extension RandomBitAlgorithm {
    /// The spelling in the graph format: `three_fry` or `philox`.
    var graphName: String { self == .threeFry ? "three_fry" : "philox" }

    /// Reads a graph-format algorithm name: `three_fry`, `philox` or `default`
    /// (XLA CPU's default, Philox), also with XLA's `rng_` prefix.
    init?(graphName: String) {
        let name = graphName.hasPrefix("rng_") ? String(graphName.dropFirst(4)) : graphName
        switch name {
        case "default": self = .xlaCPUDefault
        case "three_fry": self = .threeFry
        case "philox": self = .philox
        default: return nil
        }
    }
}
