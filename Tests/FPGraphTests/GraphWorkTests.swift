import FPGraph
import XCTest

/// The work estimate counts element operations the way the evaluators do them.
final class GraphWorkTests: XCTestCase {
    func parameter(_ name: String, _ index: Int, _ shape: [Int]) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: .f32, shape: shape)
    }

    func graph(_ nodes: [NodeSpec], extra: [ComputationSpec] = []) throws -> Graph {
        try GraphBuilder().build(
            GraphSpec(
                computations: [ComputationSpec(name: "main", nodes: nodes)] + extra, entry: "main", source: "w.json"))
    }

    let add = ComputationSpec(
        name: "add",
        nodes: [
            NodeSpec(name: "a", operation: .parameter(index: 0), dtype: .f32, shape: []),
            NodeSpec(name: "b", operation: .parameter(index: 1), dtype: .f32, shape: []),
            NodeSpec(name: "s", operation: .binary(.add), operands: ["a", "b"]),
        ])

    func testElementwiseDotAndReduce() throws {
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        let g = try graph(
            [
                parameter("x", 0, [8, 16]), parameter("w", 1, [16, 4]),
                NodeSpec(name: "e", operation: .unary(.exp), operands: ["x"]),  // 128
                NodeSpec(
                    name: "d", operation: .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])),
                    operands: ["e", "w"]),  // 8*4 outputs x 16 terms = 512
                NodeSpec(name: "z", operation: .constant(zero)),
                // 8 sums of 4 terms: 32 reducer calls of one add each
                NodeSpec(name: "r", operation: .reduce(dimensions: [1], reducer: "add"), operands: ["d", "z"]),
            ], extra: [add])
        XCTAssertEqual(g.evaluationWork, EvaluationWork(elementOps: 128 + 512 + 32, hasLoops: false))
    }

    func testABigDotIsCountedWithoutBuildingIt() throws {
        let g = try graph([
            parameter("a", 0, [4096, 4096]), parameter("b", 1, [4096, 4096]),
            NodeSpec(
                name: "d", operation: .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])),
                operands: ["a", "b"]),
        ])
        XCTAssertEqual(g.evaluationWork.elementOps, 0x1p36)
    }

    func testCallsCountTheirComputationAndLoopsMakeALowerBound() throws {
        let square = ComputationSpec(
            name: "square",
            nodes: [
                NodeSpec(name: "p", operation: .parameter(index: 0), dtype: .f32, shape: [10]),
                NodeSpec(name: "m", operation: .binary(.multiply), operands: ["p", "p"]),
            ])
        let g = try graph(
            [
                parameter("x", 0, [10]),
                NodeSpec(name: "c1", operation: .call(computation: "square"), operands: ["x"]),
                NodeSpec(name: "c2", operation: .call(computation: "square"), operands: ["c1"]),
            ], extra: [square])
        XCTAssertEqual(g.evaluationWork, EvaluationWork(elementOps: 20, hasLoops: false))

        let ten = Tensor(type: ArrayType(.f32, []), elements: .floats([10]))
        let condition = ComputationSpec(
            name: "below",
            nodes: [
                NodeSpec(name: "p", operation: .parameter(index: 0), dtype: .f32, shape: []),
                NodeSpec(name: "ten", operation: .constant(ten)),
                NodeSpec(name: "lt", operation: .compare(.lt), operands: ["p", "ten"]),
            ])
        let body = ComputationSpec(
            name: "step",
            nodes: [
                NodeSpec(name: "p", operation: .parameter(index: 0), dtype: .f32, shape: []),
                NodeSpec(name: "n", operation: .unary(.exp), operands: ["p"]),
            ])
        let loop = try graph(
            [
                parameter("x", 0, []),
                NodeSpec(name: "w", operation: .whileLoop(condition: "below", body: "step"), operands: ["x"]),
            ], extra: [condition, body])
        // one trip of the condition (1) and the body (1): a lower bound
        XCTAssertEqual(loop.evaluationWork, EvaluationWork(elementOps: 2, hasLoops: true))
    }

    func testAReductionOfAnEmptyDimensionStillCostsItsResult() throws {
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        let g = try graph(
            [
                parameter("x", 0, [0, 1000]),
                NodeSpec(name: "z", operation: .constant(zero)),
                NodeSpec(name: "r", operation: .reduce(dimensions: [0], reducer: "add"), operands: ["x", "z"]),
            ], extra: [add])
        XCTAssertEqual(g.evaluationWork.elementOps, 1000)
    }
}
