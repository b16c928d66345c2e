/// Shape and dtype inference for every operation, with the checks that make a
/// node well formed. One method per operation family.
struct TypeInference {
    let limits: GraphLimits
    let callees: [String: Computation]

    /// Infers a node's type from its operands, checks it against what the node
    /// declares, and applies the size limit.
    func infer(_ spec: NodeSpec, operandTypes: [ValueType]) throws -> ValueType {
        let context = Context(spec: spec, operandTypes: operandTypes)
        let inferred = try inferUnchecked(context)
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

    private func inferUnchecked(_ c: Context) throws -> ValueType {
        let spec = c.spec
        switch spec.operation {
        case .parameter:
            try c.arity(0)
            return try c.declaredArrayOrType()
        case .constant(let literal):
            try c.arity(0)
            if literal.count != literal.type.elementCount {
                throw c.invalid(
                    "constant of type \(literal.type) needs \(literal.type.elementCount) elements, has \(literal.count)"
                )
            }
            return .array(literal.type)
        case .unary(let op):
            try c.arity(1)
            let x = try c.array(0)
            switch op {
            case .isFinite:
                try c.requireFloat(x, "is-finite")
                return .array(.pred, x.dimensions)
            case .not:
                if x.dtype.isFloatingPoint { throw c.mismatch("not needs a pred or integer operand, got \(x)") }
            case .neg, .abs, .sign:
                if x.dtype == .pred { throw c.mismatch("\(op.rawValue) needs a numeric operand, got \(x)") }
            case .copy:
                break
            case .popcnt, .clz:
                if !x.dtype.isInteger { throw c.mismatch("\(op.rawValue) needs an integer operand, got \(x)") }
            default:
                try c.requireFloat(x, op.rawValue)
            }
            return .array(x)
        case .binary(let op):
            try c.arity(2)
            let shape = try c.elementwiseShape([0, 1])
            let dtype = try c.sameDType([0, 1])
            if op.isShift {
                if !dtype.isInteger {
                    throw c.mismatch("\(op.rawValue) needs integer operands, got \(dtype.rawValue)")
                }
            } else if op.isLogical {
                if dtype.isFloatingPoint {
                    throw c.mismatch("\(op.rawValue) needs pred or integer operands, got \(dtype.rawValue)")
                }
            } else if op.requiresFloat {
                if !dtype.isFloatingPoint {
                    throw c.mismatch("\(op.rawValue) needs floating-point operands, got \(dtype.rawValue)")
                }
            } else if dtype == .pred {
                throw c.mismatch("\(op.rawValue) needs numeric operands, got pred")
            }
            return .array(dtype, shape)
        case .compare:
            try c.arity(2)
            let shape = try c.elementwiseShape([0, 1])
            _ = try c.sameDType([0, 1])
            return .array(.pred, shape)
        case .select:
            try c.arity(3)
            let predicate = try c.array(0)
            if predicate.dtype != .pred { throw c.mismatch("select's first operand must be pred, got \(predicate)") }
            let shape = try c.elementwiseShape([0, 1, 2])
            let dtype = try c.sameDType([1, 2])
            return .array(dtype, shape)
        case .clamp:
            try c.arity(3)
            let shape = try c.elementwiseShape([0, 1, 2])
            let dtype = try c.sameDType([0, 1, 2])
            if dtype == .pred { throw c.mismatch("clamp needs numeric operands") }
            if try c.array(1).dimensions != shape {
                throw c.mismatch("clamp's bounds must be scalars or have the operand's shape")
            }
            return .array(dtype, shape)
        case .convert:
            try c.arity(1)
            let x = try c.array(0)
            guard let dtype = spec.dtype ?? spec.declaredType?.arrayType?.dtype else {
                throw c.missing("convert needs the target dtype")
            }
            return .array(dtype, x.dimensions)
        case .bitcastConvert:
            try c.arity(1)
            let x = try c.array(0)
            guard let dtype = spec.dtype ?? spec.declaredType?.arrayType?.dtype else {
                throw c.missing("bitcast-convert needs the target dtype")
            }
            // Any two dtypes but pred (not a number type). Between widths, as in XLA, a
            // narrower result gains a minor dimension of size (source width / target
            // width) and a wider one consumes the operand's minor dimension.
            guard dtype == x.dtype || (dtype != .pred && x.dtype != .pred) else {
                throw c.invalid(
                    "bitcast-convert from \(x.dtype.rawValue) to \(dtype.rawValue) is not supported (pred has no bit pattern to reinterpret)"
                )
            }
            let (from, to) = (x.dtype.bitWidth, dtype.bitWidth)
            if to < from { return .array(dtype, x.dimensions + [from / to]) }
            if to > from {
                guard x.dimensions.last == to / from else {
                    throw c.mismatch(
                        "bitcast-convert from \(x) to \(dtype.rawValue) needs a minor dimension of \(to / from) (\(to) / \(from) bits)"
                    )
                }
                return .array(dtype, Array(x.dimensions.dropLast()))
            }
            return .array(dtype, x.dimensions)
        case .reducePrecision(let e, let m):
            try c.arity(1)
            let x = try c.array(0)
            try c.requireFloat(x, "reduce-precision")
            if !(1...11).contains(e) || !(0...52).contains(m) {
                throw c.invalid(
                    "reduce-precision needs 1 <= exponent_bits <= 11 and 0 <= mantissa_bits <= 52, got \(e) and \(m)")
            }
            return .array(x)
        case .broadcast(let dims):
            try c.arity(1)
            return try inferBroadcast(c, dims)
        case .reshape:
            try c.arity(1)
            let x = try c.array(0)
            guard let shape = spec.shape ?? spec.declaredType?.arrayType?.dimensions else {
                throw c.missing("reshape needs the result shape")
            }
            let target = ArrayType(x.dtype, shape)
            if target.elementCount != x.elementCount {
                throw c.mismatch(
                    "cannot reshape \(x) (\(x.elementCount) elements) to \(shape) (\(target.elementCount) elements)")
            }
            return .array(target)
        case .transpose(let permutation):
            try c.arity(1)
            let x = try c.array(0)
            if permutation.sorted() != Array(0..<x.rank) {
                throw c.invalid("transpose dimensions \(permutation) are not a permutation of 0..<\(x.rank)")
            }
            return .array(x.dtype, permutation.map { x.dimensions[$0] })
        case .slice(let bounds):
            try c.arity(1)
            return try inferSlice(c, bounds)
        case .concatenate(let dimension):
            return try inferConcatenate(c, dimension)
        case .pad(let config):
            try c.arity(2)
            return try inferPad(c, config)
        case .iota(let dimension):
            try c.arity(0)
            let type = try c.declaredArrayOrType()
            guard let a = type.arrayType, (0..<a.rank).contains(dimension) else {
                throw c.invalid("iota_dimension \(dimension) is out of range for \(type)")
            }
            if a.dtype == .pred { throw c.mismatch("iota cannot produce pred") }
            return type
        case .reduce(let dims, let reducer):
            return try inferReduce(c, dims, reducer)
        case .dot(let numbers):
            try c.arity(2)
            return try inferDot(c, numbers)
        case .convolution(let attributes):
            try c.arity(2)
            return try inferConvolution(c, attributes)
        case .tuple:
            return .tuple(c.operandTypes)
        case .getTupleElement(let index):
            try c.arity(1)
            guard let elements = c.operandTypes[0].tupleElements else {
                throw c.mismatch("get-tuple-element needs a tuple operand, got \(c.operandTypes[0])")
            }
            guard elements.indices.contains(index) else {
                throw c.invalid("tuple index \(index) is out of range for \(c.operandTypes[0])")
            }
            return elements[index]
        case .call(let name):
            let callee = callees[name]!
            if callee.parameters.count != c.operandTypes.count {
                throw GraphError.arity(
                    node: spec.name, op: "call", expected: "\(callee.parameters.count)",
                    got: c.operandTypes.count, location: spec.location)
            }
            for (i, p) in callee.parameters.enumerated() where callee.nodes[p].type != c.operandTypes[i] {
                throw c.mismatch("operand \(i) is \(c.operandTypes[i]) but '\(name)' expects \(callee.nodes[p].type)")
            }
            return callee.resultType
        case .bitcast(let from, let to):
            try c.arity(1)
            return try inferBitcast(c, from, to)
        case .reduceWindow(let window, let reducer):
            return try inferReduceWindow(c, window, reducer)
        case .dynamicSlice(let sizes):
            let x = try c.array(0)
            try c.arity(1 + x.rank)
            try c.checkStartIndices(from: 1, rank: x.rank)
            guard sizes.count == x.rank, zip(sizes, x.dimensions).allSatisfy({ $0 >= 0 && $0 <= $1 }) else {
                throw c.invalid(
                    "dynamic_slice_sizes \(sizes) must give a size within each of the operand's dimensions \(x.dimensions)"
                )
            }
            return .array(x.dtype, sizes)
        case .dynamicUpdateSlice:
            let x = try c.array(0)
            try c.arity(2 + x.rank)
            let update = try c.array(1)
            guard update.dtype == x.dtype, update.rank == x.rank,
                zip(update.dimensions, x.dimensions).allSatisfy({ $0 <= $1 })
            else {
                throw c.mismatch("the update \(update) must have the operand's dtype and rank and fit in \(x)")
            }
            try c.checkStartIndices(from: 2, rank: x.rank)
            return .array(x)
        case .whileLoop(let condition, let body):
            try c.arity(1)
            let state = c.operandTypes[0]
            let cond = callees[condition]!
            let loop = callees[body]!
            for (role, callee) in [("condition", cond), ("body", loop)] {
                let params = callee.parameters.map { callee.nodes[$0].type }
                if params != [state] {
                    throw c.mismatch(
                        "while \(role) '\(callee.name)' takes \(params.map(\.description)) but the loop state is \(state)"
                    )
                }
            }
            if cond.resultType != .array(.pred, []) {
                throw c.mismatch("while condition '\(condition)' returns \(cond.resultType); it must return pred[]")
            }
            if loop.resultType != state {
                throw c.mismatch("while body '\(body)' returns \(loop.resultType) but the loop state is \(state)")
            }
            return state
        case .conditional(let branches):
            guard c.operandTypes.count == branches.count + 1, !branches.isEmpty else {
                throw GraphError.arity(
                    node: spec.name, op: "conditional", expected: "\(branches.count + 1)",
                    got: c.operandTypes.count, location: spec.location)
            }
            let selector = try c.array(0)
            let validSelector =
                selector.rank == 0 && (selector.dtype == .s32 || (selector.dtype == .pred && branches.count == 2))
            if !validSelector {
                throw c.mismatch("the branch selector must be pred[] (two branches) or s32[], got \(selector)")
            }
            var result: ValueType?
            for (k, name) in branches.enumerated() {
                let branch = callees[name]!
                let params = branch.parameters.map { branch.nodes[$0].type }
                if params != [c.operandTypes[k + 1]] {
                    throw c.mismatch(
                        "branch '\(name)' takes \(params.map(\.description)) but its operand is \(c.operandTypes[k + 1])"
                    )
                }
                if let r = result, r != branch.resultType {
                    throw c.mismatch("branch '\(name)' returns \(branch.resultType) but an earlier branch returns \(r)")
                }
                result = branch.resultType
            }
            return result!
        case .gather(let numbers):
            try c.arity(2)
            let (operand, indices) = (try c.array(0), try c.array(1))
            switch numbers.resultDimensions(operand: operand, indices: indices) {
            case .success(let dimensions): return .array(operand.dtype, dimensions)
            case .failure(let problem): throw c.invalid(problem.message)
            }
        case .scatter(let numbers, let combiner):
            return try inferScatter(c, numbers, combiner)
        case .selectAndScatter(let window, let select, let scatter):
            return try inferSelectAndScatter(c, window, select: select, scatter: scatter)
        case .map(let computation):
            return try inferMap(c, computation)
        case .multiplyHigh:
            return try inferMultiplyHigh(c)
        case .batchNorm(let config):
            return try inferBatchNorm(c, config)
        case .sort(let dimension, _, let comparatorName):
            guard !c.operandTypes.isEmpty else {
                throw GraphError.arity(
                    node: spec.name, op: "sort", expected: "at least 1", got: 0, location: spec.location)
            }
            let operands = try c.operandTypes.indices.map { try c.array($0) }
            for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
                throw c.mismatch("sort operand \(i) is \(a) but operand 0 is \(operands[0])")
            }
            guard (0..<operands[0].rank).contains(dimension) else {
                throw c.invalid("sort dimension \(dimension) is out of range for \(operands[0])")
            }
            let comparator = callees[comparatorName]!
            let expected = operands.flatMap { [ValueType.array($0.dtype, []), .array($0.dtype, [])] }
            let actual = comparator.parameters.map { comparator.nodes[$0].type }
            if actual != expected || comparator.resultType != .array(.pred, []) {
                throw c.mismatch(
                    "comparator '\(comparatorName)' takes \(actual.map(\.description)) and returns \(comparator.resultType); this sort needs \(expected.map(\.description)) returning pred[]"
                )
            }
            let results = operands.map { ValueType.array($0) }
            return results.count == 1 ? results[0] : .tuple(results)
        case .topK(let k, _, let comparatorName):
            try c.arity(1)
            let x = try c.array(0)
            if let comparatorName {
                let comparator = callees[comparatorName]!
                let expected: [ValueType] = [
                    .array(x.dtype, []), .array(x.dtype, []), .array(.s32, []), .array(.s32, []),
                ]
                let actual = comparator.parameters.map { comparator.nodes[$0].type }
                if actual != expected || comparator.resultType != .array(.pred, []) {
                    throw c.mismatch(
                        "comparator '\(comparatorName)' takes \(actual.map(\.description)) and returns \(comparator.resultType); topk needs \(expected.map(\.description)) returning pred[]"
                    )
                }
            }
            guard x.rank >= 1, (0...x.dimensions[x.rank - 1]).contains(k) else {
                throw c.invalid("topk k=\(k) must be within 0...\(x.dimensions.last ?? 0) (the last dimension of \(x))")
            }
            let dims = Array(x.dimensions.dropLast()) + [k]
            return .tuple([.array(x.dtype, dims), .array(.s32, dims)])
        case .reverse(let dims):
            try c.arity(1)
            let x = try c.array(0)
            if Set(dims).count != dims.count || dims.contains(where: { !(0..<x.rank).contains($0) }) {
                throw c.invalid("reverse dimensions \(dims) must be distinct and within 0..<\(x.rank)")
            }
            return .array(x)
        case .optimizationBarrier:
            try c.arity(1)
            return c.operandTypes[0]
        case .rngBitGenerator(let algorithm, let output):
            try c.arity(1)
            let state = try c.array(0)
            guard state.dtype == .u64, state.rank == 1, algorithm.stateLengths.contains(state.dimensions[0]) else {
                let lengths = algorithm.stateLengths.map { "u64[\($0)]" }.joined(separator: " or ")
                let name = algorithm == .threeFry ? "three_fry" : "philox"
                throw c.mismatch("rng-bit-generator (\(name)) needs a state of \(lengths), got \(state)")
            }
            guard output.dtype != .pred, [8, 16, 32, 64].contains(output.dtype.bitWidth) else {
                throw c.invalid("rng-bit-generator cannot produce \(output.dtype.rawValue) elements")
            }
            return .tuple([.array(state), .array(output)])
        }
    }

