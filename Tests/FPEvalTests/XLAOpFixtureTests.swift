import FPEval
import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest
import _TestSupport

/// Single ops against XLA CPU, case by case (`Fixtures/ops/`, made by its
/// generate.py with JAX 0.10.2): `gather` and `scatter` in every
/// dimension-number layout (clamped gather starts, skipped out-of-bounds
/// scatter windows, duplicate scatter indices applied in XLA's order, every
/// combiner), `sort` with its total-order comparators (stable, multi-operand,
/// several keys), `topk`, `reverse`, `opt-barrier`, the roundings, and the
/// inverse and hyperbolic functions as JAX lowers them; f32/bf16/f64/s32.
final class XLAOpFixtureTests: XCTestCase {
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
        // Convolutions sum in XLA CPU's own order: testConvolutionsAgainstXLACPU.
        for c in all where !hasConvolution(c.graph) {
            let operations = c.graph.computations.values.flatMap { $0.nodes.map(\.operation) }
            if operations.contains(where: { if case .gather = $0 { true } else { false } }) { gathers += 1 }
            if operations.contains(where: { if case .scatter = $0 { true } else { false } }) { scatters += 1 }
            let interpreter = Interpreter(graph: c.graph, domain: IEEEDomain(mode: .declared, subnormals: .flush))
            try interpreter.run(c.inputs)
            let ours = interpreter.outputValues()
            XCTAssertEqual(ours.count, c.expected.count, c.name)
            // exp, log, atan2, ... are libm in our evaluator and XLA's own approximations in XLA:
            // an ulp or a few apart. Data movement, selection, +, ×, ÷, √ and the roundings agree exactly.
            let tolerance = max(usesTranscendentals(c.graph) ? 4.0 : 0, Self.orderTolerance[c.name] ?? 0)
            // An unstable sort may order ties either way: only its keys (output 0) are compared.
            let compared = isUnstableSort(c.graph) ? 1 : ours.count
            for (k, (mine, want)) in zip(ours, c.expected).enumerated() where k < compared {
                switch (mine, want.elements) {
                case (.floats(let x), .floats(let y)):
                    XCTAssertEqual(x.count, y.count, c.name)
                    let format = FloatFormat(dtype: want.dtype)
                    if let relative = Self.scaleTolerance[c.name] {
                        let scale = y.map(abs).max() ?? 0
                        for (e, (a, b)) in zip(x, y).enumerated() where !same(a, b) {
                            XCTAssertLessThanOrEqual(
                                abs(a - b), relative * scale, "\(c.name) output \(k)[\(e)]: ours \(a), XLA \(b)")
                        }
                        continue
                    }
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

    /// Cases whose sums XLA CPU adds in another order than fpaudit's sequential
    /// row-major one, so only a tolerance in ulps holds: a 4-D average pool
    /// (one element 1 ulp off; XLA's sum is the column-major one there).
    static let orderTolerance: [String: Double] = ["avg_pool_same": 2]

    /// The batch norms: XLA CPU's per-feature sums run in its own vectorised
    /// order and its rsqrt is its own approximation, and both feed
    /// cancellations (x − mean, E[x²] − E[x]²): outputs agree to a small
    /// fraction of each output's largest magnitude, not to a few ulps.
    static let scaleTolerance: [String: Double] = [
        "batch_norm_inference": 1e-6, "batch_norm_training": 1e-5, "batch_norm_grad": 1e-5,
        "batch_norm_training_f64": 1e-13,
    ]

    /// Whether the graph calls a function fpaudit takes from libm (XLA CPU has its own).
    func usesTranscendentals(_ graph: Graph) -> Bool {
        let exact: Set<UnaryOp> = [
            .neg, .abs, .sign, .copy, .not, .isFinite, .floor, .ceil, .roundNearestEven,
            .roundNearestAfz, .sqrt,
        ]
        return graph.computations.values.contains { c in
            c.nodes.contains { node in
                switch node.operation {
                case .unary(let op): return !exact.contains(op)
                case .binary(let op): return [.atan2, .power, .remainder].contains(op)
                default: return false
                }
            }
        }
    }

    /// Whether some sort of the graph may order ties arbitrarily.
    func isUnstableSort(_ graph: Graph) -> Bool {
        graph.computations.values.contains { c in
            c.nodes.contains { if case .sort(_, false, _) = $0.operation { true } else { false } }
        }
    }

    func testEveryOpFamilyIsCovered() throws {
        let operations = try cases().flatMap { c in
            c.graph.computations.values.flatMap { $0.nodes.map(\.operation.opcodeName) }
        }
        for opcode in [
            "gather", "scatter", "sort", "topk", "reverse", "opt-barrier", "round-nearest-afz", "atan2", "convolution",
            "reduce-window", "select-and-scatter", "map", "mulhi", "batch-norm-inference", "batch-norm-training",
            "batch-norm-grad",
        ] {
            XCTAssertTrue(operations.contains(opcode), opcode)
        }
    }

    /// Gather, sort, topk and reverse move data, and max/min/set select it:
    /// on graphs that only do that, the MPFR truth rounded to each dtype is
    /// the declared evaluation exactly (without XLA CPU's flushing, which the
    /// truth does not model: a subnormal key is not a zero in the truth).
    /// Sums, products and differences of duplicates are where the two part.
    func testTheMPFRTruthOfSelectionsIsTheUnflushedDeclaredResult() throws {
        var checked = 0
        for c in try cases() where !roundsValues(c.graph) && !isUnstableSort(c.graph) {
            checked += 1
            let truth = Interpreter(graph: c.graph, domain: MPFRDomain(precision: 256))
            try truth.run(c.inputs)
            let declared = Interpreter(graph: c.graph, domain: IEEEDomain(mode: .declared, subnormals: .keep))
            try declared.run(c.inputs)
            let ieee = declared.outputValues()
            for (k, want) in c.expected.enumerated() {
                guard case .floats(let y) = ieee[k] else { continue }
                let format = FloatFormat(dtype: want.dtype)
                for (e, b) in y.enumerated() {
                    let a = truth.output(k, e, roundedTo: format)
                    XCTAssertTrue(same(a, b), "\(c.name) output \(k)[\(e)]: truth \(a), declared \(b)")
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
                if case .batchNorm = node.operation { return true }
                guard node.type.arrayType?.dtype.isFloatingPoint ?? false else { return false }
                switch node.operation {
                case .unary(let op): return ![.copy, .neg, .abs, .sign].contains(op)
                case .binary(let op): return ![.maximum, .minimum].contains(op)
                case .reduce, .dot, .convolution, .reduceWindow, .convert, .reducePrecision, .batchNorm: return true
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

    /// XLA CPU's topk-rewriter turns `topk` into `custom-call` "TopK" with a
    /// comparator over (value, index) that orders floats through `bitcast`s to
    /// s32; read that way, every topk case still gives XLA's results.
    func testTheTopKCustomCallOfXLACPUGivesTheTopKResults() throws {
        let comparator = """
            %greater (p.0.lhs.0: f32[], p.0.rhs.0: f32[], p.1.lhs.0: s32[], p.1.rhs.0: s32[]) -> pred[] {
              %p.0.lhs.0 = f32[] parameter(0)
              %p.0.rhs.0 = f32[] parameter(1)
              %p.1.lhs.0 = s32[] parameter(2)
              %p.1.rhs.0 = s32[] parameter(3)
              %zero = s32[] constant(0)
              %max = s32[] constant(2147483647)
              %a = s32[] bitcast(%p.0.lhs.0)
              %b = s32[] bitcast(%p.0.rhs.0)
              %flip.a = s32[] xor(%max, %a)
              %negative.a = pred[] compare(%a, %zero), direction=LT
              %flip.b = s32[] xor(%max, %b)
              %negative.b = pred[] compare(%b, %zero), direction=LT
              %key.a = s32[] select(%negative.a, %flip.a, %a)
              %key.b = s32[] select(%negative.b, %flip.b, %b)
              ROOT %gt = pred[] compare(%key.a, %key.b), direction=GT
            }

            """
        var checked = 0
        for c in try cases() where c.name.hasPrefix("top_k_") {
            let x = c.graph.parameters[0].type
            let k = c.expected[0].shape.last!
            let out = Array(x.dimensions.dropLast()) + [k]
            let shape = { (d: String, dims: [Int]) in "\(d)[\(dims.map(String.init).joined(separator: ","))]" }
            let text = """
                HloModule topk_custom_call

                \(comparator)ENTRY %main {
                  %x = \(shape("f32", x.dimensions)) parameter(0)
                  ROOT %t = (\(shape("f32", out)), \(shape("s32", out))) custom-call(%x), custom_call_target="TopK", called_computations={%greater}
                }
                """
            let g = try GraphFile.read(data: Data(text.utf8), file: "\(c.name).custom-call.hlo").graph
            let interpreter = Interpreter(graph: g, domain: IEEEDomain(mode: .declared, subnormals: .flush))
            try interpreter.run(c.inputs)
            let ours = interpreter.outputValues()
            for (k, want) in c.expected.enumerated() {
                switch (ours[k], want.elements) {
                case (.floats(let a), .floats(let b)):
                    XCTAssertTrue(zip(a, b).allSatisfy { same($0, $1) } && a.count == b.count, "\(c.name) values")
                case (.integers(let a), .integers(let b)):
                    XCTAssertEqual(a, b, "\(c.name) indices")
                default:
                    XCTFail("\(c.name) output \(k)")
                }
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 5)
    }
}
