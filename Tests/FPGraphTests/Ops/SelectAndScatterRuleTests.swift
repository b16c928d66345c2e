import FPGraph
import XCTest

/// The type rule of select-and-scatter: the operand's type; every bad input is a located error.
final class SelectAndScatterRuleTests: XCTestCase {
    let g = RuleTestGraphs()

    var helpers: [ComputationSpec] {
        [g.scalarComputation("ge", .compare(.ge)), g.scalarComputation("add", .binary(.add))]
    }

    func selectAndScatter(_ window: WindowConfig, source: [Int], select: String = "ge") -> [NodeSpec] {
        [
            g.parameter("x", 0, .f32, [4, 6]), g.parameter("s", 1, .f32, source), g.parameter("i", 2, .f32, []),
            NodeSpec(
                name: "out", operation: .selectAndScatter(window, select: select, scatter: "add"),
                operands: ["x", "s", "i"], location: g.here),
        ]
    }

    func testSelectAndScatterTakesTheOperandsType() throws {
        let graph = try g.build(
            selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 3]), extra: helpers)
        XCTAssertEqual(graph.outputs[0].type, ArrayType(.f32, [4, 6]))
    }

    func testSelectAndScatterErrorsAreLocated() {
        let helpers = helpers
        var message = g.locatedMessage {
            try g.build(
                selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 2]), extra: helpers)
        }
        XCTAssertTrue(message.contains("the window has [2, 3] positions"), message)
        message = g.locatedMessage {
            try g.build(
                selectAndScatter(WindowConfig(dimensions: [2, 2], windowDilations: [2, 1]), source: [2, 5]),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("no base or window dilation"), message)
        message = g.locatedMessage {
            try g.build(
                selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 3], select: "add"),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("select 'add'"), message)
        message = g.locatedMessage {
            try g.build(
                selectAndScatter(WindowConfig(dimensions: [2, 2], paddingLow: [-1, 0]), source: [2, 5]),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("padding must be >= 0"), message)
    }
}
