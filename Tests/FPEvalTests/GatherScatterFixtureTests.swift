import FPEval
import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest
import _TestSupport

/// `gather` and `scatter` against XLA CPU, case by case (`Fixtures/ops/`,
/// made by its generate.py with JAX 0.10.2): every dimension-number layout,
/// clamped gather starts, skipped out-of-bounds scatter windows, duplicate
/// scatter indices applied in XLA's order, every combiner, f32/bf16/f64/s32.
final class GatherScatterFixtureTests: XCTestCase {
    struct Case {
        let name: String
        let graph: Graph
        let inputs: [Tensor.Elements]
        let expected: [Tensor]
    }

    func cases() throws -> [Case] {
        let root = fixtureURL("Fixtures/ops")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/module.hlo.txt").path)
        }
        return try names.map { name in
            let dir = root.appendingPathComponent(name)
            let graph = try GraphFile.read(contentsOf: dir.appendingPathComponent("module.hlo.txt")).graph
            let inputs = try ValuesJSON.read(contentsOf: dir.appendingPathComponent("inputs.json"))
            let outputs = try ValuesJSON.read(contentsOf: dir.appendingPathComponent("outputs.json"))
            return Case(
                name: name, graph: graph,
                inputs: try ValuesJSON.bind(inputs, to: graph.parameters).map(\.elements),
                expected: outputs.map(\.value))
        }
    }

    /// Same bits, except that every NaN equals every NaN.
    func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    func testTheDeclaredEvaluatorMatchesXLACPUBitForBit() throws {
        let all = try cases()
        XCTAssertGreaterThanOrEqual(all.count, 40)
        var gathers = 0
        var scatters = 0
        for c in all {
            let operations = c.graph.computations.values.flatMap { $0.nodes.map(\.operation) }
            if operations.contains(where: { if case .gather = $0 { true } else { false } }) { gathers += 1 }
            if operations.contains(where: { if case .scatter = $0 { true } else { false } }) { scatters += 1 }
            let interpreter = Interpreter(graph: c.graph, domain: IEEEDomain(mode: .declared, subnormals: .flush))
            try interpreter.run(c.inputs)
            let ours = interpreter.outputValues()
            XCTAssertEqual(ours.count, c.expected.count, c.name)
            // The cross-entropy gradient also runs exp and log, whose f32 kernels differ from XLA's
            // by an ulp or so; every other case is data movement and +, ×, max, min, which must agree exactly.
            let tolerance = c.name == "grad_xent" ? 4.0 : 0
            for (k, (mine, want)) in zip(ours, c.expected).enumerated() {
                switch (mine, want.elements) {
                case (.floats(let x), .floats(let y)):
                    XCTAssertEqual(x.count, y.count, c.name)
                    let format = FloatFormat(dtype: want.dtype)
                    for (e, (a, b)) in zip(x, y).enumerated() where !same(a, b) {
                        let d = format.ulpDistance(a, b)
                        XCTAssertLessThanOrEqual(d, tolerance, "\(c.name) output \(k)[\(e)]: ours \(a), XLA \(b)")
                    }
                case (.integers(let x), .integers(let y)):
                    XCTAssertEqual(x, y, "\(c.name) output \(k)")
                default:
                    XCTFail("\(c.name) output \(k): float and integer disagree")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(gathers, 20)
        XCTAssertGreaterThanOrEqual(scatters, 15)
    }

    /// Gather moves data and max/min/set select it: the MPFR truth rounded to
    /// the dtype is XLA's result exactly. Sums, products and differences of
    /// duplicates are where the truth and the declared result part.
    func testTheMPFRTruthOfSelectionsIsExact() throws {
        var checked = 0
        for c in try cases() where !roundsValues(c.graph) {
            checked += 1
            let interpreter = Interpreter(graph: c.graph, domain: MPFRDomain(precision: 256))
            try interpreter.run(c.inputs)
            for (k, want) in c.expected.enumerated() {
                guard case .floats(let y) = want.elements else { continue }
                let format = FloatFormat(dtype: want.dtype)
                for (e, b) in y.enumerated() {
                    let a = interpreter.output(k, e, roundedTo: format)
                    XCTAssertTrue(same(a, b), "\(c.name) output \(k)[\(e)]: truth \(a), XLA \(b)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 20)
    }

    /// Whether some node of the graph computes a float value that can round
    /// (anything but moving, comparing and selecting values, and integer work).
    func roundsValues(_ graph: Graph) -> Bool {
        graph.computations.values.contains { computation in
            computation.nodes.contains { node in
                guard node.type.arrayType?.dtype.isFloatingPoint ?? false else { return false }
                switch node.operation {
                case .unary(let op): return ![.copy, .neg, .abs, .sign].contains(op)
                case .binary(let op): return ![.maximum, .minimum].contains(op)
                case .reduce, .dot, .reduceWindow, .convert, .reducePrecision: return true
                default: return false
                }
            }
        }
    }

    /// f32 `0.5 + 1e8 + 1 - 1e8 + 0.1` in XLA's order is 0.1; the truth keeps the 1.5.
    func testTheTruthOfDuplicateScatterAddsIsTheExactSum() throws {
        let c = try XCTUnwrap(try cases().first { $0.name == "scatter_add_duplicates" })
        let truth = Interpreter(graph: c.graph, domain: MPFRDomain(precision: 256))
        try truth.run(c.inputs)
        guard case .floats(let x) = c.inputs[0], case .floats(let u) = c.inputs[2],
            case .integers(let idx) = c.inputs[1]
        else { return XCTFail("unexpected input kinds") }
        for element in x.indices {
            // The exact sum of small dyadic rationals: Double holds it when the terms are few and close in scale;
            // compare in Double only where the running sum stays exact (checked with the error-free TwoSum).
            var sum = x[element]
            var exact = true
            for (j, target) in idx.enumerated() where Int(target) == element {
                let s = sum + u[j]
                let bp = s - sum
                let error = (sum - (s - bp)) + (u[j] - bp)
                if error != 0 { exact = false }
                sum = s
            }
            guard exact else { continue }
            XCTAssertEqual(truth.outputDouble(0, element), sum, "element \(element)")
        }
    }
}