    private func inferBitcast(_ c: Context, _ from: [Int], _ to: [Int]) throws -> ValueType {
        let x = try c.array(0)
        guard let shape = c.spec.shape ?? c.spec.declaredType?.arrayType?.dimensions else {
            throw c.missing("bitcast needs the result shape")
        }
        let dtype = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype ?? x.dtype
        if dtype != x.dtype {
            throw c.mismatch(
                "bitcast keeps the dtype (\(x.dtype.rawValue)); \(dtype.rawValue) would need bitcast-convert")
        }
        if from.sorted() != Array(0..<x.rank) || to.sorted() != Array(0..<shape.count) {
            throw c.invalid(
                "bitcast layouts \(from) and \(to) must be permutations of the operand's and the result's dimensions")
        }
        let target = ArrayType(dtype, shape)
        if target.elementCount != x.elementCount {
            throw c.mismatch(
                "cannot bitcast \(x) (\(x.elementCount) elements) to \(target) (\(target.elementCount) elements)")
        }
        return .array(target)
    }

    private func inferReduceWindow(_ c: Context, _ w: WindowConfig, _ reducerName: String) throws -> ValueType {
        let (inputs, inits) = try reduction(c, reducer: reducerName)
        let dims = try c.windowOutput(w, over: inputs[0])
        let results = inits.map { ValueType.array($0.dtype, dims) }
        return results.count == 1 ? results[0] : .tuple(results)
    }

