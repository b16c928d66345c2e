import FPEval
import FPGraph
import FPMPFR
import FPNumerics

/// Names the cause (``ErrorCause``) of a node's local error at one element,
/// from the values the localizer already has: the operands' true values
/// rounded to their formats, the node's true value rounded to its format
/// (`want`), and what the node's own operation computes from those operands
/// in the measured IEEE semantics (`got`).
///
/// The rules, first match wins:
/// 1. `want` finite, and `got` infinite (or NaN from an infinite operand):
///    ``ErrorCause/overflow``.
/// 2. `want` nonzero and below the format's smallest normal:
///    ``ErrorCause/underflow(flushedToZero:)``.
/// 3. Beyond one ulp, an operand that is a `convert` to fewer significand
///    bits than the node's format (a bf16 cast before an f32 dot), or the node
///    itself such a `convert`: ``ErrorCause/narrowingConversion(from:to:droppedBits:)``.
/// 4. An effective subtraction (`add` of opposite signs, `subtract` of like
///    signs) whose result's exponent is at least one below the larger
///    operand's: ``ErrorCause/cancellation(operandExponent:resultExponent:)``.
///    An `add`/`subtract` whose smaller operand is below half an ulp of the
///    larger: ``ErrorCause/absorption(addendExponent:accumulatorExponent:)``.
/// 5. A `reduce` whose reducer is `add`: the addends of the element, summed
///    in row-major order in the measured format; cancellation when they have
///    both signs and the largest's exponent is at least two above the
///    result's; else ``ErrorCause/absorbedAddends(absorbed:terms:accumulatorExponent:)``
///    when some addend is below half an ulp of the running sum; else
///    ``ErrorCause/accumulatedRounding(terms:)`` beyond one ulp. A `dot` is
///    read the same way, as the sum of its products.
/// 6. Any other float elementwise op (`exp`, `tanh`, `multiply`, `power`, ...)
///    off by an ulp or more (a correctly rounded op on exact operands is off
///    by none): the operation is evaluated exactly (MPFR, adaptive precision) on
///    the same rounded operands; when that exact value rounds to `got` the
///    operation is exact and the error is its operands' rounding amplified
///    (``ErrorCause/operandRounding(op:)``), otherwise the implementation's own
///    (``ErrorCause/functionError(function:)``). When an operand is (or
///    only moves, through broadcast, reshape, transpose, slice or copy) a
///    constant element that keeps its decimal literal (``FPGraph/Tensor/literals``),
///    the operation is also evaluated exactly with the literal in its place:
///    when that brings the result within half the error of the truth, the
///    constant's rounding is the cause
///    (``ErrorCause/constantRounding(constant:literal:dtype:relativeError:)``);
///    otherwise the other operands' rounding dominates (operand rounding).
///    A widening `convert` of such a constant, exact itself, is named
///    constant rounding at once.
/// 7. A `call` (an XLA fusion) whose computation's result is one op applied
///    straight to its parameters: that op's cause, on the call's operands.
///    Any other node calling a computation (a larger fusion, a loop, a
///    conditional, named by the branch the sample took) beyond one ulp:
///    ``ErrorCause/calledComputation(name:operations:)``.
/// 8. Anything else: ``ErrorCause/rounding``.
///
/// A changed reduction order needs both graphs: the verifier names it
/// afterwards, on the REWRITTEN graph's sums (``ReductionOrderRule``).
///
/// Rule 6's exact evaluation is deferred (``PendingCheck``): the localizer
/// measures many samples, and only the sample where a node loses the most
/// is described, so the check runs once per reported node (``settle(_:)``).
struct CauseClassifier {
    let graph: Graph
    let exec: ExecutionMode
    let subnormals: SubnormalMode
    /// The computation the classified nodes live in (their operands' indices
    /// are positions in it): the entry, or a called computation's body.
    let scope: Computation

    init(graph: Graph, exec: ExecutionMode, subnormals: SubnormalMode, scope: Computation? = nil) {
        self.graph = graph
        self.exec = exec
        self.subnormals = subnormals
        self.scope = scope ?? graph.entry
    }

