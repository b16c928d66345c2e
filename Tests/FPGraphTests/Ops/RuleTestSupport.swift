import FPGraph
import XCTest

/// Hand-made graphs for the type-rule tests of `Ops/`: one entry computation
/// `main` whose output is its last node, and the errors the builder throws at ``here``.
struct RuleTestGraphs {
    /// The position the tests give the node under test.
    let here = SourceLocation(file: "g.json", line: 9, column: 5)

    /// A parameter node of the given dtype and shape.
    func parameter(_ name: String, _ index: Int, _ dtype: DType = .f32, _ shape: [Int] = [4]) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: dtype, shape: shape)
    }

    /// A computation of two f32 scalars `a` and `b` whose root is `root(a, b)`.
    func scalarComputation(_ name: String, _ root: FPGraph.Operation) -> ComputationSpec {
        ComputationSpec(
            name: name,
            nodes: [
                parameter("a", 0, .f32, []), parameter("b", 1, .f32, []),
                NodeSpec(name: "r", operation: root, operands: ["a", "b"]),
            ])
    }

    /// The graph of `nodes`; its output is the last node, or (`rootOutputs`) the root's tuple elements.
    func build(_ nodes: [NodeSpec], extra: [ComputationSpec] = [], rootOutputs: Bool = false) throws -> Graph {
        let spec = GraphSpec(
            computations: [ComputationSpec(name: "main", nodes: nodes)] + extra, entry: "main",
            outputs: rootOutputs ? nil : [OutputSpec(name: "out", node: nodes.last!.name)], source: "g.json")
        return try GraphBuilder().build(spec)
    }

    /// The message of the located error `body` throws at ``here``.
    func locatedMessage(_ body: () throws -> Graph, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("accepted", file: file, line: line)
            return ""
        } catch let error as GraphError {
            XCTAssertEqual(error.location, here, file: file, line: line)
            return "\(error)"
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return ""
        }
    }
}