    private func inferBroadcast(_ c: Context, _ dims: [Int]) throws -> ValueType {
        let x = try c.array(0)
        guard let shape = c.spec.shape ?? c.spec.declaredType?.arrayType?.dimensions else {
            throw c.missing("broadcast needs the result shape")
        }
        if dims.count != x.rank {
            throw c.invalid(
                "broadcast dimensions \(dims) must name one result dimension per operand dimension (\(x.rank))")
        }
        if Set(dims).count != dims.count {
            throw c.invalid("broadcast dimensions \(dims) repeat a dimension")
        }
        for (i, d) in dims.enumerated() {
            guard (0..<shape.count).contains(d) else {
                throw c.invalid("broadcast dimension \(d) is out of range for result shape \(shape)")
            }
            if shape[d] != x.dimensions[i] {
                throw c.mismatch(
                    "operand dimension \(i) has size \(x.dimensions[i]) but result dimension \(d) has size \(shape[d])")
            }
        }
        return .array(x.dtype, shape)
    }

    private func inferSlice(_ c: Context, _ b: SliceBounds) throws -> ValueType {
        let x = try c.array(0)
        guard b.starts.count == x.rank, b.limits.count == x.rank, b.strides.count == x.rank else {
            throw c.invalid("slice needs start, limit and stride for each of the \(x.rank) dimensions")
        }
        var out: [Int] = []
        for axis in 0..<x.rank {
            let (s, l, st) = (b.starts[axis], b.limits[axis], b.strides[axis])
            guard st >= 1, s >= 0, s <= l, l <= x.dimensions[axis] else {
                throw c.invalid(
                    "slice [\(s):\(l):\(st)] is out of range for dimension \(axis) of size \(x.dimensions[axis])")
            }
            out.append((l - s) / st + ((l - s) % st == 0 ? 0 : 1))
        }
        return .array(x.dtype, out)
    }

