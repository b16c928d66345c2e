import FPGraph
import XCTest

@testable import FPEval

/// A while body may return its state's elements in other positions (JAX's
/// threefry loop swaps its two rotation tables every iteration): the next
/// state must be built from the old one, not from a half-updated one.
final class WhileLoopStateTests: XCTestCase {
    func testABodyThatSwapsStateElementsSwapsThem() throws {
        let state = ValueType.tuple([
            .array(.s32, []), .array(.f32, [2]), .array(.f32, [2]), .array(.u32, [2]),
            .array(.u32, [2]),
        ])
        func stateParameter(_ name: String) -> NodeSpec {
            NodeSpec(name: name, operation: .parameter(index: 0), declaredType: state)
        }
        func element(_ name: String, _ index: Int) -> NodeSpec {
            N.op(name, .getTupleElement(index: index), ["s"])
        }
        let condition = ComputationSpec(
            name: "cond",
            nodes: [
                stateParameter("s"), element("i", 0), N.constant("three", .s32, integers: [3]),
                N.compare("lt", .lt, "i", "three"),
            ])
        let body = ComputationSpec(
            name: "body",
            nodes: [
                stateParameter("s"), element("i", 0), element("a", 1), element("b", 2), element("c", 3),
                element("d", 4), N.constant("one", .s32, integers: [1]), N.binary("next", .add, "i", "one"),
                N.op("t", .tuple, ["next", "b", "a", "d", "c"]),
            ])
        let graph = try buildGraph(
            [
                N.parameter("a", 0, .f32, [2]), N.parameter("c", 1, .u32, [2]), N.constant("zero", .s32, integers: [0]),
                N.op("init", .tuple, ["zero", "a", "a", "c", "c"]),
                N.unary("b", .neg, "a"), N.binary("d", .add, "c", "c"),
                N.op("start", .tuple, ["zero", "a", "b", "c", "d"]),
                N.op("w", .whileLoop(condition: "cond", body: "body"), ["start"]),
                N.op("x", .getTupleElement(index: 1), ["w"]), N.op("y", .getTupleElement(index: 2), ["w"]),
                N.op("u", .getTupleElement(index: 3), ["w"]), N.op("v", .getTupleElement(index: 4), ["w"]),
            ], computations: [condition, body], outputs: ["x", "y", "u", "v"])
        for e in Evaluator.all {
            // Three swaps: the elements end up exchanged.
            let out = try e(graph, [.floats([1, 2]), .integers([5, 7])])
            XCTAssertEqual(
                out, [.floats([-1, -2]), .floats([1, 2]), .integers([10, 14]), .integers([5, 7])], "\(e)")
        }
    }
}
