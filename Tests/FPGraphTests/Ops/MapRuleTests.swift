import FPGraph
import XCTest

/// The type rule of map: operands of one shape, a computation from their scalars to a scalar.
final class MapRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testMapChecks() throws {
        let add = g.scalarComputation("add", .binary(.add))
        let graph = try g.build(
            [
                g.parameter("x", 0, .f32, [2, 3]), g.parameter("y", 1, .f32, [2, 3]),
                NodeSpec(name: "m", operation: .map(computation: "add"), operands: ["x", "y"]),
            ], extra: [add])
        XCTAssertEqual(graph.outputs[0].type, ArrayType(.f32, [2, 3]))
        let message = g.locatedMessage {
            try g.build(
                [
                    g.parameter("x", 0, .f32, [2, 3]), g.parameter("y", 1, .f32, [3]),
                    NodeSpec(name: "m", operation: .map(computation: "add"), operands: ["x", "y"], location: g.here),
                ], extra: [add])
        }
        XCTAssertTrue(message.contains("map does not broadcast"), message)
    }
}
