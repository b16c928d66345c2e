import FPGraph
import XCTest

/// The type rule of reduce-window (and the window arithmetic it shares with select-and-scatter).
final class ReduceWindowRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testReduceWindowRefusesNegativePaddingAndOverflow() {
        let add = g.scalarComputation("add", .binary(.add))
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        func reduceWindow(_ w: WindowConfig) -> [NodeSpec] {
            [
                g.parameter("x", 0, .f32, [4]), NodeSpec(name: "z", operation: .constant(zero)),
                NodeSpec(
                    name: "out", operation: .reduceWindow(w, reducer: "add"), operands: ["x", "z"], location: g.here),
            ]
        }
        var message = g.locatedMessage {
            try g.build(reduceWindow(WindowConfig(dimensions: [2], paddingHigh: [-1])), extra: [add])
        }
        XCTAssertTrue(message.contains("padding must be >= 0"), message)
        message = g.locatedMessage {
            try g.build(reduceWindow(WindowConfig(dimensions: [2], baseDilations: [Int.max / 2])), extra: [add])
        }
        XCTAssertTrue(message.contains("overflows"), message)
    }
}
