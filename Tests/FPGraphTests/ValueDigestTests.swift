import FPGraph
import XCTest

/// Value digests name the function a node computes from the parameters:
/// the same in two graphs whatever the names, different when any operand
/// differs, and (once calls are inlined) the same for a fused node as for
/// the nodes it fused.
final class ValueDigestTests: XCTestCase {
    func build(_ nodes: [NodeSpec], extra: [ComputationSpec] = []) throws -> Graph {
        try GraphBuilder().build(
            GraphSpec(
                computations: [ComputationSpec(name: "main", nodes: nodes)] + extra, entry: "main", outputs: nil,
                source: "g.json"))
    }

    func parameter(_ name: String, _ index: Int) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: .f32, shape: [4])
    }

    func unary(_ name: String, _ op: UnaryOp, _ x: String) -> NodeSpec {
        NodeSpec(name: name, operation: .unary(op), operands: [x])
    }

    func binary(_ name: String, _ op: BinaryOp, _ a: String, _ b: String) -> NodeSpec {
        NodeSpec(name: name, operation: .binary(op), operands: [a, b])
    }

    func testEqualFunctionsHaveEqualDigestsWhateverTheirNames() throws {
        let a = try build([parameter("x", 0), unary("e", .exp, "x"), binary("y", .add, "e", "x")])
        let b = try build([parameter("in", 0), unary("exp.1", .exp, "in"), binary("out", .add, "exp.1", "in")])
        let c = try build([parameter("x", 0), unary("e", .exp, "x"), binary("y", .add, "x", "e")])
        XCTAssertEqual(a.entryValueDigests, b.entryValueDigests)
        XCTAssertEqual(a.entryValueDigests[1], c.entryValueDigests[1], "exp(x) is the same node")
        XCTAssertNotEqual(a.entryValueDigests[2], c.entryValueDigests[2], "operand order counts")
        XCTAssertEqual(Set(a.entryValueDigests).count, 3)
    }

    func testAFusedNodeInlinedHasTheDigestOfTheNodesItFused() throws {
        let unfused = try build([parameter("x", 0), unary("e", .exp, "x"), binary("y", .add, "e", "x")])
        let body = ComputationSpec(
            name: "fused", nodes: [parameter("p", 0), unary("e", .exp, "p"), binary("r", .add, "e", "p")])
        let fused = try build(
            [parameter("x", 0), NodeSpec(name: "y", operation: .call(computation: "fused"), operands: ["x"])],
            extra: [body])
        XCTAssertNotEqual(fused.entryValueDigests.last, unfused.entryValueDigests.last, "a call counts as a call")
        XCTAssertEqual(fused.inliningCalls().entryValueDigests.last, unfused.entryValueDigests.last)
    }
}
