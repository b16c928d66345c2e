import FPGraph
import XCTest

@testable import FPVerify

/// Pairing the two graphs' parameters and outputs (`--match`).
final class InterfaceMatchTests: XCTestCase {
    /// `z = x / y` with the given parameter order and output name.
    func division(
        _ first: String = "x", _ second: String = "y", output: String = "z",
        numerator: String = "x", denominator: String = "y"
    ) -> String {
        """
        {"parameters": [{"name": "\(first)", "dtype": "f32", "shape": [8], "sample": "uniform(1,2)"},
                        {"name": "\(second)", "dtype": "f32", "shape": [8], "sample": "uniform(3,4)"}],
         "nodes": [{"name": "\(output)", "op": "divide", "operands": ["\(numerator)", "\(denominator)"], "dtype": "f32"}],
         "outputs": ["\(output)"]}
        """
    }

    func testAutoMatchesByNameWhenTheNamesAgree() throws {
        let m = try InterfaceMatch.resolve(
            original: subject(division()).graph, rewritten: subject(division("y", "x")).graph,
            mode: .auto)
        XCTAssertEqual(m.parameters, .name)
        XCTAssertEqual(m.outputs, .name)
        XCTAssertEqual(m.rewrittenParameter, [1, 0], "x is the rewritten graph's second parameter")
        XCTAssertEqual(m.rewrittenInputs(["x-values", "y-values"]), ["y-values", "x-values"])
    }

    func testAutoFallsBackToPositionForOutputsWithOtherNames() throws {
        let m = try InterfaceMatch.resolve(
            original: subject(division(output: "div.1")).graph,
            rewritten: subject(division(output: "mul.1")).graph, mode: .auto)
        XCTAssertEqual(m.parameters, .name)
        XCTAssertEqual(m.outputs, .position)
        XCTAssertEqual(m.description, "parameters by name, outputs by position")
    }

    func testNameModeRefusesOtherNamesAndPositionModeIgnoresThem() throws {
        let a = try subject(division(output: "div.1")).graph
        let b = try subject(division(output: "mul.1")).graph
        XCTAssertThrowsError(try InterfaceMatch.resolve(original: a, rewritten: b, mode: .name)) { error in
            guard case VerifyError.outputMismatch(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("div.1: f32[8]") && message.contains("mul.1: f32[8]"), message)
            XCTAssertTrue(message.contains("--match position"), message)
        }
        let swapped = try subject(division("y", "x")).graph
        let m = try InterfaceMatch.resolve(original: subject(division()).graph, rewritten: swapped, mode: .position)
        XCTAssertEqual(m.rewrittenParameter, [0, 1], "position ignores names")
    }

    func testTypesMustAgreeWhicheverWayTheyArePaired() throws {
        let a = try subject(division()).graph
        let other = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f64", "shape": [8]}, {"name": "y", "dtype": "f32", "shape": [8]}],
             "nodes": [{"name": "x32", "op": "convert", "operands": ["x"], "dtype": "f32"},
                       {"name": "z", "op": "divide", "operands": ["x32", "y"]}],
             "outputs": ["z"]}
            """
        ).graph
        XCTAssertThrowsError(try InterfaceMatch.resolve(original: a, rewritten: other, mode: .auto)) { error in
            guard case VerifyError.parameterMismatch(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("'x' is f32[8] in the original and f64[8] in the rewritten"), message)
        }
        XCTAssertThrowsError(try InterfaceMatch.resolve(original: a, rewritten: other, mode: .position))
    }

    /// Reordered parameters matched by name measure exactly what the same order does.
    func testVerificationWithReorderedParametersFeedsEachItsOwnValues() async throws {
        let config = VerificationConfig(samples: 32)
        let same = try await Verifier(original: subject(division()), rewritten: subject(division()), config: config)
            .run()
        let swapped = try await Verifier(
            original: subject(division()), rewritten: subject(division("y", "x")),
            config: config
        ).run()
        XCTAssertEqual(swapped.interface?.parameters, .name)
        XCTAssertEqual(swapped.outputs, same.outputs)
        XCTAssertEqual(swapped.outputs[0].comparison?.changedPoints, 0)
        // By position the rewritten graph computes y / x: a different function entirely.
        var byPosition = config
        byPosition.match = .position
        let wrong = try await Verifier(
            original: subject(division()), rewritten: subject(division("y", "x")),
            config: byPosition
        ).run()
        XCTAssertEqual(wrong.outputs[0].comparison?.changedPoints, wrong.outputs[0].comparison?.points)
    }

    /// `--input` may name a parameter by the rewritten graph's name.
    func testInputsMayUseTheRewrittenGraphsNames() async throws {
        var config = VerificationConfig(samples: 16)
        config.match = .position
        config.inputs = ["b": .constant(2)]
        let result = try await Verifier(
            original: subject(division()), rewritten: subject(division("a", "b", numerator: "a", denominator: "b")),
            config: config
        ).run()
        XCTAssertEqual(result.distributions.map(\.distribution), ["uniform(1, 2)", "const(2)"])
    }
}
