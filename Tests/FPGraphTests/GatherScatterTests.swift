import FPGraph
import XCTest
import _TestSupport

/// Type rules and index semantics of `gather` and `scatter`, on hand-made
/// layouts; the evaluators are checked against XLA in FPEvalTests.
final class GatherScatterTests: XCTestCase {
    let embedding = GatherDimensions(
        offsetDims: [1], collapsedSliceDims: [0], startIndexMap: [0], indexVectorDim: 1, sliceSizes: [1, 3])

    func testAnEmbeddingLookupTakesRows() throws {
        let table = ArrayType(.f32, [5, 3])
        let ids = ArrayType(.s32, [4])
        XCTAssertEqual(try embedding.resultDimensions(operand: table, indices: ids).get(), [4, 3])
        // Start indices are clamped so the row fits: -3 reads row 0, 9 reads row 4.
        let positions = embedding.sourcePositions(
            operand: table, indices: ids, indexValues: [4, 0, -3, 9], result: [4, 3])
        XCTAssertEqual(positions, [12, 13, 14, 0, 1, 2, 0, 1, 2, 12, 13, 14])
    }

    func testAWindowStartIsClampedSoTheWholeWindowFits() throws {
        // A 2x2 window of a 3x4 operand at start (2, 3) starts at (1, 2).
        let d = GatherDimensions(
            offsetDims: [1, 2], collapsedSliceDims: [], startIndexMap: [0, 1], indexVectorDim: 1, sliceSizes: [2, 2])
        let operand = ArrayType(.f32, [3, 4])
        let starts = ArrayType(.s32, [1, 2])
        XCTAssertEqual(try d.resultDimensions(operand: operand, indices: starts).get(), [1, 2, 2])
        XCTAssertEqual(
            d.sourcePositions(operand: operand, indices: starts, indexValues: [2, 3], result: [1, 2, 2]),
            [6, 7, 10, 11])
    }

    func testBatchingDimensionsPairOperandAndIndices() throws {
        // take_along_axis on the last axis: out[b, i] = x[b, idx[b, i]].
        let d = GatherDimensions(
            offsetDims: [], collapsedSliceDims: [1], startIndexMap: [1], indexVectorDim: 2, sliceSizes: [1, 1],
            operandBatchingDims: [0], startIndicesBatchingDims: [0])
        let x = ArrayType(.f32, [2, 3])
        let idx = ArrayType(.s32, [2, 1])
        XCTAssertEqual(try d.resultDimensions(operand: x, indices: idx).get(), [2, 1])
        XCTAssertEqual(d.sourcePositions(operand: x, indices: idx, indexValues: [2, 0], result: [2, 1]), [2, 3])
    }

    func testBadDimensionNumbersSayWhy() {
        let table = ArrayType(.f32, [5, 3])
        func message(_ d: GatherDimensions, _ indices: ArrayType = ArrayType(.s32, [4])) -> String {
            if case .failure(let e) = d.resultDimensions(operand: table, indices: indices) { return e.message }
            return "accepted"
        }
        var d = embedding
        d.sliceSizes = [1, 4]
        XCTAssertTrue(message(d).contains("must fit in the operand"), message(d))
        d = embedding
        d.collapsedSliceDims = [2]
        XCTAssertTrue(message(d).contains("collapsed_slice_dims [2] must be within 0..<2"), message(d))
        d = embedding
        d.offsetDims = [0, 1]
        XCTAssertTrue(message(d).contains("offset_dims"), message(d))
        XCTAssertTrue(message(embedding, ArrayType(.f32, [4])).contains("integer dtype"))
        d = embedding
        d.indexVectorDim = 3
        XCTAssertTrue(message(d).contains("index_vector_dim 3 must be within 0...1"), message(d))
        d = embedding
        d.sliceSizes = [2, 3]
        XCTAssertTrue(message(d).contains("at most 1"), message(d))
    }

    func testScatterSkipsWindowsThatDoNotFit() {
        // Rows of width 3 into a 4x3 operand at rows 1, 7, -1, 3.
        let d = ScatterDimensions(
            updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0], indexVectorDim: 1)
        let operand = ArrayType(.f32, [4, 3])
        let indices = ArrayType(.s32, [4])
        let updates = ArrayType(.f32, [4, 3])
        XCTAssertNil(d.check(operand: operand, indices: indices, updates: updates))
        let targets = d.targetPositions(
            operand: operand, indices: indices, indexValues: [1, 7, -1, 3], updates: updates)
        XCTAssertEqual(targets, [3, 4, 5, nil, nil, nil, nil, nil, nil, 9, 10, 11])
    }

    func testScatterChecksTheUpdatesShape() {
        let d = ScatterDimensions(
            updateWindowDims: [1], insertedWindowDims: [0], scatterDimsToOperandDims: [0], indexVectorDim: 1)
        let problem = d.check(
            operand: ArrayType(.f32, [4, 3]), indices: ArrayType(.s32, [4]), updates: ArrayType(.f32, [5, 3]))
        XCTAssertTrue(problem?.message.contains("scatter dimensions [5]") ?? false, "\(String(describing: problem))")
    }

    func testAGraphWithABadGatherIsALocatedError() throws {
        let json = """
            { "parameters": [{"name": "t", "dtype": "f32", "shape": [5, 3]}, {"name": "i", "dtype": "s32", "shape": [4]}],
              "nodes": [{"name": "g", "op": "gather", "operands": ["t", "i"], "offset_dims": [1],
                         "collapsed_slice_dims": [0], "start_index_map": [0], "index_vector_dim": 1,
                         "slice_sizes": [1, 9]}],
              "outputs": ["g"] }
            """
        XCTAssertThrowsError(try graph(json)) { error in
            XCTAssertTrue("\(error)".contains("test.json:2:13: error: node 'g' (gather)"), "\(error)")
            XCTAssertTrue("\(error)".contains("slice_sizes [1, 9] must fit"), "\(error)")
        }
    }
}
