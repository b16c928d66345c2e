import FPGraph
import XCTest

/// The type rule of dynamic-slice and the bounds of its start indices.
final class DynamicSliceRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testNoOperandIsALocatedArityErrorNotATrap() {
        let message = g.locatedMessage {
            try g.build([NodeSpec(name: "s", operation: .dynamicSlice(sizes: [2]), location: g.here)])
        }
        XCTAssertTrue(message.contains("dynamic-slice"), message)
        XCTAssertTrue(message.contains("at least 1"), message)
    }

    func testStartIndicesCountThePositionsTheBlockCanStartAt() {
        let types: [ValueType] = [.array(.f32, [8, 5]), .array(.s32, []), .array(.s32, [])]
        let bounds = FPGraph.Operation.dynamicSlice(sizes: [3, 5]).startIndexBounds(operandTypes: types)
        XCTAssertEqual(bounds.map(\.operand), [1, 2])
        XCTAssertEqual(bounds.map(\.count), [6, 1])
        XCTAssertEqual(bounds.first?.reason, "a start index of a dynamic-slice of f32[8,5]")
    }
}
