import FPGraph
import XCTest

/// The type rule of dot.
final class DotRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testDotShapeFollowsBatchThenFreeDimensions() throws {
        let graph = try g.build([
            g.parameter("a", 0, .f32, [5, 2, 3]),
            g.parameter("b", 1, .f32, [5, 3, 4]),
            NodeSpec(
                name: "d",
                operation: .dot(
                    DotDimensions(
                        lhsBatch: [0], rhsBatch: [0], lhsContracting: [2],
                        rhsContracting: [1])), operands: ["a", "b"]),
        ])
        XCTAssertEqual(graph.outputs[0].type, ArrayType(.f32, [5, 2, 4]))
    }
}