    private func inferConcatenate(_ c: Context, _ dimension: Int) throws -> ValueType {
        guard !c.operandTypes.isEmpty else {
            throw GraphError.arity(
                node: c.spec.name, op: "concatenate", expected: "at least 1", got: 0, location: c.spec.location)
        }
        let first = try c.array(0)
        guard (0..<first.rank).contains(dimension) else {
            throw c.invalid("concatenate dimension \(dimension) is out of range for rank \(first.rank)")
        }
        var total = 0
        for i in c.operandTypes.indices {
            let a = try c.array(i)
            guard a.dtype == first.dtype, a.rank == first.rank else {
                throw c.mismatch("operand \(i) is \(a) but operand 0 is \(first)")
            }
            for axis in 0..<a.rank where axis != dimension && a.dimensions[axis] != first.dimensions[axis] {
                throw c.mismatch(
                    "operand \(i) is \(a) but operand 0 is \(first); only dimension \(dimension) may differ")
            }
            total = try c.sum("the concatenated dimension", total, a.dimensions[dimension])
        }
        var dims = first.dimensions
        dims[dimension] = total
        return .array(first.dtype, dims)
    }

    private func inferPad(_ c: Context, _ p: PaddingConfig) throws -> ValueType {
        let x = try c.array(0)
        let value = try c.array(1)
        guard value.rank == 0, value.dtype == x.dtype else {
            throw c.mismatch("the padding value must be a \(x.dtype.rawValue) scalar, got \(value)")
        }
        guard p.low.count == x.rank, p.high.count == x.rank, p.interior.count == x.rank else {
            throw c.invalid("padding needs low, high and interior for each of the \(x.rank) dimensions")
        }
        var out: [Int] = []
        for axis in 0..<x.rank {
            let d = x.dimensions[axis]
            guard p.interior[axis] >= 0 else { throw c.invalid("interior padding must be >= 0") }
            let what = "padding dimension \(axis)"
            let size = try c.sum(what, p.low[axis], p.high[axis], d, c.product(what, max(d - 1, 0), p.interior[axis]))
            guard size >= 0 else { throw c.invalid("padding makes dimension \(axis) negative (\(size))") }
            out.append(size)
        }
        return .array(x.dtype, out)
    }

