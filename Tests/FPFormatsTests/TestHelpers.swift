import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// A graph document around the given parameter and node lines.
func document(parameters: [String], nodes: [String], outputs: String, extra: String = "") -> String {
    """
    {
      "format": "fpaudit.graph/v1",
      "parameters": [
        \(parameters.joined(separator: ",\n    "))
      ],
      "nodes": [
        \(nodes.joined(separator: ",\n    "))
      ],
      "outputs": \(outputs)\(extra)
    }
    """
}

extension Graph {
    /// The entry node with this name (fails the test if absent).
    func node(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> Node {
        guard let index = entry.index(of: name) else {
            XCTFail("no node '\(name)'", file: file, line: line)
            return entry.nodes[0]
        }
        return entry.nodes[index]
    }
}

/// The literal of a one-constant graph whose node `c` has the given JSON attributes.
func constant(_ attributes: String) throws -> Tensor {
    let g = try graph(#"{ "nodes": [{ "name": "c", "op": "constant", \#(attributes) }], "outputs": ["c"] }"#)
    guard case .constant(let literal) = g.node("c").operation else {
        XCTFail("not a constant")
        return Tensor(type: ArrayType(.f32, []), elements: .floats([]))
    }
    return literal
}

/// Asserts that `body` throws an error whose description is exactly `expected`.
func assertError(_ expected: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    guard let error = thrownError(body) else {
        XCTFail("expected an error: \(expected)", file: file, line: line)
        return
    }
    XCTAssertEqual("\(error)", expected, file: file, line: line)
}

/// Asserts that `body` throws a FormatError or GraphError located at `line:column`
/// whose description contains `fragment`.
func assertError(
    at position: (Int, Int), containing fragment: String, file: StaticString = #filePath,
    line: UInt = #line, _ body: () throws -> Void
) {
    guard let error = thrownError(body) else {
        XCTFail("expected an error containing '\(fragment)'", file: file, line: line)
        return
    }
    let location = (error as? FormatError)?.location ?? (error as? GraphError)?.location
    XCTAssertEqual(
        location.map { [$0.line, $0.column] }, [position.0, position.1], "\(error)", file: file, line: line)
    XCTAssertTrue("\(error)".contains(fragment), "'\(error)' does not contain '\(fragment)'", file: file, line: line)
}
