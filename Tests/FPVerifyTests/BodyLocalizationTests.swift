import FPEval
import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// The nodes of called computations (loop bodies, fusions, conditional
/// branches, general reducers) are localised at each run of them, and report
/// the run where they lose the most.
final class BodyLocalizationTests: XCTestCase {
    /// The local errors of a graph in f32 (declared precision) at `inputs`,
    /// against a 200-bit MPFR truth.
    func localErrors(_ json: String, _ inputs: [Tensor.Elements]) throws -> [NodeError] {
        let graph = try subject(json).graph
        let truth = Interpreter(graph: graph, domain: MPFRDomain(precision: 200))
        try truth.run(inputs)
        return try Localizer(graph: graph, exec: .declared, order: .sequential, subnormals: .keep)
            .localize(inputs, truth: truth)
    }

    func node(_ qualifiedName: String, _ errors: [NodeError]) throws -> NodeError {
        try XCTUnwrap(errors.first { $0.qualifiedName == qualifiedName }, "\(errors.map(\.qualifiedName))")
    }

    /// `p = s·s; d = p − 1` on a scalar: cancels when s is near 1.
    let squareMinusOne = """
        "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
        "nodes": [{"name": "p", "op": "multiply", "operands": ["s", "s"]},
                  {"name": "one", "op": "constant", "dtype": "f32", "value": "0x1p+0"},
                  {"name": "d", "op": "subtract", "operands": ["p", "one"]}], "root": "d"
        """

    /// `y = while(x)`: the condition's nodes (on its parameter `s`, root `c`)
    /// as given, the body ``squareMinusOne``.
    func loop(condition: String) -> String {
        """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "y", "op": "while", "operands": ["x"], "condition": "cond", "body": "body"}],
         "outputs": ["y"],
         "computations": [
           {"name": "cond", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
            "nodes": \(condition), "root": "c"},
           {"name": "body", \(squareMinusOne)}]}
        """
    }

    /// x ← x² − 1 while x > 0.5, from x = √2.000123: the second run (run 1)
    /// squares 1.000123 and cancels about 12 bits; the first cancels one.
    func testALoopBodyIsLocalisedAtTheIterationWhereItLosesTheMost() throws {
        let json = loop(
            condition: """
                [{"name": "half", "op": "constant", "dtype": "f32", "value": "0x1p-1"},
                 {"name": "c", "op": "compare", "operands": ["s", "half"], "direction": "GT"}]
                """)
        let errors = try localErrors(json, [.floats([Double(Float(2.000_123.squareRoot()))])])
        let d = try node("body/d", errors)
        XCTAssertEqual(d.computation, "body")
        XCTAssertEqual(d.invocation, 1, "\(d)")
        XCTAssertGreaterThan(d.bits, 4, "\(d)")
        guard case .cancellation? = d.cause else { return XCTFail("\(d)") }
        XCTAssertEqual(d.invocations, 2)
        XCTAssertEqual(d.displayName, "d in body, run 1 of 2")
        // The loop as a whole is still measured in the entry.
        XCTAssertNotNil(errors.first { $0.qualifiedName == "y" })
        // Worst first over the entry's and the bodies' nodes together.
        XCTAssertEqual(errors.map(\.bits), errors.map(\.bits).sorted(by: >))
    }

