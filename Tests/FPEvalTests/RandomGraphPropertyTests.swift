import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest

@testable import FPEval

/// Small random graphs over the supported ops (seeded, so every run checks
/// the same 300 graphs): each one round-trips through our JSON with the
/// same canonical hash, runs in every evaluator without an error or a trap,
/// and, when it only moves, compares and selects values, its MPFR truth is
/// exactly the declared result.
final class RandomGraphPropertyTests: XCTestCase {
    /// A graph under construction: nodes, and the names of the f32 values of each shape.
    struct Builder {
        var generator: SeededGenerator
        var nodes: [NodeSpec] = []
        var values: [[Int]: [String]] = [:]
        var exact = true

        mutating func pick(_ shape: [Int]) -> String { values[shape]!.randomElement(using: &generator)! }

        mutating func add(_ node: NodeSpec, _ shape: [Int]) {
            nodes.append(node)
            values[shape, default: []].append(node.name)
        }
    }

    /// xoshiro-free, dependency-free splitmix64 (only to choose graphs).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let rounding: [UnaryOp] = [.exp, .log1p, .tanh, .sqrt, .sin, .atan, .sinh, .logistic]
    static let exactUnary: [UnaryOp] = [.neg, .abs, .floor, .roundNearestAfz, .sign]
    static let roundingBinary: [BinaryOp] = [.add, .subtract, .multiply, .divide]
    static let exactBinary: [BinaryOp] = [.maximum, .minimum]

