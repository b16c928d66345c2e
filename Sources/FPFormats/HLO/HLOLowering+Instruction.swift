import FPGraph
import FPNumerics

extension HLOLowering {
    /// One instruction as a ``NodeSpec``: its operation, operands by name,
    /// declared type (checked by the builder against the inferred one),
    /// location and metadata.
    func lower(_ instruction: HLOInstructionSyntax, in scope: Scope, calls: inout [CallEdge]) throws -> NodeSpec {
        let opcode = instruction.opcode
        if let error = opcodeError(instruction) { throw error }
        for operand in instruction.operands {
            guard let definition = scope.instructions[operand.name] else {
                throw GraphError.undefinedOperand(
                    computation: scope.computation, node: instruction.name,
                    operand: operand.name, location: operand.location)
            }
            if let written = operand.shape, let actual = definition.shape {
                let (w, a) = (try valueType(written), try valueType(actual))
                if w != a {
                    throw FormatError.invalidValue(
                        what: "operand '\(operand.name)' of '\(instruction.name)'",
                        message: "is written as \(w) but '\(operand.name)' is \(a)",
                        location: written.location)
                }
            }
        }
        let declared = try instruction.shape.map(valueType)
        var attributes = try HLOAttributeTable(instruction)
        var metadata = try nodeMetadata(attributes.take("metadata"))
        var context = InstructionContext(
            lowering: self, instruction: instruction, scope: scope, declared: declared,
            attributes: attributes, calls: calls, metadata: metadata)
        let operation = try context.operation()
        (attributes, calls, metadata) = (context.attributes, context.calls, context.metadata)

        for attribute in attributes.remaining {
            if HLOOpcodes.semanticAttributes.contains(attribute.name) {
                throw FormatError.invalidValue(
                    what: "attribute '\(attribute.name)'",
                    message: "does not apply to opcode '\(opcode)'", location: attribute.location)
            }
            if attribute.name == "result_accuracy" { metadata["result_accuracy"] = text(of: attribute) }
        }
        if operation.opcodeName != opcode { metadata["hlo_opcode"] = opcode }
        return NodeSpec(
            name: instruction.name, operation: operation, operands: instruction.operands.map(\.name),
            declaredType: declared, location: instruction.location, metadata: metadata)
    }
}

/// The state of lowering one instruction: the attributes not yet used, the
/// calls found so far, the metadata being built.
private struct InstructionContext {
    let lowering: HLOLowering
    let instruction: HLOInstructionSyntax
    let scope: HLOLowering.Scope
    let declared: ValueType?
    var attributes: HLOAttributeTable
    var calls: [HLOLowering.CallEdge]
    var metadata: [String: String]

    var name: String { instruction.name }
    var opcode: String { instruction.opcode }

    func missing(_ attribute: String) -> FormatError {
        .invalidValue(
            what: "instruction '\(name)' (\(opcode))", message: "needs the attribute '\(attribute)='",
            location: instruction.opcodeLocation)
    }

    mutating func required<T>(_ attribute: String, _ body: (inout HLOParser) throws -> T) throws -> T {
        guard let a = attributes.take(attribute) else { throw missing(attribute) }
        return try lowering.read(a, body)
    }

    mutating func optional<T>(_ attribute: String, _ body: (inout HLOParser) throws -> T) throws -> T? {
        guard let a = attributes.take(attribute) else { return nil }
        return try lowering.read(a, body)
    }

    /// A reference to a computation that must exist; recorded for the recursion check.
    mutating func computation(_ attribute: String) throws -> String {
        try resolve(try required(attribute) { try $0.parseComputationReference("'\(attribute)'") })
    }

    mutating func resolve(_ reference: (String, SourceLocation)) throws -> String {
        let (callee, location) = reference
        guard lowering.computationIndex[callee] != nil else {
            throw GraphError.undefinedComputation(node: name, computation: callee, location: location)
        }
        calls.append(HLOLowering.CallEdge(callee: callee, instruction: name, location: location))
        return callee
    }

    /// The type of operand `i` as its defining instruction declares it.
    func operandShape(_ i: Int) -> HLOShapeSyntax? {
        guard i < instruction.operands.count else { return nil }
        let operand = instruction.operands[i]
        return scope.instructions[operand.name]?.shape ?? operand.shape
    }

    func operandType(_ i: Int) -> ValueType? {
        operandShape(i).flatMap { try? lowering.valueType($0) }
    }

