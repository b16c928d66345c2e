import Foundation
import XCTest

@testable import FPGraph

/// Every op family has its rule, in its own file, and the rule answers for it:
/// the test's own `family(of:)` is an exhaustive switch, so a new `Operation`
/// case does not compile here until it is added to the samples below.
final class OpRuleTests: XCTestCase {
    /// The op families, in the order of the shared list (one per `Operation` case).
    static let families = [
        "Parameter", "Constant", "Unary", "Binary", "Compare", "Select", "Clamp", "Convert", "BitcastConvert",
        "ReducePrecision", "Broadcast", "Reshape", "Transpose", "Slice", "Concatenate", "Pad", "Iota", "Reduce", "Dot",
        "Convolution", "Tuple", "GetTupleElement", "Call", "Bitcast", "ReduceWindow", "DynamicSlice",
        "DynamicUpdateSlice", "While", "Conditional", "Gather", "Scatter", "Reverse", "OptimizationBarrier", "Sort",
        "TopK", "SelectAndScatter", "Map", "MultiplyHigh", "BatchNorm", "RngBitGenerator",
    ]

    /// The family of an operation (no `default:`: a new case must be listed).
    func family(of op: FPGraph.Operation) -> String {
        switch op {
        case .parameter: return "Parameter"
        case .constant: return "Constant"
        case .unary: return "Unary"
        case .binary: return "Binary"
        case .compare: return "Compare"
        case .select: return "Select"
        case .clamp: return "Clamp"
        case .convert: return "Convert"
        case .bitcastConvert: return "BitcastConvert"
        case .reducePrecision: return "ReducePrecision"
        case .broadcast: return "Broadcast"
        case .reshape: return "Reshape"
        case .transpose: return "Transpose"
        case .slice: return "Slice"
        case .concatenate: return "Concatenate"
        case .pad: return "Pad"
        case .iota: return "Iota"
        case .reduce: return "Reduce"
        case .dot: return "Dot"
        case .convolution: return "Convolution"
        case .tuple: return "Tuple"
        case .getTupleElement: return "GetTupleElement"
        case .call: return "Call"
        case .bitcast: return "Bitcast"
        case .reduceWindow: return "ReduceWindow"
        case .dynamicSlice: return "DynamicSlice"
        case .dynamicUpdateSlice: return "DynamicUpdateSlice"
        case .whileLoop: return "While"
        case .conditional: return "Conditional"
        case .gather: return "Gather"
        case .scatter: return "Scatter"
        case .reverse: return "Reverse"
        case .optimizationBarrier: return "OptimizationBarrier"
        case .sort: return "Sort"
        case .topK: return "TopK"
        case .selectAndScatter: return "SelectAndScatter"
        case .map: return "Map"
        case .multiplyHigh: return "MultiplyHigh"
        case .batchNorm: return "BatchNorm"
        case .rngBitGenerator: return "RngBitGenerator"
        }
    }

    /// One op per family (every unary, binary and batch-norm kind), with its
    /// opcode name, the computations it calls and whether it is a local-error site.
    struct Sample {
        var op: FPGraph.Operation
        var name: String
        var calls: [String] = []
        var localError: Bool
    }

