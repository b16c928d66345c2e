import FPGraph
import XCTest
import _TestSupport

/// Following an element back through data movement to the constant element it holds.
final class ComputationConstantSourceTests: XCTestCase {
    func testFollowsTransposeReshapeSliceBroadcastAndCopy() throws {
        // k = [[0, 1, 2], [3, 4, 5]]; t = kᵀ (3×2) = [0, 3, 1, 4, 2, 5] row-major;
        // s = t[1 ..< 4] = [3, 1, 4]; b = broadcast of s along dim 1 (2×3): [[3, 1, 4], [3, 1, 4]].
        let g = try graph(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [2, 3]}],
             "nodes": [{"name": "k", "op": "constant", "dtype": "f32", "shape": [2, 3], "value": [0, 1, 2, 3, 4, 5]},
                       {"name": "t", "op": "transpose", "operands": ["k"], "permutation": [1, 0]},
                       {"name": "r", "op": "reshape", "operands": ["t"], "shape": [6]},
                       {"name": "s", "op": "slice", "operands": ["r"], "start": [1], "limit": [4]},
                       {"name": "b", "op": "broadcast", "operands": ["s"], "dimensions": [1], "shape": [2, 3]},
                       {"name": "c", "op": "copy", "operands": ["b"]},
                       {"name": "v", "op": "convert", "operands": ["k"], "dtype": "f64"},
                       {"name": "y", "op": "multiply", "operands": ["x", "c"]}],
             "outputs": ["y", "v"]}
            """)
        let entry = g.entry
        let k = try XCTUnwrap(entry.index(of: "k"))
        let c = try XCTUnwrap(entry.index(of: "c"))
        // c's elements hold k's elements 3, 1, 4, 3, 1, 4.
        for (e, expected) in [3, 1, 4, 3, 1, 4].enumerated() {
            let source = try XCTUnwrap(g.entry.constantSource(ofNode: c, element: e), "element \(e)")
            XCTAssertEqual(source.node, k)
            XCTAssertEqual(source.element, expected, "element \(e)")
        }
        // A convert computes (it rounds, and is measured itself); a parameter or an arithmetic op is no constant.
        XCTAssertNil(g.entry.constantSource(ofNode: try XCTUnwrap(entry.index(of: "v")), element: 0))
        XCTAssertNil(g.entry.constantSource(ofNode: try XCTUnwrap(entry.index(of: "y")), element: 0))
        XCTAssertNil(g.entry.constantSource(ofNode: try XCTUnwrap(entry.index(of: "x")), element: 0))
        XCTAssertNil(g.entry.constantSource(ofNode: c, element: 6), "out of range")
    }
}