    func randomGraph(seed: UInt64) throws -> (Graph, exact: Bool) {
        var b = Builder(generator: SeededGenerator(state: seed))
        let shape = [Int.random(in: 1...3, using: &b.generator), Int.random(in: 1...4, using: &b.generator)]
        let transposed = [shape[1], shape[0]]
        b.add(N.parameter("x", 0, .f32, shape), shape)
        b.add(N.parameter("y", 1, .f32, shape), shape)
        for k in 0..<Int.random(in: 2...8, using: &b.generator) {
            let name = "n\(k)"
            switch Int.random(in: 0..<9, using: &b.generator) {
            case 0:
                b.exact = false
                b.add(N.unary(name, Self.rounding.randomElement(using: &b.generator)!, b.pick(shape)), shape)
            case 1:
                b.add(N.unary(name, Self.exactUnary.randomElement(using: &b.generator)!, b.pick(shape)), shape)
            case 2:
                b.exact = false
                let op = Self.roundingBinary.randomElement(using: &b.generator)!
                b.add(N.binary(name, op, b.pick(shape), b.pick(shape)), shape)
            case 3:
                let op = Self.exactBinary.randomElement(using: &b.generator)!
                b.add(N.binary(name, op, b.pick(shape), b.pick(shape)), shape)
            case 4:
                let (l, r) = (b.pick(shape), b.pick(shape))
                b.nodes.append(N.compare("\(name)c", .lt, l, r))
                b.add(N.op(name, .select, ["\(name)c", l, r]), shape)
            case 5:
                b.add(N.op(name, .reverse(dimensions: [1]), [b.pick(shape)]), shape)
            case 6:
                let t = "\(name)t"
                b.add(N.op(t, .transpose(permutation: [1, 0]), [b.pick(shape)]), transposed)
                b.add(N.op(name, .transpose(permutation: [1, 0]), [t]), shape)
            case 7:
                let s = "\(name)s"
                b.nodes.append(
                    N.op(s, .sort(dimension: 1, isStable: true, comparator: "less"), [b.pick(shape)]))
                b.add(N.op(name, .reverse(dimensions: []), [s]), shape)
            default:
                // x · (aᵀ · a): a [m, n] · [n, n] product keeps the shape.
                b.exact = false
                let a = b.pick(shape)
                let matmul = DotDimensions(lhsContracting: [1], rhsContracting: [0])
                b.nodes.append(N.op("\(name)t", .transpose(permutation: [1, 0]), [a]))
                b.nodes.append(
                    N.op("\(name)m", .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])), ["\(name)t", a]))
                b.add(N.op(name, .dot(matmul), [b.pick(shape), "\(name)m"]), shape)
            }
        }
        let last = b.nodes.last!.name
        let less = ComputationSpec(
            name: "less",
            nodes: [
                N.parameter("a", 0, .f32), N.parameter("b", 1, .f32),
                NodeSpec(name: "r", operation: .compare(.lt, totalOrder: true), operands: ["a", "b"]),
            ])
        return (try buildGraph(b.nodes, computations: [less], outputs: [last]), b.exact)
    }

    func testRandomGraphsRoundTripAndEvaluateEverywhere() throws {
        var exactGraphs = 0
        var enclosedGraphs = 0
        var decidedPoints = 0
        for seed in UInt64(1)...300 {
            let (g, exact) = try randomGraph(seed: seed)
            let back = try GraphJSON.read(data: GraphJSONWriter.write(g), file: "random-\(seed).json").graph
            XCTAssertEqual(back.canonicalHash, g.canonicalHash, "seed \(seed)")
            var generator = SeededGenerator(state: seed &* 7919)
            let inputs: [Tensor.Elements] = g.parameters.map { p in
                .floats(
                    (0..<p.type.elementCount).map { _ in
                        Double(Float(Double.random(in: -4...4, using: &generator)))
                    })
            }
            let declared = Interpreter(graph: g, domain: IEEEDomain(mode: .declared))
            let double = Interpreter(graph: g, domain: IEEEDomain(mode: .double))
            let truth = Interpreter(graph: g, domain: MPFRDomain(precision: 256))
            let intervalDomain = IntervalDomain()
            let interval = Interpreter(graph: g, domain: intervalDomain)
            try declared.run(inputs)
            try double.run(inputs)
            try truth.run(inputs)
            try interval.run(inputs)
            if !intervalDomain.undecided {
                enclosedGraphs += 1
                checkEnclosure(interval, truth, g, "seed \(seed)", decided: &decidedPoints)
            }
            guard exact else { continue }
            exactGraphs += 1
            for e in 0..<g.outputs[0].type.elementCount {
                let a = truth.output(0, e, roundedTo: .f32)
                let d = declared.outputDouble(0, e)
                XCTAssertTrue(a.bitPattern == d.bitPattern || (a.isNaN && d.isNaN), "seed \(seed)[\(e)]: \(a) vs \(d)")
            }
        }
        XCTAssertGreaterThanOrEqual(exactGraphs, 20, "the exact property must be exercised")
        XCTAssertGreaterThanOrEqual(enclosedGraphs, 200, "the intervals must decide most graphs")
        XCTAssertGreaterThanOrEqual(decidedPoints, 500)
        print("random graphs: 300, of which \(exactGraphs) exact, \(enclosedGraphs) decided by intervals")
    }

    /// The interval run of a graph whose comparisons it decided: every output
    /// interval holds the 256-bit MPFR value, and where it decides an
    /// element's f32 rounding, that rounding is the MPFR value's.
    func checkEnclosure(
        _ interval: Interpreter<IntervalDomain>, _ truth: Interpreter<MPFRDomain>, _ g: Graph, _ label: String,
        decided: inout Int
    ) {
        for (k, output) in g.outputs.enumerated() where output.type.dtype.isFloatingPoint {
            // The whole-output reads are the element reads.
            let n = output.type.elementCount
            let bits = { (values: [Double]) in values.map(\.bitPattern) }
            XCTAssertEqual(bits(truth.outputDoubles(k)), bits((0..<n).map { truth.outputDouble(k, $0) }), label)
            XCTAssertEqual(bits(interval.outputDoubles(k)), bits((0..<n).map { interval.outputDouble(k, $0) }), label)
            let each = (0..<n).map { interval.decidedOutput(k, $0, in: .f32) }
            var all: [Double] = []
            let allDecided = interval.decidedOutputs(k, in: .f32, into: &all)
            XCTAssertEqual(allDecided, each.allSatisfy { $0 != nil }, label)
            if allDecided { XCTAssertEqual(bits(all), bits(each.map { $0! }), label) }
            for e in 0..<n {
                let exact = truth.outputDouble(k, e)
                guard let bounds = interval.outputBounds(k, e) else { continue }
                if exact.isNaN {
                    XCTAssertTrue(bounds.lo.isNaN, "\(label)[\(e)]: NaN truth, bounds \(bounds)")
                    continue
                }
                XCTAssertTrue(
                    bounds.lo <= exact && exact <= bounds.hi, "\(label)[\(e)]: \(exact) outside \(bounds)")
                if let v = interval.decidedOutput(k, e, in: .f32) {
                    decided += 1
                    let want = truth.output(k, e, roundedTo: .f32)
                    XCTAssertTrue(
                        v == want || (v.isNaN && want.isNaN), "\(label)[\(e)]: decided \(v), truth rounds to \(want)")
                }
            }
        }
    }
}