    mutating func operation() throws -> Operation {
        if let op = HLOOpcodes.unary[opcode] { return .unary(op) }
        if let op = HLOOpcodes.binary[opcode] { return .binary(op) }
        switch opcode {
        case "parameter":
            return .parameter(index: instruction.parameterNumber!)
        case "constant":
            return .constant(try literal())
        case "compare":
            return try compare()
        case "select": return .select
        case "clamp": return .clamp
        case "convert": return .convert
        case "bitcast-convert": return .bitcastConvert
        case "reshape": return .reshape
        case "tuple": return .tuple
        case "reduce-precision":
            let e = try required("exponent_bits") { try $0.parseInteger("the exponent_bits") }
            let m = try required("mantissa_bits") { try $0.parseInteger("the mantissa_bits") }
            return .reducePrecision(exponentBits: e, mantissaBits: m)
        case "broadcast":
            if let dims = try optional("dimensions", { try $0.parseBracedIntegers("the dimensions") }) {
                return .broadcast(dimensions: dims)
            }
            // As in XLA, a scalar operand may omit `dimensions={}`.
            guard operandType(0)?.arrayType?.rank == 0 else { throw missing("dimensions") }
            return .broadcast(dimensions: [])
        case "transpose":
            return .transpose(permutation: try required("dimensions") { try $0.parseBracedIntegers("the dimensions") })
        case "slice":
            return .slice(try required("slice") { try $0.parseSliceRanges() })
        case "concatenate":
            guard let a = attributes.take("dimensions") else { throw missing("dimensions") }
            let dims = try lowering.read(a) { try $0.parseBracedIntegers("the dimensions") }
            guard dims.count == 1 else {
                throw FormatError.invalidValue(
                    what: "'dimensions' of concatenate '\(name)'",
                    message: "must name exactly one dimension, found \(dims.count)", location: a.valueLocation)
            }
            return .concatenate(dimension: dims[0])
        case "pad":
            return .pad(try required("padding") { try $0.parsePaddingConfig() })
        case "iota":
            return .iota(dimension: try required("iota_dimension") { try $0.parseInteger("the iota_dimension") })
        case "reduce":
            let dims = try required("dimensions") { try $0.parseBracedIntegers("the dimensions") }
            return .reduce(dimensions: dims, reducer: try computation("to_apply"))
        case "reduce-window":
            let window = try optional("window") { try $0.parseWindow() } ?? WindowConfig(dimensions: [])
            return .reduceWindow(window, reducer: try computation("to_apply"))
        case "dot":
            return try dot()
        case "convolution":
            return try convolution()
        case "get-tuple-element":
            return .getTupleElement(index: try required("index") { try $0.parseInteger("the tuple index") })
        case "call":
            return .call(computation: try computation("to_apply"))
        case "fusion":
            if let kind = try optional("kind", { try $0.parseIdentifierValue("a fusion kind such as kLoop") }) {
                metadata["fusion_kind"] = kind
            }
            return .call(computation: try computation("calls"))
        case "bitcast":
            return try bitcast()
        case "dynamic-slice":
            return .dynamicSlice(
                sizes: try required("dynamic_slice_sizes") { try $0.parseBracedIntegers("the dynamic_slice_sizes") })
        case "dynamic-update-slice":
            return .dynamicUpdateSlice
        case "while":
            let condition = try computation("condition")
            return .whileLoop(condition: condition, body: try computation("body"))
        case "conditional":
            return try conditional()
        case "sort":
            let dims = try required("dimensions") { try $0.parseBracedIntegers("the dimensions") }
            guard dims.count == 1 else {
                throw FormatError.invalidValue(
                    what: "'dimensions' of sort '\(name)'",
                    message: "must name exactly one dimension, found \(dims.count)",
                    location: instruction.opcodeLocation)
            }
            return .sort(dimension: dims[0], isStable: try flag("is_stable"), comparator: try computation("to_apply"))
        case "custom-call":
            // Only XLA CPU's TopK gets here (HLOLowering.opcodeError refuses the rest).
            _ = attributes.take("custom_call_target")
            guard let list = attributes.take("called_computations") else { throw missing("called_computations") }
            let comparators = try lowering.read(list) { try $0.parseComputationList("the called_computations") }
            guard comparators.count == 1, case .tuple(let elements)? = declared,
                let values = elements.first?.arrayType, let k = values.dimensions.last
            else {
                throw FormatError.invalidValue(
                    what: "custom-call '\(name)'",
                    message: "a TopK custom-call has one comparator and returns (values, indices)",
                    location: instruction.opcodeLocation)
            }
            return .topK(k: k, largest: true, comparator: try resolve(comparators[0]))
        case "topk":
            let k = try required("k") { try $0.parseInteger("the k") }
            return .topK(
                k: k,
                largest: try optional("largest") { try $0.parseIdentifierValue("true or false") != "false" } ?? true)
        case "reverse":
            return .reverse(dimensions: try required("dimensions") { try $0.parseBracedIntegers("the dimensions") })
        case "opt-barrier":
            return .optimizationBarrier
        case "rng-bit-generator":
            return try randomBitGenerator()
        case "gather":
            return .gather(
                GatherDimensions(
                    offsetDims: try dimensionList("offset_dims"),
                    collapsedSliceDims: try dimensionList("collapsed_slice_dims"),
                    startIndexMap: try dimensionList("start_index_map"),
                    indexVectorDim: try required("index_vector_dim") { try $0.parseInteger("the index_vector_dim") },
                    sliceSizes: try required("slice_sizes") { try $0.parseBracedIntegers("the slice_sizes") },
                    operandBatchingDims: try dimensionList("operand_batching_dims"),
                    startIndicesBatchingDims: try dimensionList("start_indices_batching_dims"),
                    indicesAreSorted: try flag("indices_are_sorted")))
        case "scatter":
            return .scatter(
                ScatterDimensions(
                    updateWindowDims: try dimensionList("update_window_dims"),
                    insertedWindowDims: try dimensionList("inserted_window_dims"),
                    scatterDimsToOperandDims: try dimensionList("scatter_dims_to_operand_dims"),
                    indexVectorDim: try required("index_vector_dim") { try $0.parseInteger("the index_vector_dim") },
                    inputBatchingDims: try dimensionList("input_batching_dims"),
                    scatterIndicesBatchingDims: try dimensionList("scatter_indices_batching_dims"),
                    indicesAreSorted: try flag("indices_are_sorted"), uniqueIndices: try flag("unique_indices")),
                combiner: try computation("to_apply"))
        case "select-and-scatter":
            let window = try optional("window") { try $0.parseWindow() } ?? WindowConfig(dimensions: [])
            let select = try computation("select")
            return .selectAndScatter(window, select: select, scatter: try computation("scatter"))
        case "map":
            // XLA's map applies over every dimension, in order: `dimensions={0,...,rank-1}` (or omitted).
            if let a = attributes.take("dimensions") {
                let dims = try lowering.read(a) { try $0.parseBracedIntegers("the dimensions") }
                if let rank = operandType(0)?.arrayType?.rank, dims != Array(0..<rank) {
                    throw FormatError.invalidValue(
                        what: "'dimensions' of map '\(name)'",
                        message:
                            "must be every operand dimension in order, {\((0..<rank).map(String.init).joined(separator: ","))}",
                        location: a.valueLocation)
                }
            }
            return .map(computation: try computation("to_apply"))
        case "mulhi":
            return .multiplyHigh
        case "domain":
            return .unary(.copy)  // a sharding annotation: its operand, unchanged
        case "batch-norm-inference", "batch-norm-training", "batch-norm-grad":
            let epsilon = try required("epsilon") { try $0.parseFloat32("the epsilon") }
            let feature = try required("feature_index") { try $0.parseInteger("the feature_index") }
            return .batchNorm(
                BatchNormConfig(kind: BatchNormKind(rawValue: opcode)!, epsilon: epsilon, featureIndex: feature))
        default:
            throw FormatError.unsupported(
                message: "opcode '\(opcode)' has no lowering (an fpaudit bug; please report it)",
                location: instruction.opcodeLocation)
        }
    }