    private func inferReduce(_ c: Context, _ dims: [Int], _ reducerName: String) throws -> ValueType {
        let (inputs, inits) = try reduction(c, reducer: reducerName)
        let rank = inputs[0].rank
        if Set(dims).count != dims.count || dims.contains(where: { !(0..<rank).contains($0) }) {
            throw c.invalid("reduce dimensions \(dims) must be distinct and within 0..<\(rank)")
        }
        let kept = (0..<rank).filter { !dims.contains($0) }.map { inputs[0].dimensions[$0] }
        let results = inits.map { ValueType.array($0.dtype, kept) }
        return results.count == 1 ? results[0] : .tuple(results)
    }

    /// `scatter(operands..., indices, updates...)`: N operands of one shape,
    /// integer indices, N updates of one shape; the combiner takes N current
    /// values then N update values (scalars) and returns N values.
    private func inferScatter(_ c: Context, _ numbers: ScatterDimensions, _ combinerName: String) throws -> ValueType {
        let count = c.operandTypes.count
        guard count >= 3, count % 2 == 1 else {
            throw GraphError.arity(
                node: c.spec.name, op: c.op, expected: "an odd number (operands, indices, updates)", got: count,
                location: c.spec.location)
        }
        let n = count / 2
        let operands = try (0..<n).map { try c.array($0) }
        let indices = try c.array(n)
        let updates = try ((n + 1)..<count).map { try c.array($0) }
        for (i, a) in operands.enumerated() where a.dimensions != operands[0].dimensions {
            throw c.mismatch("scatter operand \(i) is \(a) but operand 0 is \(operands[0])")
        }
        for (i, u) in updates.enumerated() where u.dimensions != updates[0].dimensions || u.dtype != operands[i].dtype {
            throw c.mismatch("scatter update \(i) is \(u); updates must share one shape and have their operand's dtype")
        }
        if let problem = numbers.check(operand: operands[0], indices: indices, updates: updates[0]) {
            throw c.invalid(problem.message)
        }
        let combiner = callees[combinerName]!
        let scalars = operands.map { ValueType.array($0.dtype, []) }
        let actual = combiner.parameters.map { combiner.nodes[$0].type }
        if actual != scalars + scalars {
            throw c.mismatch(
                "combiner '\(combinerName)' takes \(actual.map(\.description)) but this scatter needs \((scalars + scalars).map(\.description))"
            )
        }
        let expectedResult: ValueType = n == 1 ? scalars[0] : .tuple(scalars)
        if combiner.resultType != expectedResult {
            throw c.mismatch(
                "combiner '\(combinerName)' returns \(combiner.resultType) but this scatter needs \(expectedResult)")
        }
        let results = operands.map { ValueType.array($0) }
        return n == 1 ? results[0] : .tuple(results)
    }

