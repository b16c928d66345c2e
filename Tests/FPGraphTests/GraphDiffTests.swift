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

    /// A constant rewritten from the decimal 0.1 to its f32 value (hex) is a
    /// different real function: the constant and its users are changed, not
    /// unchanged, although every f32 value is the same.
    func testAConstantsLiteralIsPartOfTheNode() throws {
        func h(_ value: String) throws -> Graph {
            try g(
                #"""
                [{"name": "c", "op": "constant", "dtype": "f32", "value": \#(value)},
                 {"name": "cb", "op": "broadcast", "operands": ["c"], "dimensions": [], "shape": [4]},
                 {"name": "out", "op": "multiply", "operands": ["x", "cb"]}]
                """#)
        }
        XCTAssertTrue(GraphDiff(try h("0.1"), try h(#""1e-1""#)).isEmpty, "the same real, spelled differently")
        let d = GraphDiff(try h("0.1"), try h(#""0x1.99999ap-4""#))
        XCTAssertFalse(d.isEmpty)
        XCTAssertEqual(d.unchanged, 1, "x (y is unused)")
        XCTAssertEqual(d.summary, "+0 -0 ~3", "\(d.changed.map { [$0.from.node, $0.to.node] })")
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