    /// The cause of `node`'s local error at element `e`.
    /// - Parameters:
    ///   - operands: the operands' values (true values rounded to the measured formats).
    ///   - got: the node's IEEE value on those operands, rounded to `format`.
    ///   - want: the node's true value rounded to `format`.
    ///   - ulps: the distance between them, in ulps of `format`.
    func cause(
        of node: Node, operandTypes: [ValueType], operands: [Tensor.Elements], element e: Int, got: Double,
        want: Double, format: FloatFormat, ulps: Double
    ) -> ErrorCause {
        pendingCheck.value = nil
        if want.isFinite && (got.isInfinite || (got.isNaN && operands.contains(where: Self.hasInfinity))) {
            return .overflow
        }
        if want != 0 && want.isFinite && Swift.abs(want) < format.minNormal {
            return .underflow(flushedToZero: got == 0)
        }
        if ulps > 1, let narrowed = narrowedOperand(of: node), narrowed.to.precision < format.precision {
            return .narrowingConversion(
                from: narrowed.fromName, to: narrowed.toName,
                droppedBits: narrowed.from.precision - narrowed.to.precision)
        }
        switch node.operation {
        case .convert:
            if let from = operandTypes.first?.arrayType?.dtype, let source = FloatFormat(name: from.rawValue),
                let to = node.type.arrayType?.dtype, source.precision > format.precision
            {
                return .narrowingConversion(
                    from: from.rawValue, to: to.rawValue, droppedBits: source.precision - format.precision)
            }
            // A widening convert is exact: a rounded constant is all it can carry.
            if ulps > 0, let constant = literalOperands(of: node, operands, e).first {
                return constant.cause
            }
        case .binary(let op) where op == .add || op == .subtract:
            if let a = scalar(operands, 0, e), let b = scalar(operands, 1, e),
                let cause = sum(a, op == .add ? b : -b, want: want, format: format)
            {
                return cause
            }
            if ulps > 0 {
                return function(
                    node, op.rawValue, operandTypes, operands, e, got: got, want: want, format: format, ulps: ulps)
            }
        case .reduce(let dimensions, let reducer):
            if graph.computations[reducer]?.simpleBinaryReducer == .add, case .floats(let values)? = operands.first,
                let type = operandTypes.first?.arrayType
            {
                let addends = Self.addends(of: e, values: values, dimensions: type.dimensions, reduced: dimensions)
                return reduction(addends, want: want, format: format, ulps: ulps)
            }
            if ulps > 1 { return .accumulatedRounding(terms: reducedTerms(operandTypes, dimensions)) }
        case .dot(let d):
            if operandTypes.count == 2, let lhs = operandTypes[0].arrayType, let rhs = operandTypes[1].arrayType,
                case .floats(let a) = operands[0], case .floats(let b) = operands[1]
            {
                let products = Self.products(of: e, lhs: (a, lhs.dimensions), rhs: (b, rhs.dimensions), d)
                return reduction(products, want: want, format: format, ulps: ulps)
            }
        case .unary(let op) where op.requiresFloat && ulps > 0:
            return function(
                node, op.rawValue, operandTypes, operands, e, got: got, want: want, format: format, ulps: ulps)
        case .binary(let op) where ulps > 0:
            return function(
                node, op.rawValue, operandTypes, operands, e, got: got, want: want, format: format, ulps: ulps)
        case .call(let name):
            return calledComputation(
                node, name, operandTypes: operandTypes, operands: operands, element: e, got: got, want: want,
                format: format, ulps: ulps)
        case .conditional(let branches) where ulps > 1 && !branches.isEmpty:
            // The branch the sample took: the selector's value is operand 0's.
            var selector: Int64 = 0
            if case .integers(let v)? = operands.first, let first = v.first { selector = first }
            let name = branches[
                Operation.conditionalBranch(
                    selector: selector, isPred: operandTypes.first?.arrayType?.dtype == .pred,
                    branchCount: branches.count)]
            return .calledComputation(name: name, operations: bodySize(name))
        default:
            if let name = node.operation.calledComputations.first, ulps > 1 {
                return .calledComputation(name: name, operations: bodySize(name))
            }
        }
        return .rounding
    }