    /// The operands of `reduce` and `reduce-window` (N inputs of one shape, then
    /// N scalar initial values), checked against the reducer's signature:
    /// `(accumulators..., elements...) -> accumulator(s)`.
    private func reduction(_ c: Context, reducer reducerName: String) throws -> (
        inputs: [ArrayType], inits: [ArrayType]
    ) {
        let count = c.operandTypes.count
        guard count >= 2, count % 2 == 0 else {
            throw GraphError.arity(
                node: c.spec.name, op: c.op, expected: "an even number (inputs then initial values)",
                got: count, location: c.spec.location)
        }
        let n = count / 2
        let inputs = try (0..<n).map { try c.array($0) }
        let inits = try (n..<count).map { try c.array($0) }
        for (i, a) in inputs.enumerated() where a.dimensions != inputs[0].dimensions {
            throw c.mismatch("\(c.op) input \(i) is \(a) but input 0 is \(inputs[0])")
        }
        for (i, a) in inits.enumerated() where a.rank != 0 {
            throw c.mismatch("initial value \(i) must be a scalar, got \(a)")
        }
        let reducer = callees[reducerName]!
        let accumulators = inits.map { ValueType.array($0.dtype, []) }
        let expectedParameters = accumulators + inputs.map { ValueType.array($0.dtype, []) }
        let actualParameters = reducer.parameters.map { reducer.nodes[$0].type }
        if actualParameters != expectedParameters {
            throw c.mismatch(
                "reducer '\(reducerName)' takes \(actualParameters.map(\.description)) but this \(c.op) needs \(expectedParameters.map(\.description))"
            )
        }
        let expectedResult: ValueType = n == 1 ? accumulators[0] : .tuple(accumulators)
        if reducer.resultType != expectedResult {
            throw c.mismatch(
                "reducer '\(reducerName)' returns \(reducer.resultType) but this \(c.op) needs \(expectedResult)")
        }
        return (inputs, inits)
    }

