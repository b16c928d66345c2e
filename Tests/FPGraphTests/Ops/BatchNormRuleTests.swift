import FPGraph
import XCTest

/// The batch-norm rule: feature-shaped operands, tuple results, the reduction
/// depth of the per-feature sums, and the variance operand.
final class BatchNormRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testBatchNormShapes() throws {
        func training(featureIndex: Int, scale: [Int] = [3]) -> [NodeSpec] {
            [
                g.parameter("x", 0, .f32, [2, 3, 5]), g.parameter("scale", 1, .f32, scale),
                g.parameter("offset", 2, .f32, [3]),
                NodeSpec(
                    name: "t",
                    operation: .batchNorm(BatchNormConfig(kind: .training, epsilon: 1e-3, featureIndex: featureIndex)),
                    operands: ["x", "scale", "offset"], location: g.here),
                NodeSpec(name: "y", operation: .getTupleElement(index: 2), operands: ["t"]),
            ]
        }
        let graph = try g.build(training(featureIndex: 1))
        XCTAssertEqual(graph.outputs[0].type, ArrayType(.f32, [3]))
        // A batch-norm-training root: three outputs, each with the depth of the 10-element sums.
        let root = try g.build(Array(training(featureIndex: 1).dropLast()), rootOutputs: true)
        XCTAssertEqual(root.outputs.count, 3)
        XCTAssertEqual(root.outputReductionDepths, [9, 9, 9])
        var message = g.locatedMessage { try g.build(training(featureIndex: 3)) }
        XCTAssertTrue(message.contains("feature_index 3 is out of range"), message)
        message = g.locatedMessage { try g.build(training(featureIndex: 1, scale: [5])) }
        XCTAssertTrue(message.contains("the scale is f32[5]"), message)
        message = g.locatedMessage {
            try g.build([
                g.parameter("x", 0, .f32, [2, 3]), g.parameter("s", 1, .f32, [3]),
                NodeSpec(
                    name: "t", operation: .batchNorm(BatchNormConfig(kind: .grad, epsilon: 1e-3, featureIndex: 1)),
                    operands: ["x", "s", "s"], location: g.here),
            ])
        }
        XCTAssertTrue(message.contains("batch-norm-grad") && message.contains("5"), message)
    }

    func testTheVarianceOperandOfEachKind() {
        func variance(_ kind: BatchNormKind) -> Int? {
            FPGraph.Operation.batchNorm(BatchNormConfig(kind: kind, epsilon: 1e-3, featureIndex: 0)).varianceOperand
        }
        XCTAssertEqual(variance(.inference), 4)
        XCTAssertEqual(variance(.training), nil)
        XCTAssertEqual(variance(.grad), 3)
    }
}
