import FPEval
import FPGraph
import XCTest

@testable import FPVerify

/// The localizer measures each element of a batch norm's tuple as that op's output.
final class LocalizerBatchNormTests: XCTestCase {
    func testBatchNormTrainingElementsAreLocalized() throws {
        let graph = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [6, 2]},
                            {"name": "scale", "dtype": "f32", "shape": [2]}],
             "nodes": [
               {"name": "t", "op": "batch-norm-training", "operands": ["x", "scale", "scale"],
                "epsilon": 0.001, "feature_index": 1},
               {"name": "y", "op": "get-tuple-element", "operands": ["t"], "index": 0},
               {"name": "var", "op": "get-tuple-element", "operands": ["t"], "index": 2}
             ],
             "outputs": ["y", "var"]}
            """
        ).graph
        // Feature 0 has a large mean and a small spread: E[x²] − E[x]² cancels in f32.
        let inputs: [Tensor.Elements] = [
            .floats([1000.1, 0.5, 1000.2, -1, 1000.3, 2, 999.9, 0.25, 1000.05, 3, 999.8, -2]), .floats([1, 2]),
        ]
        let truth = Interpreter(graph: graph, domain: MPFRDomain(precision: 200))
        try truth.run(inputs)
        let errors = try Localizer(graph: graph, exec: .declared, order: .sequential, subnormals: .keep)
            .localize(inputs, truth: truth)
        XCTAssertEqual(Set(errors.map(\.node)), ["y", "var"])
        XCTAssertTrue(errors.allSatisfy { $0.op == "batch-norm-training" }, "\(errors)")
        let variance = try XCTUnwrap(errors.first { $0.node == "var" })
        XCTAssertGreaterThan(variance.bits, 4, "\(errors)")
    }
}