    /// As XLA: both operands of one dtype; the result may declare another of the
    /// same kind (float or integer), as `preferred_element_type` does.
    private func inferConvolution(_ c: Context, _ attributes: ConvolutionAttributes) throws -> ValueType {
        let lhs = try c.array(0)
        let rhs = try c.array(1)
        guard lhs.dtype == rhs.dtype else {
            throw c.mismatch("convolution operands differ in dtype: \(lhs) and \(rhs)")
        }
        let dims: [Int]
        switch attributes.resultDimensions(lhs: lhs, rhs: rhs) {
        case .success(let d): dims = d
        case .failure(let problem): throw c.invalid(problem.message)
        }
        var dtype = lhs.dtype
        if let declared = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype {
            guard declared.isFloatingPoint == lhs.dtype.isFloatingPoint, declared != .pred else {
                throw c.mismatch("convolution of \(lhs.dtype.rawValue) operands cannot produce \(declared.rawValue)")
            }
            dtype = declared
        }
        if dtype == .pred { throw c.mismatch("convolution needs numeric operands") }
        return .array(dtype, dims)
    }

    private func inferDot(_ c: Context, _ d: DotDimensions) throws -> ValueType {
        let lhs = try c.array(0)
        let rhs = try c.array(1)
        guard lhs.dtype == rhs.dtype else { throw c.mismatch("dot operands differ in dtype: \(lhs) and \(rhs)") }
        guard d.lhsBatch.count == d.rhsBatch.count, d.lhsContracting.count == d.rhsContracting.count else {
            throw c.invalid(
                "dot needs as many lhs as rhs batch dimensions, and as many lhs as rhs contracting dimensions")
        }
        let lhsUsed = d.lhsBatch + d.lhsContracting
        let rhsUsed = d.rhsBatch + d.rhsContracting
        guard Set(lhsUsed).count == lhsUsed.count, lhsUsed.allSatisfy({ (0..<lhs.rank).contains($0) }),
            Set(rhsUsed).count == rhsUsed.count, rhsUsed.allSatisfy({ (0..<rhs.rank).contains($0) })
        else {
            throw c.invalid("dot dimension numbers must be distinct and within each operand's rank")
        }
        for (l, r) in zip(d.lhsBatch, d.rhsBatch) where lhs.dimensions[l] != rhs.dimensions[r] {
            throw c.mismatch(
                "batch dimension sizes differ: lhs[\(l)] = \(lhs.dimensions[l]), rhs[\(r)] = \(rhs.dimensions[r])")
        }
        for (l, r) in zip(d.lhsContracting, d.rhsContracting) where lhs.dimensions[l] != rhs.dimensions[r] {
            throw c.mismatch(
                "contracting dimension sizes differ: lhs[\(l)] = \(lhs.dimensions[l]), rhs[\(r)] = \(rhs.dimensions[r])"
            )
        }
        let dims =
            d.lhsBatch.map { lhs.dimensions[$0] }
            + (0..<lhs.rank).filter { !lhsUsed.contains($0) }.map { lhs.dimensions[$0] }
            + (0..<rhs.rank).filter { !rhsUsed.contains($0) }.map { rhs.dimensions[$0] }
        var dtype = lhs.dtype
        if let declared = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype {
            guard declared.isFloatingPoint == lhs.dtype.isFloatingPoint else {
                throw c.mismatch("dot of \(lhs.dtype.rawValue) operands cannot produce \(declared.rawValue)")
            }
            dtype = declared
        }
        if dtype == .pred { throw c.mismatch("dot needs numeric operands") }
        return .array(dtype, dims)
    }
}

/// The node being inferred plus helpers that turn failed checks into located errors.
struct Context {
    let spec: NodeSpec
    let operandTypes: [ValueType]

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

    func array(_ i: Int) throws -> ArrayType {
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