    /// A `{...}` list of dimension numbers; absent means empty (as XLA prints empty lists sometimes and omits them other times).
    private mutating func dimensionList(_ key: String) throws -> [Int] {
        try optional(key) { try $0.parseBracedIntegers("the \(key)") } ?? []
    }

    /// A `true`/`false` attribute; absent means false.
    private mutating func flag(_ key: String) throws -> Bool {
        guard let a = attributes.take(key) else { return false }
        let value = try lowering.read(a) { try $0.parseIdentifierValue("true or false") }
        switch value {
        case "true": return true
        case "false": return false
        default:
            throw FormatError.invalidValue(
                what: "'\(key)' of \(opcode) '\(name)'", message: "expected true or false, found \(value)",
                location: a.valueLocation)
        }
    }

    private func literal() throws -> Tensor {
        guard let shape = instruction.shape, let range = instruction.literalTokens,
            let location = instruction.literalLocation
        else {
            throw FormatError.invalidValue(
                what: "constant '\(name)'", message: "needs a shape such as f32[4] before 'constant'",
                location: instruction.opcodeLocation)
        }
        guard case .array(let type)? = declared else {
            throw FormatError.unsupported(message: "tuple-shaped constants are not supported", location: shape.location)
        }
        var parser = HLOParser(tokens: lowering.tokens, file: lowering.file)
        parser.position = range.lowerBound
        return try parser.parseLiteral(
            type: type, end: range.upperBound, node: name,
            maxElements: lowering.limits.maxElements, at: location)
    }

