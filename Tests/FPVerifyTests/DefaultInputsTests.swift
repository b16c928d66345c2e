import FPEval
import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// fpaudit's default distributions for parameters nothing else sets.
final class DefaultInputsTests: XCTestCase {
    /// `one_hot(labels, 10)` summed over classes: 1 per row for a valid label, 0 otherwise.
    let oneHot = """
        {"parameters": [{"name": "labels", "dtype": "s32", "shape": [64]},
                        {"name": "x", "dtype": "f32", "shape": [64]}],
         "nodes": [
           {"name": "classes", "op": "iota", "dtype": "s32", "shape": [64, 10], "dimension": 1},
           {"name": "lb", "op": "broadcast", "operands": ["labels"], "dimensions": [0], "shape": [64, 10]},
           {"name": "hit", "op": "compare", "operands": ["lb", "classes"], "direction": "EQ"},
           {"name": "onehot", "op": "convert", "operands": ["hit"], "dtype": "f32"},
           {"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
           {"name": "rows", "op": "reduce", "operands": ["onehot", "zero"], "dimensions": [1], "reducer": "add"},
           {"name": "y", "op": "multiply", "operands": ["rows", "x"]}
         ],
         "outputs": ["rows", "y"]}
        """

    func testLabelsComparedWithAnIotaStayInRange() throws {
        let graph = try subject(oneHot).graph
        let defaults = DefaultInputs.infer(graph)
        XCTAssertEqual(defaults.map(\.distribution), [.integers(lo: 0, hi: 9), .normal(mean: 0, std: 1)])
        XCTAssertEqual(defaults[0].reason, "compared with an iota of 10")
        XCTAssertNil(defaults[1].reason)
        // Every sampled label is valid, so every one_hot row has exactly one 1.
        let sampler = try InputSampler(graph: graph, seed: 3, defaults: [:], overrides: [:])
        XCTAssertEqual(sampler.defaulted.map(\.parameter), ["labels", "x"])
        let run = Interpreter(graph: graph, domain: IEEEDomain(mode: .declared))
        var seen = Set<Int64>()
        for s in 0..<50 {
            let inputs = sampler.inputs(forSample: s)
            guard case .integers(let labels) = inputs[0] else { return XCTFail("labels are integers") }
            seen.formUnion(labels)
            try run.run(inputs)
            guard case .floats(let rows) = run.outputValues()[0] else { return XCTFail("rows are floats") }
            XCTAssertEqual(Set(rows), [1], "sample \(s)")
        }
        XCTAssertEqual(seen, Set(0...9), "every class is drawn")
    }

    func testOverridesAndGraphDefaultsAreNotReportedAsDefaults() throws {
        let graph = try subject(oneHot).graph
        let sampler = try InputSampler(
            graph: graph, seed: 1, defaults: ["x": .uniform(lo: 1, hi: 2)],
            overrides: ["#0": .integers(lo: 0, hi: 3)])
        XCTAssertEqual(sampler.defaulted, [])
        XCTAssertEqual(sampler.distributions, [.integers(lo: 0, hi: 3), .uniform(lo: 1, hi: 2)])
    }

    func testStartIndicesAndUnboundedIntegers() throws {
        let graph = try subject(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [16]},
                            {"name": "start", "dtype": "s32", "shape": []},
                            {"name": "count", "dtype": "u8", "shape": []},
                            {"name": "flag", "dtype": "pred", "shape": []}],
             "nodes": [{"name": "window", "op": "dynamic-slice", "operands": ["x", "start"], "sizes": [4]},
                       {"name": "c", "op": "convert", "operands": ["count"], "dtype": "f32"},
                       {"name": "f", "op": "convert", "operands": ["flag"], "dtype": "f32"},
                       {"name": "cf", "op": "add", "operands": ["c", "f"]},
                       {"name": "y", "op": "multiply", "operands": ["window", "cf"]}],
             "outputs": ["y"]}
            """
        ).graph
        let defaults = DefaultInputs.infer(graph)
        XCTAssertEqual(
            defaults.map(\.distribution),
            [.normal(mean: 0, std: 1), .integers(lo: 0, hi: 12), .integers(lo: 0, hi: 15), .integers(lo: 0, hi: 1)])
        XCTAssertEqual(defaults[1].reason, "a start index of a dynamic-slice of f32[16]")
        XCTAssertEqual(defaults[2].reason, "no bound found in the graph")
    }

    func testReportsListTheDefaultedParameters() async throws {
        var config = VerificationConfig(samples: 8)
        config.inputs = ["x": .uniform(lo: 1, hi: 2)]
        let result = try await Verifier(original: subject(oneHot), rewritten: subject(oneHot), config: config).run()
        XCTAssertEqual(result.defaultedInputs.map(\.parameter), ["labels"])
        XCTAssertEqual(result.distributions.map(\.distribution), ["integers(0, 9)", "uniform(1, 2)"])
    }
}

extension DefaultInputsTests {
    /// After XLA fuses the comparison, the bound is found inside the fusion.
    func testBoundsAreFoundInsideCalledComputations() throws {
        let graph = try subject(
            """
            {"parameters": [{"name": "labels", "dtype": "s32", "shape": [8]}],
             "computations": [
               {"name": "fused", "parameters": [{"name": "l", "dtype": "s32", "shape": [8]}],
                "nodes": [
                  {"name": "classes", "op": "iota", "dtype": "s32", "shape": [8, 5], "dimension": 1},
                  {"name": "lb", "op": "broadcast", "operands": ["l"], "dimensions": [0], "shape": [8, 5]},
                  {"name": "hit", "op": "compare", "operands": ["lb", "classes"], "direction": "EQ"},
                  {"name": "f", "op": "convert", "operands": ["hit"], "dtype": "f32"}],
                "root": "f"}],
             "nodes": [{"name": "onehot", "op": "call", "operands": ["labels"], "computation": "fused"}],
             "outputs": ["onehot"]}
            """
        ).graph
        XCTAssertEqual(DefaultInputs.infer(graph).map(\.distribution), [.integers(lo: 0, hi: 4)])
    }
}
