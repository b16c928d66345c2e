import FPGraph
import XCTest
import _TestSupport

final class GraphDiffTests: XCTestCase {
    func g(
        _ nodes: String,
        params: String = #"[{"name": "x", "dtype": "f32", "shape": [4]}, {"name": "y", "dtype": "f32", "shape": [4]}]"#
    ) throws -> Graph {
        try graph(#"{"parameters": \#(params), "nodes": \#(nodes), "outputs": ["out"]}"#)
    }

    func testRenamedAndReorderedGraphsHaveAnEmptyDiff() throws {
        let a = try g(
            #"[{"name": "e", "op": "exp", "operands": ["x"]}, {"name": "out", "op": "add", "operands": ["e", "y"]}]"#)
        let b = try g(
            #"[{"name": "out", "op": "add", "operands": ["q", "y"]}, {"name": "q", "op": "exp", "operands": ["x"]}]"#)
        let d = GraphDiff(a, b)
        XCTAssertTrue(d.isEmpty)
        XCTAssertEqual(d.unchanged, 4)
    }

    /// x / y → x * (1 / y): the divide's opcode survives in the reciprocal, so the
    /// pairing reports it as changed and the multiply as added.
    func testReciprocalRewrite() throws {
        let a = try g(#"[{"name": "out", "op": "divide", "operands": ["x", "y"]}]"#)
        let b = try g(
            #"""
            [{"name": "one", "op": "constant", "dtype": "f32", "value": 1},
             {"name": "r", "op": "divide", "operands": ["one", "y"]},
             {"name": "out", "op": "multiply", "operands": ["x", "r"]}]
            """#)
        let d = GraphDiff(a, b)
        XCTAssertEqual(d.unchanged, 2, "both parameters")
        XCTAssertEqual(d.changed.map { [$0.from.node, $0.to.node] }, [["out", "r"]])
        XCTAssertEqual(Set(d.added.map(\.node)), ["one", "out"])
        XCTAssertEqual(d.removed, [])
        XCTAssertEqual(d.summary, "+2 -0 ~1")
    }

    func testDeadNodesDoNotCount() throws {
        let a = try g(#"[{"name": "out", "op": "exp", "operands": ["x"]}]"#)
        let b = try g(
            #"[{"name": "dead", "op": "log", "operands": ["y"]}, {"name": "out", "op": "exp", "operands": ["x"]}]"#)
        XCTAssertTrue(GraphDiff(a, b).isEmpty)
    }
}
