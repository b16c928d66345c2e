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

        var builtin: BuiltinReducer?
        let operation: Operation
        switch syntax.kind {
        case .constant:
            let literal = try Tensor.decode(
                node.required("value"), dtype: declared(dtype, "dtype"), shape: shape,
                allowSplat: true, floats: .roundToDType, name: name,
                what: node.describe("value"), maxElements: limits.maxElements)
            operation = .constant(literal)
        case .unary(let op):
            operation = .unary(op)
        case .binary(let op):
            operation = .binary(op)
        case .compare:
            let v = try node.required("direction")
            let text = try v.string(node.describe("direction"))
            guard let direction = ComparisonDirection(rawValue: text) else {
                let all = ComparisonDirection.allCases.map(\.rawValue)
                let hint = all.contains(text.uppercased()) ? " (write '\(text.uppercased())')" : ""
                throw FormatError.invalidValue(
                    what: node.describe("direction"),
                    message: "expected one of \(all.joined(separator: " ")), found '\(text)'\(hint)",
                    location: v.location)
            }
            var totalOrder = false
            if let t = node.optional("type") {
                let text = try t.string(node.describe("type"))
                guard text == "totalorder" || text == "ieee" else {
                    throw FormatError.invalidValue(
                        what: node.describe("type"), message: "expected 'ieee' or 'totalorder', found '\(text)'",
                        location: t.location)
                }
                totalOrder = text == "totalorder"
            }
            operation = .compare(direction, totalOrder: totalOrder)
        case .select:
            operation = .select
        case .clamp:
            operation = .clamp
        case .convert:
            _ = try declared(dtype, "dtype")
            operation = .convert
        case .bitcastConvert:
            _ = try declared(dtype, "dtype")
            operation = .bitcastConvert
        case .reducePrecision:
            operation = .reducePrecision(exponentBits: try int("exponent_bits"), mantissaBits: try int("mantissa_bits"))
        case .broadcast:
            let dims = try ints("dimensions")
            _ = try declared(shape, "shape")
            operation = .broadcast(dimensions: dims)
        case .reshape:
            _ = try declared(shape, "shape")
            operation = .reshape
        case .transpose:
            operation = .transpose(permutation: try ints("permutation"))
        case .slice:
            let starts = try ints("start")
            let limits = try ints("limit")
            let strides = try optionalInts("stride") ?? [Int](repeating: 1, count: starts.count)
            operation = .slice(SliceBounds(starts: starts, limits: limits, strides: strides))
        case .concatenate:
            operation = .concatenate(dimension: try int("dimension"))
        case .pad:
            let low = try ints("low")
            let high = try ints("high")
            let interior = try optionalInts("interior") ?? [Int](repeating: 0, count: low.count)
            operation = .pad(PaddingConfig(low: low, high: high, interior: interior))
        case .iota:
            _ = try declared(dtype, "dtype")
            _ = try declared(shape, "shape")
            operation = .iota(dimension: try int("dimension"))
        case .reduce:
            let dims = try ints("dimensions")
            let reducer = try node.required("reducer").name(node.describe("reducer"))
            builtin = BuiltinReducer(rawValue: reducer)
            operation = .reduce(dimensions: dims, reducer: reducer)
        case .dot:
            operation = .dot(
                DotDimensions(
                    lhsBatch: try optionalInts("lhs_batch") ?? [],
                    rhsBatch: try optionalInts("rhs_batch") ?? [],
                    lhsContracting: try ints("lhs_contracting"),
                    rhsContracting: try ints("rhs_contracting")))
        case .tuple:
            operation = .tuple
        case .getTupleElement:
            operation = .getTupleElement(index: try int("index"))
        case .call:
            operation = .call(computation: try node.required("computation").name(node.describe("computation")))
        case .bitcast:
            _ = try declared(shape, "shape")
            operation = .bitcast(operandLayout: try ints("operand_layout"), resultLayout: try ints("result_layout"))
        case .reduceWindow:
            let window = WindowConfig(
                dimensions: try ints("window"), strides: try optionalInts("stride"),
                paddingLow: try optionalInts("padding_low"),
                paddingHigh: try optionalInts("padding_high"),
                baseDilations: try optionalInts("base_dilation"),
                windowDilations: try optionalInts("window_dilation"))
            operation = .reduceWindow(window, reducer: try node.required("reducer").name(node.describe("reducer")))
        case .dynamicSlice:
            operation = .dynamicSlice(sizes: try ints("sizes"))
        case .dynamicUpdateSlice:
            operation = .dynamicUpdateSlice
        case .whileLoop:
            operation = .whileLoop(
                condition: try node.required("condition").name(node.describe("condition")),
                body: try node.required("body").name(node.describe("body")))
        case .conditional:
            operation = .conditional(branches: try node.required("branches").nameArray(node.describe("branches")))
        case .reverse:
            operation = .reverse(dimensions: try ints("dimensions"))
        case .sort:
            operation = .sort(
                dimension: try int("dimension"), isStable: try optionalBool("stable") ?? false,
                comparator: try node.required("comparator").name(node.describe("comparator")))
        case .topK:
            operation = .topK(
                k: try int("k"), largest: try optionalBool("largest") ?? true,
                comparator: try node.optional("comparator")?.name(node.describe("comparator")))
        case .optimizationBarrier:
            operation = .optimizationBarrier
        case .rngBitGenerator:
            let value = try node.required("algorithm")
            let text = try value.string(node.describe("algorithm"))
            guard let algorithm = RandomBitAlgorithm(graphName: text) else {
                throw FormatError.invalidValue(
                    what: node.describe("algorithm"), message: "expected three_fry, philox or default, got '\(text)'",
                    location: value.location)
            }
            let bitsDType = try node.required("bits_dtype").dtype(node.describe("bits_dtype"))
            let bitsShape = try node.required("bits_shape").shape(node.describe("bits_shape"))
            operation = .rngBitGenerator(algorithm: algorithm, output: ArrayType(bitsDType, bitsShape))
        case .gather:
            operation = .gather(
                GatherDimensions(
                    offsetDims: try ints("offset_dims"), collapsedSliceDims: try ints("collapsed_slice_dims"),
                    startIndexMap: try ints("start_index_map"), indexVectorDim: try int("index_vector_dim"),
                    sliceSizes: try ints("slice_sizes"),
                    operandBatchingDims: try optionalInts("operand_batching_dims") ?? [],
                    startIndicesBatchingDims: try optionalInts("start_indices_batching_dims") ?? [],
                    indicesAreSorted: try optionalBool("indices_are_sorted") ?? false))
        case .convolution:
            operation = .convolution(try readConvolution(node))
        case .scatter:
            operation = .scatter(
                ScatterDimensions(
                    updateWindowDims: try ints("update_window_dims"),
                    insertedWindowDims: try ints("inserted_window_dims"),
                    scatterDimsToOperandDims: try ints("scatter_dims_to_operand_dims"),
                    indexVectorDim: try int("index_vector_dim"),
                    inputBatchingDims: try optionalInts("input_batching_dims") ?? [],
                    scatterIndicesBatchingDims: try optionalInts("scatter_indices_batching_dims") ?? [],
                    indicesAreSorted: try optionalBool("indices_are_sorted") ?? false,
                    uniqueIndices: try optionalBool("unique_indices") ?? false),
                combiner: try node.required("combiner").name(node.describe("combiner")))
        case .selectAndScatter:
            let window = WindowConfig(
                dimensions: try ints("window"), strides: try optionalInts("stride"),
                paddingLow: try optionalInts("padding_low"), paddingHigh: try optionalInts("padding_high"))
            operation = .selectAndScatter(
                window, select: try node.required("select").name(node.describe("select")),
                scatter: try node.required("scatter").name(node.describe("scatter")))
        case .map:
            operation = .map(computation: try node.required("computation").name(node.describe("computation")))
        case .multiplyHigh:
            operation = .multiplyHigh
        case .batchNorm(let kind):
            operation = .batchNorm(
                BatchNormConfig(
                    kind: kind, epsilon: try node.required("epsilon").float32(node.describe("epsilon")),
                    featureIndex: try int("feature_index")))
        }
        let spec = NodeSpec(
            name: name, operation: operation, operands: operands, dtype: dtype, shape: shape,
            location: value.location, metadata: metadata)
        return (spec, builtin)
    }

    /// The dtype of the synthesised reducer for a `reduce` naming a built-in:
    /// the node's declared dtype, else the dtype of its initial value.
    ///
    /// When the initial value's dtype cannot be known because the graph is
    /// broken (an undefined operand, a cycle, a missing operand), a placeholder
    /// is returned and the builder reports the real problem.
    func reducerDType(
        for pending: PendingReducer, in computation: ComputationSpec,
        index: [String: NodeSpec]
    ) throws -> DType {
        let node = computation.nodes[pending.nodeIndex]
        let what = "node '\(node.name)' (reduce)"
        let reducer = pending.reducer.rawValue
        let dtype: DType
        if let declared = node.dtype {
            dtype = declared
        } else if node.operands.count == 2 {
            switch Self.staticDType(of: node.operands[1], in: index) {
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
            switch node.operation {
            case .constant(let literal):
                return .known(literal.type.dtype)
            case .compare, .unary(.isFinite):
                return .known(.pred)
            case .unary, .binary, .clamp, .reducePrecision, .broadcast, .reshape, .transpose, .slice,
                .concatenate, .pad, .dot, .convolution, .bitcast, .dynamicSlice, .dynamicUpdateSlice, .gather, .reverse:
                next = node.operands.first
            case .optimizationBarrier, .topK, .map, .batchNorm, .rngBitGenerator:
                return .unknown
            case .selectAndScatter, .multiplyHigh:
                next = node.operands.first
            case .sort:
                guard node.operands.count == 1 else { return .unknown }
                next = node.operands.first
            case .scatter:
                guard node.operands.count == 3 else { return .unknown }
                next = node.operands.first
            case .reduceWindow:
                guard node.operands.count == 2 else {
                    return node.operands.count.isMultiple(of: 2) ? .unknown : .broken
                }
                next = node.operands[1]
            case .select:
                next = node.operands.count == 3 ? node.operands[1] : nil
            case .reduce:
                guard node.operands.count == 2 else {
                    return node.operands.count.isMultiple(of: 2) ? .unknown : .broken
                }
                next = node.operands[1]
            case .getTupleElement(let index):
                guard let tupleName = node.operands.first, let tuple = byName[tupleName] else { return .broken }
                switch tuple.operation {
                case .tuple:
                    next = tuple.operands.indices.contains(index) ? tuple.operands[index] : nil
                case .reduce where tuple.operands.count.isMultiple(of: 2):
                    let inputs = tuple.operands.count / 2
                    next = (0..<inputs).contains(index) ? tuple.operands[inputs + index] : nil
                default:
                    return .unknown
                }
            case .parameter, .iota, .convert, .bitcastConvert:
                return .broken  // these always declare a dtype
            case .tuple, .call, .whileLoop, .conditional:
                return .unknown
            }
            guard let next else { return .broken }
            current = next
        }
    }
}
