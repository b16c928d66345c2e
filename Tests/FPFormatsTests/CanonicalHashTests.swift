import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// What the canonical hash of a read graph ignores and what it does not.
final class CanonicalHashTests: XCTestCase {
    private let base = #"""
        {
          "format": "fpaudit.graph/v1",
          "name": "f",
          "parameters": [{ "name": "x", "dtype": "f32", "shape": [4] }, { "name": "y", "dtype": "f32", "shape": [4] }],
          "nodes": [
            { "name": "two", "op": "constant", "dtype": "f32", "value": 2 },
            { "name": "tb", "op": "broadcast", "operands": ["two"], "dimensions": [], "shape": [4] },
            { "name": "p", "op": "multiply", "operands": ["x", "tb"] },
            { "name": "s", "op": "subtract", "operands": ["p", "y"] },
            { "name": "z", "op": "constant", "dtype": "f32", "value": 0 },
            { "name": "r", "op": "reduce", "operands": ["s", "z"], "dimensions": [0], "reducer": "add" }
          ],
          "outputs": ["r"]
        }
        """#

    private func hash(_ json: String) throws -> String { try graph(json).canonicalHash }

    func testIgnoresNamesOrderMetadataAndWhitespace() throws {
        let reference = try hash(base)
        let renamed = #"""
            { "name": "other", "metadata": { "author": "someone" },
              "parameters": [{ "name": "a", "dtype": "f32", "shape": [4], "sample": "ieee" },
                             { "name": "b", "dtype": "f32", "shape": [4], "aliases": ["bee"] }],
              "nodes": [
                { "name": "total", "op": "reduce", "operands": ["diff", "zero"], "dimensions": [0], "reducer": "add" },
                { "name": "diff", "op": "subtract", "operands": ["prod", "b"], "metadata": { "op_name": "jit(f)/sub" } },
                { "name": "zero", "op": "constant", "dtype": "f32", "value": "0x0p+0" },
                { "name": "prod", "op": "multiply", "operands": ["a", "twos"] },
                { "name": "twos", "op": "broadcast", "operands": ["k"], "dimensions": [], "shape": [4] },
                { "name": "k", "op": "constant", "dtype": "f32", "value": "0x1p+1" },
                { "name": "unused", "op": "exp", "operands": ["a"] }
              ],
              "outputs": [{ "name": "result", "node": "total" }] }
            """#
        XCTAssertEqual(try hash(renamed), reference)
        let squeezed = base.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        XCTAssertEqual(try hash(squeezed), reference)
    }

    func testChangesWithConstantsOperandOrderAndTypes() throws {
        let reference = try hash(base)
        XCTAssertNotEqual(try hash(base.replacingOccurrences(of: #""value": 2 }"#, with: #""value": 3 }"#)), reference)
        XCTAssertNotEqual(
            try hash(base.replacingOccurrences(of: #""value": 0 }"#, with: #""value": "-0" }"#)), reference,
            "-0 and +0 are different constants")
        XCTAssertNotEqual(try hash(base.replacingOccurrences(of: #"["p", "y"]"#, with: #"["y", "p"]"#)), reference)
        XCTAssertNotEqual(try hash(base.replacingOccurrences(of: #"["x", "tb"]"#, with: #"["tb", "x"]"#)), reference)
        XCTAssertNotEqual(
            try hash(base.replacingOccurrences(of: #""reducer": "add""#, with: #""reducer": "maximum""#)), reference)
        XCTAssertNotEqual(try hash(base.replacingOccurrences(of: "f32", with: "f64")), reference)
    }

    func testFileHashChangesWithWhitespace() throws {
        let a = try parsedGraph(base)
        let b = try parsedGraph(base + "\n")
        XCTAssertEqual(a.graph.canonicalHash, b.graph.canonicalHash)
        XCTAssertNotEqual(a.fileSHA256, b.fileSHA256)
        XCTAssertEqual(a.fileSHA256, fileSHA256(Data(base.utf8)))
    }
}
