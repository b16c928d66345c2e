import FPGraph

/// Everything FPFormats knows about one op family, kept in the family's own
/// file `Ops/<Family>Syntax.swift`.
///
/// A conforming type is a value carrying the operation's attributes (made by
/// ``FPGraph/Operation/spelling``), and its static members say how the
/// family is spelled:
/// - in the graph format: its op name(s) with their attribute keys and
///   reader (``graphSpellings``), how its attributes are written
///   (``write(into:)``), how the writer plans the computations it calls
///   (``writtenCallees``), and where its result dtype can be read without type
///   inference (``staticDType(of:in:)``);
/// - in HLO text: the XLA opcodes (and `custom-call` targets) it is lowered
///   from, the attributes that carry its meaning, and the lowering of one such
///   instruction (``lower(_:)``).
///
/// The readers, the writer and the lowering keep only op-agnostic machinery
/// and reach the families through one table each way: a name or opcode to its
/// family (``OpSyntax/all`` and ``HLOOpcodes/lowerings``, both built from
/// ``OpSpellings/families``), and an operation to its family (the exhaustive
/// switch in ``FPGraph/Operation/spelling``).
protocol OpSpelling {
    // MARK: Graph format

    /// The family's op names in the graph format, in documentation order (one
    /// per ``FPGraph/UnaryOp``, ``FPGraph/BinaryOp`` or ``FPGraph/BatchNormKind``;
    /// none for `parameter`, which is declared in the `"parameters"` list).
    static var graphSpellings: [OpSyntax] { get }

    /// Writes the op's attributes into `node`, and the `dtype` and `shape`
    /// the reader needs to rebuild it; renames the computations it calls to
    /// their written names in `node.operation`.
    func write(into node: inout GraphNodeWriter)

    /// How the writer plans the computations the op calls.
    var writtenCallees: WrittenCallees { get }

    /// One step of ``GraphDocumentReader/staticDType(of:in:)`` at `node`
    /// (whose `dtype` is not declared): the result dtype, or the operand
    /// whose dtype it is.
    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep

    /// Where element `index` of the op's tuple result takes its dtype from,
    /// for a `get-tuple-element` of `node`; ``StaticDTypeStep/unknown`` by
    /// default (only type inference could tell).
    func staticDType(ofElement index: Int, of node: NodeSpec) -> StaticDTypeStep

    // MARK: HLO text

    /// The XLA opcodes lowered to this family.
    static var hloOpcodes: [String] { get }

    /// The `custom-call` targets lowered to this family (none by default).
    static var hloCustomCallTargets: [String] { get }

    /// The attributes that define what the family's opcodes compute. On an
    /// instruction whose opcode does not take them they are an error (see
    /// ``HLOOpcodes/semanticAttributes``).
    static var hloAttributes: Set<String> { get }

    /// Lowers the instruction of `context`, whose opcode (or `custom-call`
    /// target) is the family's, taking the attributes it uses from `context`.
    ///
    /// - Throws: ``FormatError`` (located) for missing or malformed attributes.
    static func lower(_ context: inout HLOInstructionContext) throws -> Operation
}

extension OpSpelling {
    static var hloCustomCallTargets: [String] { [] }

    func staticDType(ofElement index: Int, of node: NodeSpec) -> StaticDTypeStep { .unknown }
}

/// One step of following a node's result dtype along its operands.
enum StaticDTypeStep {
    /// The dtype is fixed or stated by the op.
    case known(DType)
    /// The dtype is that of the named node (nil: the chain is broken).
    case follow(String?)
    /// The chain of operands is broken (undefined name, cycle, missing operand).
    case broken
    /// Only full type inference could tell.
    case unknown
}

/// How the graph writer plans the computations an op calls.
enum WrittenCallees {
    /// The op calls no computation.
    case notPlanned
    /// Referenced and written under `"computations"` (also when named like a
    /// synthesised built-in reducer: only `reduce` may stand for one by name).
    case called([String])
    /// A `reduce`'s reducer: referenced, and written unless it is
    /// equivalent to a built-in reducer.
    case reducer(String)
}