    /// The cause in a `call` (an XLA fusion): when the computation's result is
    /// one op applied straight to its parameters, that op's cause on the
    /// call's operands; otherwise, beyond one ulp, the called computation as a whole.
    private func calledComputation(
        _ node: Node, _ name: String, operandTypes: [ValueType], operands: [Tensor.Elements], element e: Int,
        got: Double, want: Double, format: FloatFormat, ulps: Double
    ) -> ErrorCause {
        guard let body = graph.computations[name] else { return .rounding }
        let root = body.nodes[body.root]
        if let positions = body.rootParameterPositions, root.operation != node.operation,
            positions.allSatisfy({ operands.indices.contains($0) && operandTypes.indices.contains($0) })
        {
            // The root, as if it were the node: its operands are the call's.
            var inner = root
            inner.operands = positions.map { node.operands[$0] }
            return cause(
                of: inner, operandTypes: positions.map { operandTypes[$0] }, operands: positions.map { operands[$0] },
                element: e, got: got, want: want, format: format, ulps: ulps)
        }
        return ulps > 1 ? .calledComputation(name: name, operations: bodySize(name)) : .rounding
    }

    /// The computational nodes of a called computation (parameters aside).
    private func bodySize(_ name: String) -> Int {
        graph.computations[name].map { c in c.nodes.count - c.parameters.count } ?? 0
    }

    /// An operand of `node` (in ``scope``) that is a `convert` to
    /// a float type with fewer significand bits than the convert's input.
    private func narrowedOperand(of node: Node) -> (
        from: FloatFormat, to: FloatFormat, fromName: String, toName: String
    )? {
        let nodes = scope.nodes
        for k in node.operands where nodes.indices.contains(k) {
            let operand = nodes[k]
            guard case .convert = operand.operation, let input = operand.operands.first,
                let fromType = nodes[input].type.arrayType?.dtype, let toType = operand.type.arrayType?.dtype,
                let from = FloatFormat(name: fromType.rawValue), let to = FloatFormat(name: toType.rawValue),
                to.precision < from.precision
            else { continue }
            return (from, to, fromType.rawValue, toType.rawValue)
        }
        return nil
    }

    /// Cancellation or absorption in `a + b` (b already negated for a subtraction).
    private func sum(_ a: Double, _ b: Double, want: Double, format: FloatFormat) -> ErrorCause? {
        guard a.isFinite, b.isFinite, a != 0, b != 0 else { return nil }
        let larger = Swift.max(a.magnitude, b.magnitude)
        let smaller = Swift.min(a.magnitude, b.magnitude)
        if (a < 0) != (b < 0) {
            let resultExponent = want == 0 ? format.emin - format.fractionBits : Int(want.exponent)
            if Int(larger.exponent) - resultExponent >= 1 {
                return .cancellation(operandExponent: Int(larger.exponent), resultExponent: resultExponent)
            }
        }
        if smaller < Self.ulp(larger, format) / 2 {
            return .absorption(addendExponent: Int(smaller.exponent), accumulatorExponent: Int(larger.exponent))
        }
        return nil
    }

    /// The cause in a sum of `addends` (row-major order) whose true value rounds to `want`.
    private func reduction(_ addends: [Double], want: Double, format: FloatFormat, ulps: Double) -> ErrorCause {
        let finite = addends.filter { $0.isFinite && $0 != 0 }
        if let largest = finite.map(\.magnitude).max(), finite.contains(where: { $0 < 0 }),
            finite.contains(where: { $0 > 0 })
        {
            let resultExponent = want == 0 ? format.emin - format.fractionBits : Int(want.exponent)
            if Int(largest.exponent) - resultExponent >= 2 {
                return .cancellation(operandExponent: Int(largest.exponent), resultExponent: resultExponent)
            }
        }
        var running = 0.0
        var absorbed = 0
        var accumulatorExponent = 0
        for x in addends {
            if x != 0, running != 0, running.isFinite, x.magnitude < Self.ulp(running.magnitude, format) / 2 {
                absorbed += 1
                accumulatorExponent = Int(running.exponent)
            }
            running = format.round(running + x)
        }
        if absorbed > 0 {
            return .absorbedAddends(absorbed: absorbed, terms: addends.count, accumulatorExponent: accumulatorExponent)
        }
        return ulps > 1 ? .accumulatedRounding(terms: addends.count) : .rounding
    }