    /// A fusion of more than one op is measured inside: the subtract that
    /// cancels is named, not only the fusion.
    func testAFusionIsLocalisedInside() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}, {"name": "y", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "f", "op": "call", "operands": ["x", "y"], "computation": "fused"}],
             "outputs": ["f"],
             "computations": [{"name": "fused",
               "parameters": [{"name": "a", "dtype": "f32", "shape": []}, {"name": "b", "dtype": "f32", "shape": []}],
               "nodes": [{"name": "p", "op": "multiply", "operands": ["a", "b"]},
                         {"name": "one", "op": "constant", "dtype": "f32", "value": "0x1p+0"},
                         {"name": "d", "op": "subtract", "operands": ["p", "one"]},
                         {"name": "t", "op": "multiply", "operands": ["d", "b"]}], "root": "t"}]}
            """
        let errors = try localErrors(
            json, [.floats([Double(Float(1.000_123))]), .floats([Double(Float(0.999_877_1))])])
        let d = try node("fused/d", errors)
        XCTAssertEqual(d.invocation, 0)
        guard case .cancellation? = d.cause else { return XCTFail("\(d)") }
        XCTAssertEqual(try node("f", errors).cause, .calledComputation(name: "fused", operations: 4))
    }

    /// A decimal constant inside a fusion is followed inside it: the
    /// multiply by bf16's rounding of sqrt(2/pi) names the constant.
    func testARoundedConstantInsideAFusionIsNamed() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "bf16", "shape": []}],
             "nodes": [{"name": "f", "op": "call", "operands": ["x"], "computation": "fused"}],
             "outputs": ["f"],
             "computations": [{"name": "fused", "parameters": [{"name": "a", "dtype": "bf16", "shape": []}],
               "nodes": [{"name": "k", "op": "constant", "dtype": "bf16", "value": 0.7978845608028654},
                         {"name": "m", "op": "multiply", "operands": ["a", "k"]},
                         {"name": "n", "op": "neg", "operands": ["m"]}], "root": "n"}]}
            """
        // At x = 1.03125 the literal moves the product by one bf16 ulp.
        let errors = Localizer.settled(try localErrors(json, [.floats([1.03125])]))
        let m = try node("fused/m", errors)
        guard case .constantRounding(let constant, _, let dtype, _)? = m.cause else { return XCTFail("\(m)") }
        XCTAssertEqual(constant, "k")
        XCTAssertEqual(dtype, "bf16")
    }

    /// Only the branch taken runs, and only its nodes are measured.
    func testAConditionalsTakenBranchIsLocalised() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
             "nodes": [{"name": "zero", "op": "constant", "dtype": "f32", "value": "0x0p+0"},
                       {"name": "c", "op": "compare", "operands": ["x", "zero"], "direction": "GT"},
                       {"name": "y", "op": "conditional", "operands": ["c", "x", "x"], "branches": ["near", "far"]}],
             "outputs": ["y"],
             "computations": [{"name": "near", \(squareMinusOne)}, {"name": "far", \(squareMinusOne)}]}
            """
        let errors = try localErrors(json, [.floats([Double(Float(1.000_123))])])
        guard case .cancellation? = try node("near/d", errors).cause else { return XCTFail("\(errors)") }
        XCTAssertNil(errors.first { $0.computation == "far" }, "the branch not taken never ran")
        XCTAssertEqual(try node("y", errors).cause, .calledComputation(name: "near", operations: 3))
        // x < 0 takes the second branch: the conditional is named by it.
        let negative = try localErrors(json, [.floats([-Double(Float(1.000_123))])])
        guard case .cancellation? = try node("far/d", negative).cause else { return XCTFail("\(negative)") }
        XCTAssertEqual(try node("y", negative).cause, .calledComputation(name: "far", operations: 3))
    }

    /// A reducer of more than one op (a sum of squares) runs once per term;
    /// its add is measured in it. Terms 2^24, then three of 0.45: the true
    /// running sum passes half an ulp (1) of 2^24 at the last term, which the
    /// add, given the sum rounded back to 2^24, cannot see.
    func testAGeneralReducerIsLocalisedPerTerm() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "zero", "op": "constant", "dtype": "f32", "value": "0x0p+0"},
                       {"name": "r", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0],
                        "reducer": "sumsq"}],
             "outputs": ["r"],
             "computations": [{"name": "sumsq",
               "parameters": [{"name": "acc", "dtype": "f32", "shape": []}, {"name": "v", "dtype": "f32", "shape": []}],
               "nodes": [{"name": "sq", "op": "multiply", "operands": ["v", "v"]},
                         {"name": "acc2", "op": "add", "operands": ["acc", "sq"]}], "root": "acc2"}]}
            """
        let x = [4096, 0.45.squareRoot(), 0.45.squareRoot(), 0.45.squareRoot()].map { Double(Float($0)) }
        let errors = try localErrors(json, [.floats(x)])
        let add = try node("sumsq/acc2", errors)
        XCTAssertEqual(add.computation, "sumsq")
        XCTAssertEqual(add.invocation, 3, "\(add)")
        XCTAssertGreaterThan(add.bits, 0)
    }

    /// Computations read at their caller are not measured again inside.
    func testOneOpFusionsAndReducersAreReadAtTheCaller() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "zero", "op": "constant", "dtype": "f32", "value": "0x0p+0"},
                       {"name": "r", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0], "reducer": "sum"},
                       {"name": "f", "op": "call", "operands": ["r", "r"], "computation": "one_op"},
                       {"name": "g", "op": "call", "operands": ["f"], "computation": "two_ops"}],
             "outputs": ["g"],
             "computations": [
               {"name": "sum", "parameters": [{"name": "a", "dtype": "f32", "shape": []},
                                              {"name": "b", "dtype": "f32", "shape": []}],
                "nodes": [{"name": "s", "op": "add", "operands": ["a", "b"]}], "root": "s"},
               {"name": "one_op", "parameters": [{"name": "a", "dtype": "f32", "shape": []},
                                                 {"name": "b", "dtype": "f32", "shape": []}],
                "nodes": [{"name": "m", "op": "multiply", "operands": ["a", "b"]}], "root": "m"},
               {"name": "two_ops", "parameters": [{"name": "a", "dtype": "f32", "shape": []}],
                "nodes": [{"name": "e", "op": "exp", "operands": ["a"]},
                          {"name": "n", "op": "neg", "operands": ["e"]}], "root": "n"}]}
            """
        XCTAssertEqual(Localizer.watchedComputations(try subject(json).graph), ["two_ops"])
    }

    /// Every run up to 256, then 128 per doubling.
    func testInvocationsMeasuredGrowLogarithmically() {
        XCTAssertTrue((0..<256).allSatisfy(Localizer.invocationMeasured))
        XCTAssertEqual((256..<512).filter(Localizer.invocationMeasured).count, 128)
        XCTAssertEqual((512..<1024).filter(Localizer.invocationMeasured).count, 128)
        XCTAssertFalse(Localizer.invocationMeasured(257))
        let million = (0..<1_000_000).filter(Localizer.invocationMeasured).count
        XCTAssertLessThan(million, 2_000)
        XCTAssertGreaterThan(million, 1_500)
    }

    /// A verification reports a body's nodes, with the same figures from the
    /// tiered truth as from MPFR alone, and names their computation in JSON.
    func testVerificationReportsBodyNodesTheSameUnderEveryTruth() async throws {
        // x ← x² − 1 while 0.5 < x < 2.
        let json = loop(
            condition: """
                [{"name": "half", "op": "constant", "dtype": "f32", "value": "0x1p-1"},
                 {"name": "two", "op": "constant", "dtype": "f32", "value": "0x1p+1"},
                 {"name": "above", "op": "compare", "operands": ["s", "half"], "direction": "GT"},
                 {"name": "below", "op": "compare", "operands": ["s", "two"], "direction": "LT"},
                 {"name": "c", "op": "and", "operands": ["above", "below"]}]
                """)
        func hotspots(_ truth: TruthMode) async throws -> Hotspots {
            var config = VerificationConfig(samples: 128)
            config.truth = truth
            let result = try await Verifier(
                original: try subject(json, path: "o.json"), rewritten: try subject(json, path: "r.json"),
                config: config
            ).run()
            return try XCTUnwrap(result.hotspots)
        }
        let tiered = try await hotspots(.tiered)
        let body = try XCTUnwrap(tiered.rewritten.first { $0.qualifiedName == "body/d" }, "\(tiered.rewritten)")
        XCTAssertGreaterThan(body.bits, 0)
        let mpfr = try await hotspots(.mpfr)
        XCTAssertEqual(tiered, mpfr)
        let encoded = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        XCTAssertTrue(encoded.contains(#""computation":"body""#), encoded)
        XCTAssertTrue(encoded.contains(#""invocation":"#), encoded)
    }
}