/// The op families, each in its own file.
enum OpSpellings {
    /// Every family, in the graph format's documentation order (the order of
    /// ``OpSyntax/all`` and of the schema's op enum); `parameter`, which has
    /// no node spelling, first.
    static let families: [any OpSpelling.Type] = [
        ParameterSyntax.self, ConstantSyntax.self, UnarySyntax.self, BinarySyntax.self, CompareSyntax.self,
        SelectSyntax.self, ClampSyntax.self, ConvertSyntax.self, ReducePrecisionSyntax.self, BroadcastSyntax.self,
        ReshapeSyntax.self, TransposeSyntax.self, SliceSyntax.self, ConcatenateSyntax.self, PadSyntax.self,
        IotaSyntax.self, ReduceSyntax.self, DotSyntax.self, TupleSyntax.self, GetTupleElementSyntax.self,
        CallSyntax.self, BitcastSyntax.self, ReduceWindowSyntax.self, DynamicSliceSyntax.self,
        DynamicUpdateSliceSyntax.self, WhileSyntax.self, ConditionalSyntax.self, GatherSyntax.self,
        ScatterSyntax.self, ReverseSyntax.self, OptimizationBarrierSyntax.self, SortSyntax.self, TopKSyntax.self,
        BitcastConvertSyntax.self, ConvolutionSyntax.self, SelectAndScatterSyntax.self, MapSyntax.self,
        MultiplyHighSyntax.self, RngBitGeneratorSyntax.self, BatchNormSyntax.self,
    ]
}

extension Operation {
    /// The operation's family in FPFormats, carrying its attributes: the one
    /// dispatch from an operation to its op file.
    var spelling: any OpSpelling {
        switch self {
        case .parameter(let index): return ParameterSyntax(index: index)
        case .constant(let literal): return ConstantSyntax(literal: literal)
        case .unary(let op): return UnarySyntax(op: op)
        case .binary(let op): return BinarySyntax(op: op)
        case .compare(let direction, let totalOrder): return CompareSyntax(direction: direction, totalOrder: totalOrder)
        case .select: return SelectSyntax()
        case .clamp: return ClampSyntax()
        case .convert: return ConvertSyntax()
        case .bitcastConvert: return BitcastConvertSyntax()
        case .reducePrecision(let e, let m): return ReducePrecisionSyntax(exponentBits: e, mantissaBits: m)
        case .broadcast(let dimensions): return BroadcastSyntax(dimensions: dimensions)
        case .reshape: return ReshapeSyntax()
        case .transpose(let permutation): return TransposeSyntax(permutation: permutation)
        case .slice(let bounds): return SliceSyntax(bounds: bounds)
        case .concatenate(let dimension): return ConcatenateSyntax(dimension: dimension)
        case .pad(let padding): return PadSyntax(padding: padding)
        case .iota(let dimension): return IotaSyntax(dimension: dimension)
        case .reduce(let dimensions, let reducer): return ReduceSyntax(dimensions: dimensions, reducer: reducer)
        case .dot(let dimensions): return DotSyntax(dimensions: dimensions)
        case .convolution(let attributes): return ConvolutionSyntax(attributes: attributes)
        case .tuple: return TupleSyntax()
        case .getTupleElement(let index): return GetTupleElementSyntax(index: index)
        case .call(let computation): return CallSyntax(computation: computation)
        case .bitcast(let from, let to): return BitcastSyntax(operandLayout: from, resultLayout: to)
        case .reduceWindow(let window, let reducer): return ReduceWindowSyntax(window: window, reducer: reducer)
        case .dynamicSlice(let sizes): return DynamicSliceSyntax(sizes: sizes)
        case .dynamicUpdateSlice: return DynamicUpdateSliceSyntax()
        case .whileLoop(let condition, let body): return WhileSyntax(condition: condition, body: body)
        case .conditional(let branches): return ConditionalSyntax(branches: branches)
        case .gather(let dimensions): return GatherSyntax(dimensions: dimensions)
        case .scatter(let dimensions, let combiner): return ScatterSyntax(dimensions: dimensions, combiner: combiner)
        case .reverse(let dimensions): return ReverseSyntax(dimensions: dimensions)
        case .optimizationBarrier: return OptimizationBarrierSyntax()
        case .sort(let dimension, let isStable, let comparator):
            return SortSyntax(dimension: dimension, isStable: isStable, comparator: comparator)
        case .topK(let k, let largest, let comparator):
            return TopKSyntax(k: k, largest: largest, comparator: comparator)
        case .selectAndScatter(let window, let select, let scatter):
            return SelectAndScatterSyntax(window: window, select: select, scatter: scatter)
        case .map(let computation): return MapSyntax(computation: computation)
        case .multiplyHigh: return MultiplyHighSyntax()
        case .batchNorm(let config): return BatchNormSyntax(config: config)
        case .rngBitGenerator(let algorithm, let output):
            return RngBitGeneratorSyntax(algorithm: algorithm, output: output)
        }
    }
}
