import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// A batch norm's variance parameter defaults to positive values.
final class DefaultInputsBatchNormTests: XCTestCase {
    func testTheVarianceOfABatchNormIsSampledPositive() throws {
        let graph = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4, 3]},
                            {"name": "scale", "dtype": "f32", "shape": [3]},
                            {"name": "var", "dtype": "f32", "shape": [3]}],
             "nodes": [
               {"name": "v", "op": "copy", "operands": ["var"]},
               {"name": "y", "op": "batch-norm-inference", "operands": ["x", "scale", "scale", "scale", "v"],
                "epsilon": 0.001, "feature_index": 1}
             ],
             "outputs": ["y"]}
            """
        ).graph
        let defaults = DefaultInputs.infer(graph)
        XCTAssertEqual(
            defaults.map(\.distribution),
            [.normal(mean: 0, std: 1), .normal(mean: 0, std: 1), .uniform(lo: 0.5, hi: 2)])
        XCTAssertEqual(defaults[2].reason, "the variance of a batch norm")
    }
}
