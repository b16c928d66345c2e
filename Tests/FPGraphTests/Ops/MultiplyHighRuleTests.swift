import FPGraph
import XCTest

/// The type rule of mulhi: integer operands of one dtype (a scalar broadcasts).
final class MultiplyHighRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    func testMulhiChecks() throws {
        let message = g.locatedMessage {
            try g.build([
                g.parameter("a", 0, .f32), g.parameter("b", 1, .f32),
                NodeSpec(name: "h", operation: .multiplyHigh, operands: ["a", "b"], location: g.here),
            ])
        }
        XCTAssertTrue(message.contains("mulhi needs integer operands"), message)
        let h = try g.build([
            g.parameter("a", 0, .u32), g.parameter("b", 1, .u32, []),
            NodeSpec(name: "h", operation: .multiplyHigh, operands: ["a", "b"]),
        ])
        XCTAssertEqual(h.outputs[0].type, ArrayType(.u32, [4]))
    }
}
