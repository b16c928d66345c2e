import FPEval
import FPGraph
import Foundation
import XCTest
import _TestSupport

@testable import FPVerify

/// Element sampling measures a box of each output by evaluating only what the
/// box depends on (`Graph.sliced(outputs:)`); the values must be the whole
/// graph's at those elements, bit for bit, in IEEE arithmetic and as truths.
final class ElementSamplingTests: XCTestCase {
    /// Evaluates `subject` whole and sliced to boxes of several sizes on a few
    /// samples, and compares every measured element.
    /// Returns the number of elements compared.
    @discardableResult
    func checkSlicing(_ subject: VerificationSubject, truth: TruthMode = .tiered, samples: Int = 3) throws -> Int {
        var compared = 0
        let graph = subject.graph
        var config = VerificationConfig(samples: samples)
        config.truth = truth
        let sampler = try InputSampler(graph: graph, seed: 11, defaults: subject.defaultInputs, overrides: [:])
        let evaluator = GraphEvaluator(plan: SharedPlan(graph: graph), config: config)
        let label = subject.identity.path
        for s in 0..<samples {
            let inputs = sampler.inputs(forSample: s)
            let whole = try evaluator.evaluate(inputs)
            for target in [1, 5, 40] {
                let boxes = ElementSampling.boxes(for: graph.outputs, target: target, seed: 5, sample: s)
                let sliced = try XCTUnwrap(graph.sliced(outputs: boxes), label)
                let part = try evaluator.evaluate(
                    sliced, inputs: sliced.inputs(from: inputs, parameters: graph.parameters))
                let elements = try XCTUnwrap(part.elements, label)
                XCTAssertEqual(elements.map(\.count), boxes.map(\.count), label)
                for k in graph.outputs.indices {
                    for (e, flat) in elements[k].enumerated() {
                        compared += 1
                        let site = "\(label) sample \(s) output \(k) element \(flat) (box of \(target))"
                        XCTAssertTrue(same(part.ieee[k][e], whole.ieee[k][flat]), "IEEE at \(site)")
                        guard whole.truthIsUsable && part.truthIsUsable else { continue }
                        XCTAssertTrue(same(part.truth[k][e], whole.truth[k][flat]), "truth at \(site)")
                        XCTAssertTrue(
                            same(part.dtypeTruth[k][e], whole.dtypeTruth[k][flat]), "dtype truth at \(site)")
                    }
                }
            }
        }
        return compared
    }

    func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    func fixtureFiles(_ directory: String, names: [String]) throws -> [String] {
        let root = fixtureURL(directory)
        return try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().flatMap { entry in
            names.map { root.appendingPathComponent(entry).appendingPathComponent($0).path }
                .filter { FileManager.default.fileExists(atPath: $0) }
        }
    }

    func testJSONFixturesSliceToTheWholeGraphsValues() throws {
        let paths = try fixtureFiles("json", names: ["original.json", "rewritten.json"])
        XCTAssertGreaterThan(paths.count, 20)
        var compared = 0
        for path in paths { compared += try checkSlicing(try VerificationSubject.read(path: path)) }
        XCTAssertGreaterThan(compared, 500)
    }

    func testRewriteFixturesSliceToTheWholeGraphsValues() throws {
        let paths = try fixtureFiles(
            "rewrites", names: ["original.hlo.txt", "rewritten.hlo.txt", "original.json", "rewritten.json"])
        XCTAssertGreaterThan(paths.count, 60)
        for path in paths { try checkSlicing(try VerificationSubject.read(path: path), samples: 2) }
    }

