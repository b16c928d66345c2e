import FPGraph
import FPNumerics
import XCTest

@testable import FPFormats

/// The op families are the only source of op names, attribute keys and XLA
/// opcodes: every family is listed once, every operation reaches its family,
/// and the name and opcode tables hold nothing that no family spells.
final class OpSpellingTests: XCTestCase {
    /// One operation of every case (the switch below is exhaustive, so a new
    /// case must be added here).
    private static let samples: [FPGraph.Operation] = {
        let window = WindowConfig(dimensions: [2])
        let labels = try! ConvolutionDimensions.parse(labels: "b0f_0io->b0f").get()
        let gather = GatherDimensions(
            offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], indexVectorDim: 1, sliceSizes: [1])
        let scatter = ScatterDimensions(
            updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0], indexVectorDim: 1)
        var all: [FPGraph.Operation] = [
            .parameter(index: 0), .constant(Tensor(dtype: .f32, shape: [], elements: .floats([1]))),
            .compare(.lt), .select, .clamp, .convert, .bitcastConvert,
        ]
        all += [
            .reducePrecision(exponentBits: 8, mantissaBits: 7), .broadcast(dimensions: []), .reshape,
            .transpose(permutation: [0]), .slice(SliceBounds(starts: [0], limits: [1], strides: [1])),
            .concatenate(dimension: 0), .pad(PaddingConfig(low: [0], high: [0], interior: [0])), .iota(dimension: 0),
        ]
        all += [
            .reduce(dimensions: [0], reducer: "r"), .dot(DotDimensions(lhsContracting: [0], rhsContracting: [0])),
            .convolution(ConvolutionAttributes(dimensions: labels, window: window)), .tuple,
            .getTupleElement(index: 0), .call(computation: "c"), .bitcast(operandLayout: [0], resultLayout: [0]),
        ]
        all += [
            .reduceWindow(window, reducer: "r"), .dynamicSlice(sizes: [1]), .dynamicUpdateSlice,
            .whileLoop(condition: "c", body: "b"), .conditional(branches: ["a", "b"]), .gather(gather),
            .scatter(scatter, combiner: "c"),
        ]
        all += [
            .reverse(dimensions: [0]), .optimizationBarrier, .sort(dimension: 0, isStable: false, comparator: "c"),
            .topK(k: 1, largest: true), .selectAndScatter(window, select: "s", scatter: "t"), .map(computation: "m"),
            .multiplyHigh, .rngBitGenerator(algorithm: .philox, output: ArrayType(.u32, [2])),
        ]
        all += UnaryOp.allCases.map { .unary($0) }
        all += BinaryOp.allCases.map { .binary($0) }
        all += BatchNormKind.allCases.map { .batchNorm(BatchNormConfig(kind: $0, epsilon: 0.001, featureIndex: 0)) }
        return all
    }()

    private func family(_ operation: FPGraph.Operation) -> ObjectIdentifier {
        ObjectIdentifier(type(of: operation.spelling))
    }

    func testEveryFamilyIsListedOnceAndReachedFromItsOperations() {
        let listed = OpSpellings.families.map(ObjectIdentifier.init)
        XCTAssertEqual(listed.count, 40)
        XCTAssertEqual(Set(listed).count, listed.count, "a family listed twice")
        XCTAssertEqual(Set(Self.samples.map(family)), Set(listed), "every family, and only those, is reached")
        for operation in Self.samples {
            // A new case of Operation fails to compile here until a sample of it is added above.
            switch operation {
            case .parameter, .constant, .unary, .binary, .compare, .select, .clamp, .convert, .bitcastConvert,
                .reducePrecision, .broadcast, .reshape, .transpose, .slice, .concatenate, .pad, .iota, .reduce, .dot,
                .convolution, .tuple, .getTupleElement, .call, .bitcast, .reduceWindow, .dynamicSlice,
                .dynamicUpdateSlice, .whileLoop, .conditional, .gather, .scatter, .reverse, .optimizationBarrier,
                .sort, .topK, .selectAndScatter, .map, .multiplyHigh, .batchNorm, .rngBitGenerator:
                break
            }
        }
    }

    func testAnOperationIsWrittenUnderANameOfItsOwnFamily() {
        for operation in Self.samples {
            let spellings = type(of: operation.spelling).graphSpellings.map(\.name)
            if case .parameter = operation {
                XCTAssertEqual(spellings, [], "parameters are declared in \"parameters\", not as nodes")
            } else {
                XCTAssertTrue(spellings.contains(operation.opcodeName), "\(operation.opcodeName) in \(spellings)")
            }
        }
        XCTAssertEqual(GraphJSON.opNames, OpSyntax.all.map(\.name))
        XCTAssertEqual(Set(GraphJSON.opNames).count, GraphJSON.opNames.count, "a name spelled by two families")
    }

    func testEveryXLAOpcodeIsLoweredByExactlyOneFamily() {
        let opcodes = OpSpellings.families.flatMap { $0.hloOpcodes }
        XCTAssertEqual(Set(opcodes).count, opcodes.count, "an opcode lowered by two families")
        XCTAssertEqual(Set(opcodes), HLOOpcodes.supported)
        let targets = OpSpellings.families.flatMap { $0.hloCustomCallTargets }
        XCTAssertEqual(Set(targets).count, targets.count, "a custom-call target lowered by two families")
        XCTAssertEqual(Set(targets), HLOOpcodes.customCallTargets)
        XCTAssertFalse(HLOOpcodes.isSupported("custom-call"), "custom-call is read by target only")
        // The opcode an operation is written under in HLO terms is one its family lowers
        // (batch norms and the elementwise ops included), where XLA spells it so.
        for operation in Self.samples {
            let family = type(of: operation.spelling)
            if HLOOpcodes.xla.contains(operation.opcodeName) {
                XCTAssertTrue(family.hloOpcodes.contains(operation.opcodeName), operation.opcodeName)
            }
        }
    }

    func testOnlyTheFamiliesAttributesAreSemantic() {
        XCTAssertTrue(HLOOpcodes.semanticAttributes.isSuperset(of: DotSyntax.hloAttributes))
        XCTAssertTrue(HLOOpcodes.semanticAttributes.isSuperset(of: TopKSyntax.hloAttributes))
        for attribute in ["metadata", "sharding", "backend_config", "frontend_attributes", "kind", "result_accuracy"] {
            XCTAssertFalse(HLOOpcodes.semanticAttributes.contains(attribute), attribute)
        }
    }
}