    private mutating func compare() throws -> Operation {
        guard let a = attributes.take("direction") else { throw missing("direction") }
        let text = try lowering.read(a) { try $0.parseIdentifierValue("a comparison direction") }
        guard let direction = ComparisonDirection(rawValue: text) else {
            throw FormatError.invalidValue(
                what: "direction '\(text)'", message: "expected EQ, NE, LT, LE, GT or GE",
                location: a.valueLocation)
        }
        var totalOrder = false
        if let t = attributes.take("type") {
            let type = try lowering.read(t) { try $0.parseIdentifierValue("a comparison type") }
            switch type {
            case "TOTALORDER":
                // On integers the total order is the natural one.
                totalOrder = operandType(0)?.arrayType?.dtype.isFloatingPoint ?? true
            case "FLOAT", "SIGNED", "UNSIGNED":
                if let dtype = operandType(0)?.arrayType?.dtype {
                    let natural =
                        dtype.isFloatingPoint ? "FLOAT" : (dtype.isUnsigned ? "UNSIGNED" : "SIGNED")
                    if natural != type {
                        throw FormatError.unsupported(
                            message:
                                "compare type=\(type) on \(dtype.rawValue) operands is not supported (fpaudit compares \(dtype.rawValue) as \(natural))",
                            location: t.valueLocation)
                    }
                }
            default:
                throw FormatError.invalidValue(
                    what: "comparison type '\(type)'", message: "expected FLOAT, TOTALORDER, SIGNED or UNSIGNED",
                    location: t.valueLocation)
            }
        }
        return .compare(direction, totalOrder: totalOrder)
    }

    private mutating func dot() throws -> Operation {
        func dims(_ key: String) throws -> [Int] {
            try optional(key) { try $0.parseBracedIntegers("the \(key)") } ?? []
        }
        let numbers = DotDimensions(
            lhsBatch: try dims("lhs_batch_dims"), rhsBatch: try dims("rhs_batch_dims"),
            lhsContracting: try dims("lhs_contracting_dims"),
            rhsContracting: try dims("rhs_contracting_dims"))
        if let s = attributes.take("sparsity") {
            throw FormatError.unsupported(message: "sparse dot (sparsity=) is not supported", location: s.location)
        }
        if let a = attributes.take("algorithm") {
            let algorithm = try lowering.read(a) { try $0.parseIdentifierValue("a dot algorithm") }.lowercased()
            let operand = operandType(0)?.arrayType?.dtype.rawValue ?? "?"
            let exact = [
                "unset", "alg_unset", "dot_\(operand)_\(operand)_\(operand)",
                "alg_dot_\(operand)_\(operand)_\(operand)",
            ]
            if !exact.contains(algorithm) {
                throw FormatError.unsupported(
                    message: "dot algorithm=\(algorithm) (which changes how the product is computed) is not supported",
                    location: a.valueLocation)
            }
        }
        return .dot(numbers)
    }

    /// `convolution(lhs, rhs), window={...}, dim_labels=b01f_01io->b01f,
    /// feature_group_count=N, batch_group_count=M`; `operand_precision`
    /// (precision_config) is a speed/accuracy hint for the backend and is ignored.
    private mutating func convolution() throws -> Operation {
        guard let labels = attributes.take("dim_labels") else { throw missing("dim_labels") }
        // The lexer splits `b01f_01io->b01f` at the arrow: the tokens, joined, are the labels.
        let text = lowering.text(of: labels).replacingOccurrences(of: " ", with: "")
        let dimensions: ConvolutionDimensions
        switch ConvolutionDimensions.parse(labels: text) {
        case .success(let d): dimensions = d
        case .failure(let problem):
            throw FormatError.invalidValue(
                what: "'dim_labels' of convolution '\(name)'", message: problem.message, location: labels.valueLocation)
        }
        let (window, reversal) =
            try optional("window") { try $0.parseWindowWithReversal() } ?? (WindowConfig(dimensions: []), [])
        let featureGroups = try optional("feature_group_count") { try $0.parseInteger("the feature_group_count") }
        let batchGroups = try optional("batch_group_count") { try $0.parseInteger("the batch_group_count") }
        _ = attributes.take("operand_precision")
        return .convolution(
            ConvolutionAttributes(
                dimensions: dimensions, window: window, windowReversal: reversal,
                featureGroupCount: featureGroups ?? 1, batchGroupCount: batchGroups ?? 1))
    }

