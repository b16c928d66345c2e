/// Shape and dtype inference for every operation, with the checks that make a
/// node well formed. The per-op rule is ``OpRule/inferType(_:)`` (in
/// `Ops/<Family>Rule.swift`); this type runs it and applies the checks common to all ops.
struct TypeInference {
    let limits: GraphLimits
    let callees: [String: Computation]

    /// Infers a node's type from its operands, checks it against what the node
    /// declares, and applies the size limit.
    func infer(_ spec: NodeSpec, operandTypes: [ValueType]) throws -> ValueType {
        let context = Context(spec: spec, operandTypes: operandTypes, callees: callees)
        let inferred = try spec.operation.rule.inferType(context)
        if let declared = spec.declaredType, declared != inferred {
            throw context.mismatch("declared type \(declared) but the operands give \(inferred)")
        }
        if case .array(let a) = inferred {
            if let dtype = spec.dtype, dtype != a.dtype {
                throw context.mismatch("declared dtype \(dtype.rawValue) but the operands give \(a.dtype.rawValue)")
            }
            if let shape = spec.shape, shape != a.dimensions {
                throw context.mismatch("declared shape \(shape) but the operands give \(a.dimensions)")
            }
        }
        try checkSize(inferred, context)
        return inferred
    }

    private func checkSize(_ type: ValueType, _ context: Context) throws {
        switch type {
        case .array(let a):
            if a.dimensions.contains(where: { $0 < 0 }) {
                throw context.invalid("negative dimension in \(a)")
            }
            let count = a.elementCount
            if count > limits.maxElements {
                throw GraphError.tooLarge(
                    node: context.spec.name, elements: count, limit: limits.maxElements,
                    location: context.spec.location)
            }
        case .tuple(let elements):
            for e in elements { try checkSize(e, context) }
        }
    }
}

/// The node being inferred plus helpers that turn failed checks into located errors.
struct Context {
    let spec: NodeSpec
    let operandTypes: [ValueType]
    /// The computations built so far, by name: every computation the node calls is among them.
    let callees: [String: Computation]

    var op: String { spec.operation.opcodeName }

    func mismatch(_ message: String) -> GraphError {
        .typeMismatch(node: spec.name, op: op, message: message, location: spec.location)
    }

    func invalid(_ message: String) -> GraphError {
        .invalidAttribute(node: spec.name, op: op, message: message, location: spec.location)
    }

    func missing(_ message: String) -> GraphError {
        .missingType(node: spec.name, op: op, message: message, location: spec.location)
    }

    func arity(_ expected: Int) throws {
        if operandTypes.count != expected {
            throw GraphError.arity(
                node: spec.name, op: op, expected: "\(expected)", got: operandTypes.count,
                location: spec.location)
        }
    }

    /// The computation `name` the node calls, built before the node.
    /// - Throws: ``GraphError/undefinedComputation(node:computation:location:)`` when
    ///   it is not (the builder checks every call first, so only a caller that skips it sees this).
    func callee(_ name: String) throws -> Computation {
        guard let computation = callees[name] else {
            throw GraphError.undefinedComputation(node: spec.name, computation: name, location: spec.location)
        }
        return computation
    }

    /// Operand `i`, which must be an array.
    /// - Throws: a located arity error when there is no operand `i`, a type mismatch when it is a tuple.
    func array(_ i: Int) throws -> ArrayType {
        guard operandTypes.indices.contains(i) else {
            throw GraphError.arity(
                node: spec.name, op: op, expected: "at least \(i + 1)", got: operandTypes.count,
                location: spec.location)
        }
        guard let a = operandTypes[i].arrayType else {
            throw mismatch("operand \(i) is the tuple \(operandTypes[i]); an array is needed")
        }
        return a
    }

    /// The start indices of a dynamic slice: one integer scalar per dimension, all of one dtype.
    func checkStartIndices(from first: Int, rank: Int) throws {
        let starts = try (first..<(first + rank)).map { try array($0) }
        for s in starts where s.rank != 0 || !s.dtype.isInteger || s.dtype != starts[0].dtype {
            throw mismatch("start indices must be integer scalars of one dtype, got \(starts.map(\.description))")
        }
    }

