extension Operation {
    /// This operation's rule: everything FPGraph knows about its op family
    /// (see ``OpRule``). The only `switch` in the module that dispatches on
    /// the op family; it has no `default:`, so a new case needs a rule to compile.
    var rule: any OpRule {
        switch self {
        case .parameter(let index): return ParameterRule(index: index)
        case .constant(let literal): return ConstantRule(literal: literal)
        case .unary(let op): return UnaryRule(op: op)
        case .binary(let op): return BinaryRule(op: op)
        case .compare(let direction, let totalOrder): return CompareRule(direction: direction, totalOrder: totalOrder)
        case .select: return SelectRule()
        case .clamp: return ClampRule()
        case .convert: return ConvertRule()
        case .bitcastConvert: return BitcastConvertRule()
        case .reducePrecision(let exponentBits, let mantissaBits):
            return ReducePrecisionRule(exponentBits: exponentBits, mantissaBits: mantissaBits)
        case .broadcast(let dimensions): return BroadcastRule(dimensions: dimensions)
        case .reshape: return ReshapeRule()
        case .transpose(let permutation): return TransposeRule(permutation: permutation)
        case .slice(let bounds): return SliceRule(bounds: bounds)
        case .concatenate(let dimension): return ConcatenateRule(dimension: dimension)
        case .pad(let config): return PadRule(config: config)
        case .iota(let dimension): return IotaRule(dimension: dimension)
        case .reduce(let dimensions, let reducer): return ReduceRule(dimensions: dimensions, reducer: reducer)
        case .dot(let dimensions): return DotRule(dimensions: dimensions)
        case .convolution(let attributes): return ConvolutionRule(attributes: attributes)
        case .tuple: return TupleRule()
        case .getTupleElement(let index): return GetTupleElementRule(index: index)
        case .call(let computation): return CallRule(computation: computation)
        case .bitcast(let operandLayout, let resultLayout):
            return BitcastRule(operandLayout: operandLayout, resultLayout: resultLayout)
        case .reduceWindow(let window, let reducer): return ReduceWindowRule(window: window, reducer: reducer)
        case .dynamicSlice(let sizes): return DynamicSliceRule(sizes: sizes)
        case .dynamicUpdateSlice: return DynamicUpdateSliceRule()
        case .whileLoop(let condition, let body): return WhileRule(condition: condition, body: body)
        case .conditional(let branches): return ConditionalRule(branches: branches)
        case .gather(let dimensions): return GatherRule(dimensions: dimensions)
        case .scatter(let dimensions, let combiner): return ScatterRule(dimensions: dimensions, combiner: combiner)
        case .reverse(let dimensions): return ReverseRule(dimensions: dimensions)
        case .optimizationBarrier: return OptimizationBarrierRule()
        case .sort(let dimension, let isStable, let comparator):
            return SortRule(dimension: dimension, isStable: isStable, comparator: comparator)
        case .topK(let k, let largest, let comparator): return TopKRule(k: k, largest: largest, comparator: comparator)
        case .selectAndScatter(let window, let select, let scatter):
            return SelectAndScatterRule(window: window, select: select, scatter: scatter)
        case .map(let computation): return MapRule(computation: computation)
        case .multiplyHigh: return MultiplyHighRule()
        case .batchNorm(let config): return BatchNormRule(config: config)
        case .rngBitGenerator(let algorithm, let output):
            return RngBitGeneratorRule(algorithm: algorithm, output: output)
        }
    }
}