    func samples() throws -> [Sample] {
        let window = WindowConfig(dimensions: [2], strides: [2])
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        let convolution = ConvolutionAttributes(
            dimensions: try ConvolutionDimensions.parse(labels: "b0f_0io->b0f").get(), window: window)
        let gather = GatherDimensions(
            offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0], indexVectorDim: 1, sliceSizes: [1, 4])
        let scatter = ScatterDimensions(
            updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0], indexVectorDim: 1)
        var list: [Sample] = [
            Sample(op: .parameter(index: 0), name: "parameter", localError: false),
            Sample(op: .constant(zero), name: "constant", localError: false),
        ]
        list += UnaryOp.allCases.map { Sample(op: .unary($0), name: $0.rawValue, localError: $0 != .copy) }
        list += BinaryOp.allCases.map { Sample(op: .binary($0), name: $0.rawValue, localError: true) }
        list += [
            Sample(op: .compare(.lt), name: "compare", localError: true),
            Sample(op: .select, name: "select", localError: true),
            Sample(op: .clamp, name: "clamp", localError: true),
            Sample(op: .convert, name: "convert", localError: true),
            Sample(op: .bitcastConvert, name: "bitcast-convert", localError: false),
            Sample(op: .reducePrecision(exponentBits: 8, mantissaBits: 7), name: "reduce-precision", localError: true),
            Sample(op: .broadcast(dimensions: [0]), name: "broadcast", localError: false),
            Sample(op: .reshape, name: "reshape", localError: false),
            Sample(op: .transpose(permutation: [1, 0]), name: "transpose", localError: false),
            Sample(
                op: .slice(SliceBounds(starts: [0], limits: [2], strides: [1])), name: "slice", localError: false),
            Sample(op: .concatenate(dimension: 0), name: "concatenate", localError: false),
            Sample(op: .pad(PaddingConfig(low: [1], high: [0], interior: [0])), name: "pad", localError: false),
            Sample(op: .iota(dimension: 0), name: "iota", localError: false),
            Sample(op: .reduce(dimensions: [0], reducer: "r"), name: "reduce", calls: ["r"], localError: true),
            Sample(op: .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])), name: "dot", localError: true),
            Sample(op: .convolution(convolution), name: "convolution", localError: true),
            Sample(op: .tuple, name: "tuple", localError: false),
            Sample(op: .getTupleElement(index: 1), name: "get-tuple-element", localError: false),
            Sample(op: .call(computation: "f"), name: "call", calls: ["f"], localError: true),
            Sample(op: .bitcast(operandLayout: [1, 0], resultLayout: [0]), name: "bitcast", localError: true),
            Sample(
                op: .reduceWindow(window, reducer: "r"), name: "reduce-window", calls: ["r"], localError: true),
            Sample(op: .dynamicSlice(sizes: [2]), name: "dynamic-slice", localError: true),
            Sample(op: .dynamicUpdateSlice, name: "dynamic-update-slice", localError: true),
            Sample(
                op: .whileLoop(condition: "c", body: "b"), name: "while", calls: ["c", "b"], localError: true),
            Sample(
                op: .conditional(branches: ["t", "f"]), name: "conditional", calls: ["t", "f"], localError: true),
            Sample(op: .gather(gather), name: "gather", localError: false),
            Sample(op: .scatter(scatter, combiner: "add"), name: "scatter", calls: ["add"], localError: true),
            Sample(op: .reverse(dimensions: [0]), name: "reverse", localError: false),
            Sample(op: .optimizationBarrier, name: "opt-barrier", localError: false),
            Sample(
                op: .sort(dimension: 0, isStable: true, comparator: "lt"), name: "sort", calls: ["lt"],
                localError: false),
            Sample(op: .topK(k: 2, largest: true), name: "topk", localError: false),
            Sample(op: .topK(k: 2, largest: true, comparator: "gt"), name: "topk", calls: ["gt"], localError: false),
            Sample(
                op: .selectAndScatter(window, select: "ge", scatter: "add"), name: "select-and-scatter",
                calls: ["ge", "add"], localError: true),
            Sample(op: .map(computation: "m"), name: "map", calls: ["m"], localError: true),
            Sample(op: .multiplyHigh, name: "mulhi", localError: true),
        ]
        list += BatchNormKind.allCases.map {
            Sample(
                op: .batchNorm(BatchNormConfig(kind: $0, epsilon: 1e-3, featureIndex: 0)), name: $0.rawValue,
                localError: true)
        }
        list.append(
            Sample(
                op: .rngBitGenerator(algorithm: .philox, output: ArrayType(.u32, [4])), name: "rng-bit-generator",
                localError: false))
        return list
    }

    func testEveryFamilyHasItsRuleAndTheRuleAnswersForIt() throws {
        let samples = try samples()
        var seen: [String] = []
        for sample in samples {
            let family = family(of: sample.op)
            if seen.last != family { seen.append(family) }
            let rule = sample.op.rule
            XCTAssertEqual("\(type(of: rule))", family + "Rule", "\(sample.op)")
            XCTAssertEqual(rule.name, sample.name, "\(sample.op)")
            XCTAssertEqual(sample.op.opcodeName, rule.name, "\(sample.op)")
            XCTAssertEqual(sample.op.calledComputations, sample.calls, "\(sample.op)")
            XCTAssertEqual(sample.op.isLocalErrorSite, sample.localError, "\(sample.op)")
            XCTAssertFalse(rule.canonicalText.isEmpty, "\(sample.op)")
        }
        XCTAssertEqual(seen, Self.families, "the samples cover every family once, in the shared order")
        // Different ops must hash differently.
        let texts = samples.map(\.op.rule.canonicalText)
        XCTAssertEqual(Set(texts).count, texts.count, "canonical texts collide: \(texts)")
    }

    func testEachFamilyHasItsOwnFileUnderOps() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()  // Tests/FPGraphTests/Ops
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/FPGraph/Ops")
        let files = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }
        XCTAssertEqual(Set(files), Set(Self.families.map { $0 + "Rule.swift" }))
    }

    func testValueFlowAndStartIndexBoundsFollowTheOps() {
        XCTAssertEqual(FPGraph.Operation.parameter(index: 2).valueFlow, .parameter(index: 2))
        for op: FPGraph.Operation in [
            .broadcast(dimensions: []), .reshape, .transpose(permutation: []), .convert,
            .bitcast(operandLayout: [], resultLayout: []), .slice(SliceBounds(starts: [], limits: [], strides: [])),
            .unary(.copy),
        ] {
            XCTAssertEqual(op.valueFlow, .operandValues, "\(op)")
        }
        XCTAssertEqual(FPGraph.Operation.concatenate(dimension: 0).valueFlow, .concatenation)
        XCTAssertEqual(FPGraph.Operation.call(computation: "f").valueFlow, .callee("f"))
        XCTAssertEqual(FPGraph.Operation.unary(.neg).valueFlow, .other)
        let gather = GatherDimensions(
            offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0], indexVectorDim: 1, sliceSizes: [1, 4])
        let bounds = FPGraph.Operation.gather(gather).startIndexBounds(operandTypes: [
            .array(.f32, [10, 4]), .array(.s32, [3, 1]),
        ])
        XCTAssertEqual(
            bounds, [StartIndexBound(operand: 1, count: 10, reason: "the start indices of a gather from f32[10,4]")])
        XCTAssertEqual(FPGraph.Operation.unary(.exp).startIndexBounds(operandTypes: [.array(.f32, [4])]), [])
    }
}