    func requireFloat(_ a: ArrayType, _ what: String) throws {
        if !a.dtype.isFloatingPoint { throw mismatch("\(what) needs a floating-point operand, got \(a)") }
    }

    /// The declared type of a node that cannot infer one (parameter, iota).
    func declaredArrayOrType() throws -> ValueType {
        if let declared = spec.declaredType { return declared }
        guard let dtype = spec.dtype, let shape = spec.shape else {
            throw missing("\(op) needs a declared dtype and shape")
        }
        return .array(dtype, shape)
    }

    /// The common shape of elementwise operands; rank-0 operands broadcast.
    func elementwiseShape(_ positions: [Int]) throws -> [Int] {
        let arrays = try positions.map { try array($0) }
        let shaped = arrays.filter { $0.rank > 0 }
        guard let shape = shaped.first?.dimensions else { return [] }
        for a in shaped where a.dimensions != shape {
            throw mismatch("operand shapes differ: \(arrays.map(\.description).joined(separator: " vs "))")
        }
        return shape
    }

    func sameDType(_ positions: [Int]) throws -> DType {
        let arrays = try positions.map { try array($0) }
        let dtype = arrays[0].dtype
        if arrays.contains(where: { $0.dtype != dtype }) {
            throw mismatch("operand dtypes differ: \(arrays.map(\.description).joined(separator: " vs "))")
        }
        return dtype
    }
}

extension Context {
    /// `terms` summed, or a located error naming `what` when the sum overflows
    /// (sizes computed from attributes are input: they must not trap).
    func sum(_ what: String, _ terms: Int...) throws -> Int {
        var total = 0
        for t in terms {
            let (s, overflow) = total.addingReportingOverflow(t)
            if overflow { throw invalid("\(what) overflows: its size is out of range") }
            total = s
        }
        return total
    }

    /// `a × b`, or a located error naming `what` when the product overflows.
    func product(_ what: String, _ a: Int, _ b: Int) throws -> Int {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw invalid("\(what) overflows: its size is out of range") }
        return p
    }
}

extension Context {
    /// The operands of `reduce` and `reduce-window` (N inputs of one shape, then
    /// N scalar initial values), checked against the reducer's signature:
    /// `(accumulators..., elements...) -> accumulator(s)`.
    func reductionOperands(reducer reducerName: String) throws -> (
        inputs: [ArrayType], inits: [ArrayType]
    ) {
        let count = operandTypes.count
        guard count >= 2, count % 2 == 0 else {
            throw GraphError.arity(
                node: spec.name, op: op, expected: "an even number (inputs then initial values)",
                got: count, location: spec.location)
        }
        let n = count / 2
        let inputs = try (0..<n).map { try array($0) }
        let inits = try (n..<count).map { try array($0) }
        for (i, a) in inputs.enumerated() where a.dimensions != inputs[0].dimensions {
            throw mismatch("\(op) input \(i) is \(a) but input 0 is \(inputs[0])")
        }
        for (i, a) in inits.enumerated() where a.rank != 0 {
            throw mismatch("initial value \(i) must be a scalar, got \(a)")
        }
        let reducer = try callee(reducerName)
        let accumulators = inits.map { ValueType.array($0.dtype, []) }
        let expectedParameters = accumulators + inputs.map { ValueType.array($0.dtype, []) }
        let actualParameters = reducer.parameters.map { reducer.nodes[$0].type }
        if actualParameters != expectedParameters {
            throw mismatch(
                "reducer '\(reducerName)' takes \(actualParameters.map(\.description)) but this \(op) needs \(expectedParameters.map(\.description))"
            )
        }
        let expectedResult: ValueType = n == 1 ? accumulators[0] : .tuple(accumulators)
        if reducer.resultType != expectedResult {
            throw mismatch(
                "reducer '\(reducerName)' returns \(reducer.resultType) but this \(op) needs \(expectedResult)")
        }
        return (inputs, inits)
    }
}