    /// Function error, operand rounding or constant rounding of an
    /// elementwise op at element `e`: provisionally constant rounding when an
    /// operand is a constant that keeps its literal, else operand rounding,
    /// with the check that settles it (``settle(_:)``) left in ``pendingCheck``.
    private func function(
        _ node: Node, _ name: String, _ operandTypes: [ValueType], _ operands: [Tensor.Elements], _ e: Int,
        got: Double, want: Double, format: FloatFormat, ulps: Double
    ) -> ErrorCause {
        let scalars = operands.indices.compactMap { scalar(operands, $0, e) }
        guard scalars.count == operands.count else { return .rounding }
        let constants = literalOperands(of: node, operands, e)
        pendingCheck.value = FunctionCheck(
            node: node, name: name, operandTypes: operandTypes, scalars: scalars, got: got, format: format,
            constants: constants, want: want, ulps: ulps)
        return constants.first?.cause ?? .operandRounding(op: name)
    }

    /// The operands of `node` whose element used at `e` is a constant element
    /// that keeps its decimal literal (directly, or only moved by broadcast,
    /// reshape, transpose, slice, copy), in operand order.
    private func literalOperands(of node: Node, _ operands: [Tensor.Elements], _ e: Int) -> [LiteralOperand] {
        let nodes = scope.nodes
        var found: [LiteralOperand] = []
        for (k, operand) in node.operands.enumerated() where operands.indices.contains(k) {
            // A one-element operand broadcasts (as ``scalar(_:_:_:)`` reads it).
            let element = operands[k].count == 1 ? 0 : e
            guard let source = scope.constantSource(ofNode: operand, element: element),
                case .constant(let tensor) = nodes[source.node].operation,
                let literal = tensor.literals?[source.element], case .floats(let values) = tensor.elements,
                values.indices.contains(source.element)
            else { continue }
            let rounded = values[source.element]
            found.append(
                LiteralOperand(
                    position: k, literal: literal,
                    cause: .constantRounding(
                        constant: nodes[source.node].name, literal: literal, dtype: tensor.dtype.rawValue,
                        relativeError: MPFRDecimal.relativeError(of: rounded, literal: literal) ?? .nan)))
        }
        return found
    }

    /// The check of the last ``cause(of:operandTypes:operands:element:got:want:format:ulps:)``
    /// that returned operand rounding provisionally (nil otherwise); the
    /// caller takes it (it is reset on each call).
    let pendingCheck = PendingCheck()

    /// Where ``cause(of:operandTypes:operands:element:got:want:format:ulps:)`` leaves its pending check.
    final class PendingCheck {
        var value: FunctionCheck?
    }

    /// The cause a ``FunctionCheck`` settles: the operation's exact value on
    /// the rounded operands (MPFR, adaptive precision) rounds to what was
    /// computed (operand rounding) or not (the implementation's own error).
    /// With a constant operand that keeps its literal, the exact value with
    /// the literals in the constants' places decides between the constant's
    /// rounding (it comes within half the error of the truth) and the other
    /// operands' (it does not).
    static func settle(_ check: FunctionCheck) -> ErrorCause {
        guard let exact = exactOnOperands(check.node, check.operandTypes, check.scalars, format: check.format)
        else { return .rounding }
        let exactAgrees = exact.bitPattern == check.got.bitPattern || (exact.isNaN && check.got.isNaN)
        guard exactAgrees else { return .functionError(function: check.name) }
        guard let constant = check.constants.first else { return .operandRounding(op: check.name) }
        let literals = Dictionary(check.constants.map { ($0.position, $0.literal) }) { a, _ in a }
        guard
            let withLiterals = exactOnOperands(
                check.node, check.operandTypes, check.scalars, literals: literals, format: check.format)
        else { return .operandRounding(op: check.name) }
        let remaining = check.format.ulpDistance(withLiterals, check.want)
        return remaining <= check.ulps / 2 ? constant.cause : .operandRounding(op: check.name)
    }