    /// The bitcast keeps the operand's physical memory: both layouts matter.
    private func bitcast() throws -> Operation {
        let result = try layout(instruction.shape, what: "the result of bitcast '\(name)'")
        guard let operandShape = operandShape(0) else {
            if instruction.operands.isEmpty { return .bitcast(operandLayout: [], resultLayout: result ?? []) }
            throw FormatError.invalidValue(
                what: "bitcast '\(name)'",
                message: "needs the shape of its operand '\(instruction.operands[0].name)'",
                location: instruction.operands[0].location)
        }
        let operand = try layout(operandShape, what: "the operand of bitcast '\(name)'")
        // A bitcast that changes the element type (same shape and layout) reads the bits as
        // the new type: XLA lowers comparators' totalOrder tricks so (`s32[] bitcast(f32[])`).
        if case .array(let from) = operandShape, case .array(let to)? = instruction.shape,
            from.elementType != to.elementType
        {
            guard from.dimensions == to.dimensions, operand == result else {
                throw FormatError.unsupported(
                    message: "a bitcast that changes both the element type and the shape or layout is not supported",
                    location: instruction.opcodeLocation)
            }
            return .bitcastConvert
        }
        return .bitcast(operandLayout: operand ?? [], resultLayout: result ?? [])
    }

    /// A shape's minor-to-major order, `{rank-1,...,0}` when the text has none.
    private func layout(_ shape: HLOShapeSyntax?, what: String) throws -> [Int]? {
        guard case .array(let a)? = shape else { return nil }
        guard let layout = a.layout else { return Array((0..<a.dimensions.count).reversed()) }
        if layout.hasPhysicalExtras {
            throw FormatError.unsupported(
                message:
                    "a bitcast of a tiled or packed layout (\(what)) is not supported; only the minor-to-major order is modelled",
                location: layout.location)
        }
        return layout.minorToMajor
    }

    private mutating func conditional() throws -> Operation {
        let branchList = attributes.take("branch_computations")
        let trueBranch = attributes.take("true_computation")
        let falseBranch = attributes.take("false_computation")
        if let list = branchList {
            if let extra = trueBranch ?? falseBranch {
                throw FormatError.invalidValue(
                    what: "conditional '\(name)'",
                    message: "has both branch_computations and \(extra.name)", location: extra.location)
            }
            let references = try lowering.read(list) { try $0.parseComputationList("branch_computations") }
            if references.isEmpty {
                throw FormatError.invalidValue(
                    what: "conditional '\(name)'", message: "branch_computations is empty",
                    location: list.valueLocation)
            }
            return .conditional(branches: try references.map { try resolve($0) })
        }
        guard let t = trueBranch else { throw missing("true_computation") }
        guard let f = falseBranch else { throw missing("false_computation") }
        let onTrue = try resolve(try lowering.read(t) { try $0.parseComputationReference("'true_computation'") })
        let onFalse = try resolve(try lowering.read(f) { try $0.parseComputationReference("'false_computation'") })
        return .conditional(branches: [onTrue, onFalse])
    }

    /// `rng-bit-generator(state), algorithm=rng_default|rng_three_fry|rng_philox`
    /// (absent: `rng_default`, which XLA CPU runs as Philox); the bits' type is
    /// the second element of the declared `(state, bits)` tuple.
    mutating func randomBitGenerator() throws -> Operation {
        var algorithm = RandomBitAlgorithm.xlaCPUDefault
        if let a = attributes.take("algorithm") {
            let text = try lowering.read(a) { try $0.parseIdentifierValue("an rng algorithm") }
            guard let named = RandomBitAlgorithm(xlaName: text) else {
                throw FormatError.invalidValue(
                    what: "algorithm of '\(name)'", message: "expected rng_default, rng_three_fry or rng_philox",
                    location: a.valueLocation)
            }
            algorithm = named
        }
        guard case .tuple(let elements)? = declared, elements.count == 2, let bits = elements[1].arrayType else {
            throw FormatError.invalidValue(
                what: "rng-bit-generator '\(name)'", message: "returns a tuple (new state, bits)",
                location: instruction.opcodeLocation)
        }
        return .rngBitGenerator(algorithm: algorithm, output: bits)
    }
}