    /// The first and last snapshot of every XLA pipeline but the big layer:
    /// attention, convolutions, dropout, sort and top-k, scans and conditionals.
    func testXLAProgramsSliceToTheWholeGraphsValues() throws {
        let root = fixtureURL("xla")
        for program in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        where program != "layer_768" {
            let dump = root.appendingPathComponent(program).appendingPathComponent("dump")
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dump.path).sorted(),
                let first = files.first, let last = files.last
            else { continue }
            for file in [first, last] {
                try checkSlicing(
                    try VerificationSubject.read(path: dump.appendingPathComponent(file).path), samples: 2)
            }
        }
    }

    func testMPFRTruthSlicesToTheSameValues() throws {
        try checkSlicing(
            try VerificationSubject.read(path: fixtureURL("json/softmax-naive/original.json").path), truth: .mpfr)
    }

    /// A `dot` output element needs one row and one column: a 4096×4096
    /// product measured on 16 elements keeps 4×4096 rows and columns.
    func testADotSlicesToRowsAndColumns() throws {
        let big = try graph(
            """
            {"parameters": [{"name": "a", "dtype": "f32", "shape": [4096, 4096]},
                            {"name": "b", "dtype": "f32", "shape": [4096, 4096]}],
             "nodes": [{"name": "c", "op": "dot", "operands": ["a", "b"],
                        "lhs_contracting": [1], "rhs_contracting": [0]}],
             "outputs": ["c"]}
            """)
        let box = ElementSampling.box(for: big.outputs[0].type, target: 16, seed: 1, output: 0, sample: 0)
        XCTAssertEqual(box.shape, [4, 4])
        let sliced = try XCTUnwrap(big.sliced(outputs: [box]))
        XCTAssertEqual(sliced.parameterBoxes.map(\.shape), [[4, 4096], [4096, 4]])
        XCTAssertEqual(sliced.graph.outputs[0].type.dimensions, [4, 4])
        XCTAssertEqual(sliced.graph.evaluationWork.elementOps, 16 * 4096)
    }

    /// Data movement becomes a gather of exactly the elements moved.
    func testReshapeAndSliceMoveOnlyTheNeededElements() throws {
        let g = try graph(
            """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [64, 64]}],
             "nodes": [{"name": "r", "op": "reshape", "operands": ["x"], "shape": [4096]},
                       {"name": "s", "op": "slice", "operands": ["r"], "start": [100], "limit": [4000], "stride": [3]},
                       {"name": "e", "op": "sqrt", "operands": ["s"]}],
             "outputs": ["e"]}
            """)
        let box = ElementBox(indices: [[0, 7, 1299]])
        let sliced = try XCTUnwrap(g.sliced(outputs: [box]))
        // result i reads r[100 + 3i], which is x[(100 + 3i) / 64][(100 + 3i) % 64]
        XCTAssertEqual(sliced.parameterBoxes[0].indices, [[1, 62], [29, 36, 57]])
        let x = (0..<4096).map { Double($0) }
        let inputs = sliced.inputs(from: [.floats(x)], parameters: g.parameters)
        var interpreter = Interpreter(
            graph: sliced.graph, plan: GraphPlan(graph: sliced.graph), domain: IEEEDomain(mode: .declared))
        try interpreter.run(inputs)
        let expected = [100, 121, 3997].map { Float(Double($0).squareRoot()) }
        XCTAssertEqual((0..<3).map { Float(interpreter.outputDouble(0, $0)) }, expected)
    }

    func testBoxesAreDeterministicDistinctAndSized() {
        let type = ArrayType(.f32, [128, 768])
        XCTAssertEqual(ElementSampling.counts([128, 768], target: 256), [16, 16])
        XCTAssertEqual(ElementSampling.counts([8, 3], target: 256), [8, 3], "small outputs are whole")
        XCTAssertEqual(ElementSampling.counts([0, 1000], target: 64), [0, 1000], "empty outputs are whole")
        XCTAssertEqual(ElementSampling.counts([], target: 1), [], "a scalar is whole")
        XCTAssertEqual(ElementSampling.counts([2, 1000], target: 64), [2, 32])
        XCTAssertEqual(ElementSampling.counts([1024, 1024], target: 8), [2, 4])
        XCTAssertEqual(ElementSampling.counts([8, 128, 768], target: 256), [6, 6, 7])
        let a = ElementSampling.box(for: type, target: 256, seed: 9, output: 0, sample: 3)
        XCTAssertEqual(a, ElementSampling.box(for: type, target: 256, seed: 9, output: 0, sample: 3))
        XCTAssertNotEqual(a, ElementSampling.box(for: type, target: 256, seed: 9, output: 0, sample: 4))
        for (list, size) in zip(a.indices, type.dimensions) {
            XCTAssertEqual(list, Array(Set(list)).sorted())
            XCTAssertTrue(list.allSatisfy { (0..<size).contains($0) })
        }
    }

    func testAutoSamplesOnlyBigGraphs() {
        let small = EvaluationWork(elementOps: 1e6, hasLoops: false)
        let big = EvaluationWork(elementOps: 1e9, hasLoops: false)
        XCTAssertNil(ElementChoice.auto.resolve(work: [small, small]))
        XCTAssertEqual(ElementChoice.auto.resolve(work: [small, big]), ElementSampling.defaultElements)
        XCTAssertNil(ElementChoice.all.resolve(work: [big]))
        XCTAssertEqual(ElementChoice.count(7).resolve(work: [small]), 7)
        XCTAssertNil(ElementChoice("0"))
        XCTAssertNil(ElementChoice("many"))
    }

    /// `x / y` against `x * (1 / y)` on f32[rows, columns].
    func divisionPair(rows: Int, columns: Int) throws -> (VerificationSubject, VerificationSubject) {
        let parameters = """
            "parameters": [{"name": "x", "dtype": "f32", "shape": [\(rows), \(columns)], "sample": "uniform(1,2)"},
                           {"name": "y", "dtype": "f32", "shape": [\(rows), \(columns)], "sample": "uniform(0.5,4)"}]
            """
        let a = try subject(
            """
            {\(parameters), "nodes": [{"name": "z", "op": "divide", "operands": ["x", "y"]}], "outputs": ["z"]}
            """, path: "a.json")
        let b = try subject(
            """
            {\(parameters), "nodes": [{"name": "one", "op": "constant", "dtype": "f32", "value": 1},
                       {"name": "r", "op": "divide", "operands": ["one", "y"]},
                       {"name": "z", "op": "multiply", "operands": ["x", "r"]}], "outputs": ["z"]}
            """, path: "b.json")
        return (a, b)
    }

    func testVerifierMeasuresOneBoxPerSample() async throws {
        let (a, b) = try divisionPair(rows: 64, columns: 64)
        var config = VerificationConfig(samples: 40)
        config.elements = 16
        let sampled = try await Verifier(original: a, rewritten: b, config: config).run()
        let output = sampled.outputs[0]
        XCTAssertEqual(output.elementsPerSample, 16)
        XCTAssertEqual(output.elementsDescription, "16 of 4096 elements per sample")
        XCTAssertEqual(output.comparison?.points, 16 * 40)
        let worst = try XCTUnwrap(output.worst)
        // The worst element is one of its sample's box, named by its index in the whole output.
        let box = ElementSampling.box(
            for: a.graph.outputs[0].type, target: 16, seed: 1, output: 0, sample: worst.sample)
        XCTAssertTrue(box.flatIndices(in: [64, 64]).contains(worst.element))
        XCTAssertNotNil(sampled.hotspots, "the worst sample's cut-down graphs are localised")

        // A count at least the output's size measures everything, as without sampling.
        config.elements = 4096
        let everything = try await Verifier(original: a, rewritten: b, config: config).run()
        config.elements = nil
        let unsampled = try await Verifier(original: a, rewritten: b, config: config).run()
        XCTAssertNil(everything.outputs[0].elementsPerSample)
        XCTAssertEqual(everything.outputs, unsampled.outputs)
        XCTAssertEqual(unsampled.outputs[0].comparison?.points, 4096 * 40)
    }

    /// A parameter's elements are the same whether drawn whole or for a box,
    /// for small parameters (one generator) and big ones (one per element).
    func testDrawnBoxesAreTheWholeInputsElements() throws {
        for (rows, columns) in [(16, 16), (300, 300)] {
            let (a, _) = try divisionPair(rows: rows, columns: columns)
            let sampler = try InputSampler(graph: a.graph, seed: 4, defaults: a.defaultInputs, overrides: [:])
            let box = ElementBox(indices: [[0, 5, rows - 1], [2, columns / 2]])
            for sample in [0, 7] {
                let whole = sampler.inputs(forSample: sample)
                for p in 0..<2 {
                    XCTAssertEqual(
                        sampler.value(forSample: sample, parameter: p, box: box),
                        box.gather(whole[p], dimensions: [rows, columns]), "\(rows)x\(columns) parameter \(p)")
                }
                XCTAssertNotEqual(whole[0], sampler.inputs(forSample: sample + 1)[0])
            }
        }
    }

    /// Above 2^20 input elements a worst case keeps its sample index, not the
    /// inputs (the seed reproduces them); the hotspots are still computed.
    func testHugeInputsAreNotCopiedIntoTheReport() async throws {
        let (a, b) = try divisionPair(rows: 1024, columns: 1024)
        var config = VerificationConfig(samples: 2)
        config.elements = 8
        let result = try await Verifier(original: a, rewritten: b, config: config).run()
        let worst = try XCTUnwrap(result.outputs[0].worst)
        XCTAssertNil(worst.inputs)
        XCTAssertNotNil(result.hotspots)
        XCTAssertEqual(result.outputs[0].comparison?.points, 2 * 8)
        XCTAssertEqual(result.outputs[0].elementsPerSample, 8)
    }
}