    /// The node's operation evaluated exactly (MPFR at adaptive precision) on
    /// scalar operands, rounded to `format`; nil when its truth does not settle.
    /// Operand `k` in `literals` is a constant denoting that decimal (its
    /// scalar is the decimal rounded to the operand's dtype).
    private static func exactOnOperands(
        _ node: Node, _ operandTypes: [ValueType], _ scalars: [Double], literals: [Int: String] = [:],
        format: FloatFormat
    ) -> Double? {
        guard let dtype = node.type.arrayType?.dtype else { return nil }
        var nodes: [Node] = []
        var parameters: [GraphParameter] = []
        var inputs: [Tensor.Elements] = []
        for (k, type) in operandTypes.enumerated() {
            guard let d = type.arrayType?.dtype, scalars.indices.contains(k) else { return nil }
            let scalar = ArrayType(d, [])
            if let literal = literals[k] {
                let value = Tensor(type: scalar, elements: .floats([scalars[k]]), literals: [0: literal])
                nodes.append(Node(name: "operand\(k)", operation: .constant(value), operands: [], type: .array(scalar)))
                continue
            }
            let index = parameters.count
            nodes.append(
                Node(name: "operand\(k)", operation: .parameter(index: index), operands: [], type: .array(scalar)))
            parameters.append(GraphParameter(name: "operand\(k)", index: index, type: scalar))
            inputs.append(.floats([scalars[k]]))
        }
        let result = ArrayType(dtype, [])
        nodes.append(
            Node(name: node.name, operation: node.operation, operands: Array(0..<scalars.count), type: .array(result)))
        let name = "__cause__"
        let parameterNodes = nodes.indices.filter { if case .parameter = nodes[$0].operation { true } else { false } }
        let single = Graph(
            computations: [
                name: Computation(name: name, nodes: nodes, parameters: parameterNodes, root: scalars.count)
            ],
            entryName: name, parameters: parameters, outputs: [GraphOutput(name: node.name, type: result)],
            source: "")
        let truth = AdaptiveTruth(
            graph: single, plan: GraphPlan(graph: single), startPrecision: 128, maxPrecision: 4096, fixedPrecision: nil)
        guard case .stable? = try? truth.evaluate(inputs), let accepted = truth.accepted,
            case .floats(let v)? = accepted.nodeData(scalars.count, format: { _ in format })
        else { return nil }
        return v.first
    }

    private static func hasInfinity(_ values: Tensor.Elements) -> Bool {
        if case .floats(let v) = values { return v.contains(where: \.isInfinite) }
        return false
    }

    /// Operand `k`'s value at element `e` (a one-element operand broadcasts).
    private func scalar(_ operands: [Tensor.Elements], _ k: Int, _ e: Int) -> Double? {
        guard operands.indices.contains(k), case .floats(let v) = operands[k], !v.isEmpty else { return nil }
        return v.count == 1 ? v[0] : (v.indices.contains(e) ? v[e] : nil)
    }

    private func reducedTerms(_ operandTypes: [ValueType], _ dimensions: [Int]) -> Int {
        guard let type = operandTypes.first?.arrayType else { return 0 }
        return dimensions.map { type.dimensions[$0] }.reduce(1, *)
    }

    /// The addends of output element `e` of a reduction over `reduced` of a
    /// row-major tensor of `dimensions`, in row-major order.
    static func addends(of e: Int, values: [Double], dimensions: [Int], reduced: [Int]) -> [Double] {
        let kept = dimensions.indices.filter { !reduced.contains($0) }
        // The output's multi-index of e, then every operand index with those kept coordinates.
        var outputIndex = [Int](repeating: 0, count: kept.count)
        var rest = e
        for (j, d) in kept.enumerated().reversed() {
            outputIndex[j] = rest % Swift.max(1, dimensions[d])
            rest /= Swift.max(1, dimensions[d])
        }
        var strides = [Int](repeating: 1, count: dimensions.count)
        for d in dimensions.indices.dropLast().reversed() { strides[d] = strides[d + 1] * dimensions[d + 1] }
        var base = 0
        for (j, d) in kept.enumerated() { base += outputIndex[j] * strides[d] }
        var offsets = [0]
        for d in reduced.sorted() {
            offsets = offsets.flatMap { o in (0..<dimensions[d]).map { o + $0 * strides[d] } }
        }
        return offsets.sorted().compactMap { values.indices.contains(base + $0) ? values[base + $0] : nil }
    }

    /// The products summed into output element `e` of a dot, in row-major
    /// order of the contracted indices (exact for f32 and narrower operands).
    /// The output's dimensions are the batch dimensions, then the lhs's free
    /// dimensions, then the rhs's, as in XLA's `DotGeneral`.
    static func products(
        of e: Int, lhs: (values: [Double], dimensions: [Int]), rhs: (values: [Double], dimensions: [Int]),
        _ d: DotDimensions
    ) -> [Double] {
        let lhsFree = lhs.dimensions.indices.filter { !d.lhsBatch.contains($0) && !d.lhsContracting.contains($0) }
        let rhsFree = rhs.dimensions.indices.filter { !d.rhsBatch.contains($0) && !d.rhsContracting.contains($0) }
        let outputDimensions =
            d.lhsBatch.map { lhs.dimensions[$0] } + lhsFree.map { lhs.dimensions[$0] }
            + rhsFree.map { rhs.dimensions[$0] }
        let coordinates = unflatten(e, outputDimensions)
        guard coordinates.count == outputDimensions.count else { return [] }
        var lhsIndex = [Int](repeating: 0, count: lhs.dimensions.count)
        var rhsIndex = [Int](repeating: 0, count: rhs.dimensions.count)
        for (j, (l, r)) in zip(d.lhsBatch, d.rhsBatch).enumerated() {
            (lhsIndex[l], rhsIndex[r]) = (coordinates[j], coordinates[j])
        }
        for (j, l) in lhsFree.enumerated() { lhsIndex[l] = coordinates[d.lhsBatch.count + j] }
        for (j, r) in rhsFree.enumerated() { rhsIndex[r] = coordinates[d.lhsBatch.count + lhsFree.count + j] }
        let contracted = d.lhsContracting.map { lhs.dimensions[$0] }
        let terms = contracted.reduce(1, *)
        var products: [Double] = []
        products.reserveCapacity(terms)
        for t in 0..<terms {
            for (j, c) in unflatten(t, contracted).enumerated() {
                lhsIndex[d.lhsContracting[j]] = c
                rhsIndex[d.rhsContracting[j]] = c
            }
            guard let x = element(lhs.values, lhs.dimensions, lhsIndex),
                let y = element(rhs.values, rhs.dimensions, rhsIndex)
            else { return [] }
            products.append(x * y)
        }
        return products
    }

    /// The multi-index of row-major position `position` in `dimensions`.
    private static func unflatten(_ position: Int, _ dimensions: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: dimensions.count)
        var rest = position
        for d in dimensions.indices.reversed() {
            index[d] = rest % Swift.max(1, dimensions[d])
            rest /= Swift.max(1, dimensions[d])
        }
        return index
    }

    /// The element at a multi-index of a row-major tensor, if in range.
    private static func element(_ values: [Double], _ dimensions: [Int], _ index: [Int]) -> Double? {
        var flat = 0
        for (d, i) in index.enumerated() { flat = flat * dimensions[d] + i }
        return values.indices.contains(flat) ? values[flat] : nil
    }

    /// One ulp of a nonzero finite `x` in `format` (the subnormal spacing below the normal range).
    static func ulp(_ x: Double, _ format: FloatFormat) -> Double {
        guard x.isFinite, x != 0 else { return format.minSubnormal }
        let exponent = Swift.max(Int(x.magnitude.exponent), format.emin)
        return Double(sign: .plus, exponent: exponent - format.fractionBits, significand: 1)
    }
}

/// An exact evaluation the classifier leaves for later (``CauseClassifier/settle(_:)``):
/// a node's operation on its rounded operands at one element, and what it computed.
struct FunctionCheck: Sendable, Equatable {
    let node: Node
    let name: String
    let operandTypes: [ValueType]
    let scalars: [Double]
    let got: Double
    let format: FloatFormat
    /// The operands that are constants keeping a decimal literal.
    var constants: [LiteralOperand] = []
    /// The node's true value rounded to `format`, and its distance from `got` in ulps.
    var want: Double = 0
    var ulps: Double = 0
}

/// An operand whose element is a constant's element that keeps its decimal
/// literal, with the cause that names it.
struct LiteralOperand: Sendable, Equatable {
    /// The operand's position.
    let position: Int
    /// The decimal the constant was written as.
    let literal: String
    /// ``ErrorCause/constantRounding(constant:literal:dtype:relativeError:)`` for it.
    let cause: ErrorCause
}
