import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest

@testable import FPEval

/// broadcast, reshape, transpose, slice, concatenate, pad, iota, tuples and
/// calls, in every evaluator, against hand-derived arrays.
final class InterpreterDataMovementTests: XCTestCase {
    private func iota(_ n: Int, from start: Double = 0) -> [Double] { (0..<n).map { start + Double($0) } }

    func testBroadcastMapsOperandDimensions() throws {
        let graph = try buildGraph(
            [
                N.parameter("row", 0, .f32, [3]), N.parameter("column", 1, .f32, [2]), N.parameter("s", 2, .f32),
                N.parameter("m", 3, .f32, [2, 3]),
                N.op("a", .broadcast(dimensions: [1]), ["row"], shape: [2, 3]),
                N.op("b", .broadcast(dimensions: [0]), ["column"], shape: [2, 3]),
                N.op("c", .broadcast(dimensions: []), ["s"], shape: [2, 2]),
                N.op("d", .broadcast(dimensions: [0, 2]), ["m"], shape: [2, 2, 3]),
            ], outputs: ["a", "b", "c", "d"])
        for evaluator in Evaluator.all {
            let out = try evaluator(
                graph, [.floats([1, 2, 3]), .floats([10, 20]), .floats([7]), .floats([1, 2, 3, 4, 5, 6])])
            assertFloats(out[0], [1, 2, 3, 1, 2, 3], "\(evaluator) [3] -> [2,3] dims [1]")
            assertFloats(out[1], [10, 10, 10, 20, 20, 20], "\(evaluator) [2] -> [2,3] dims [0]")
            assertFloats(out[2], [7, 7, 7, 7], "\(evaluator) scalar -> [2,2]")
            assertFloats(out[3], [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], "\(evaluator) [2,3] -> [2,2,3] dims [0,2]")
        }
    }

    func testBroadcastOfIntegers() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .s32, [2]),
            N.op("y", .broadcast(dimensions: [0]), ["x"], shape: [2, 2]),
        ])
        for evaluator in Evaluator.all {
            assertIntegers(try evaluator(graph, [.integers([-5, 9])])[0], [-5, -5, 9, 9], "\(evaluator)")
        }
    }

    func testReshapeKeepsRowMajorOrder() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2, 3]),
                N.op("a", .reshape, ["x"], shape: [3, 2]),
                N.op("b", .reshape, ["x"], shape: [1, 6, 1]),
                N.op("t", .transpose(permutation: [1, 0]), ["a"]),
            ], outputs: ["a", "b", "t"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([1, 2, 3, 4, 5, 6])])
            assertFloats(out[0], [1, 2, 3, 4, 5, 6], "\(evaluator) reshape [3,2]")
            assertFloats(out[1], [1, 2, 3, 4, 5, 6], "\(evaluator) reshape [1,6,1]")
            // The reshaped [3,2] is [[1,2],[3,4],[5,6]]; its transpose [[1,3,5],[2,4,6]].
            assertFloats(out[2], [1, 3, 5, 2, 4, 6], "\(evaluator) transpose of the reshape")
        }
    }

    /// Result dimension i is operand dimension permutation[i]: with [2,0,1],
    /// y[a][b][c] = x[b][c][a] for x[i][j][k] = 12i + 4j + k.
    func testTransposeThreeDimensions() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [2, 3, 4]),
            N.op("y", .transpose(permutation: [2, 0, 1]), ["x"], shape: [4, 2, 3]),
        ])
        let expected: [Double] = [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]
        let integerGraph = try buildGraph([
            N.parameter("x", 0, .s32, [2, 3, 4]),
            N.op("y", .transpose(permutation: [2, 0, 1]), ["x"]),
        ])
        for evaluator in Evaluator.all {
            assertFloats(try evaluator(graph, [.floats(iota(24))])[0], expected, "\(evaluator) f32")
            assertIntegers(
                try evaluator(integerGraph, [.integers((0..<24).map { Int64($0) })])[0],
                expected.map { Int64($0) }, "\(evaluator) s32")
        }
    }

    func testSliceWithStrides() throws {
        let graph = try buildGraph(
            [
                N.parameter("m", 0, .f32, [4, 5]), N.parameter("v", 1, .f32, [10]),
                N.op("a", .slice(SliceBounds(starts: [1, 0], limits: [4, 5], strides: [2, 2])), ["m"]),
                N.op("b", .slice(SliceBounds(starts: [2], limits: [9], strides: [3])), ["v"]),
                N.op("c", .slice(SliceBounds(starts: [0, 3], limits: [4, 5], strides: [3, 1])), ["m"]),
            ], outputs: ["a", "b", "c"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats(iota(20)), .floats(iota(10, from: 100))])
            assertFloats(out[0], [5, 7, 9, 15, 17, 19], "\(evaluator) rows 1,3 cols 0,2,4")
            assertFloats(out[1], [102, 105, 108], "\(evaluator) [2:9:3]")
            assertFloats(out[2], [3, 4, 18, 19], "\(evaluator) rows 0,3 cols 3,4")
        }
    }

    func testConcatenateThreeOperandsAlongTheMiddleDimension() throws {
        let graph = try buildGraph([
            N.parameter("a", 0, .f32, [2, 1, 2]), N.parameter("b", 1, .f32, [2, 2, 2]),
            N.parameter("c", 2, .f32, [2, 3, 2]),
            N.op("y", .concatenate(dimension: 1), ["a", "b", "c"], shape: [2, 6, 2]),
        ])
        let expected: [Double] = [
            0, 1, 10, 11, 12, 13, 20, 21, 22, 23, 24, 25,
            2, 3, 14, 15, 16, 17, 26, 27, 28, 29, 30, 31,
        ]
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats(iota(4)), .floats(iota(8, from: 10)), .floats(iota(12, from: 20))])
            assertFloats(out[0], expected, "\(evaluator)")
        }
        let integers = try buildGraph([
            N.parameter("a", 0, .u8, [1]), N.parameter("b", 1, .u8, [2]),
            N.op("y", .concatenate(dimension: 0), ["a", "b", "a"]),
        ])
        for evaluator in Evaluator.all {
            assertIntegers(
                try evaluator(integers, [.integers([7]), .integers([1, 2])])[0], [7, 1, 2, 7], "\(evaluator) u8")
        }
    }

    func testPadWithLowHighAndInteriorPadding() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [2, 3]), N.constant("nine", .f32, [9]),
            N.op(
                "y", .pad(PaddingConfig(low: [1, 2], high: [0, 1], interior: [1, 0])), ["x", "nine"], shape: [4, 6]),
        ])
        let expected: [Double] = [
            9, 9, 9, 9, 9, 9,
            9, 9, 1, 2, 3, 9,
            9, 9, 9, 9, 9, 9,
            9, 9, 4, 5, 6, 9,
        ]
        for evaluator in Evaluator.all {
            assertFloats(try evaluator(graph, [.floats([1, 2, 3, 4, 5, 6])])[0], expected, "\(evaluator)")
        }
    }

    /// Negative edge padding crops: low -2 with interior 1 drops x[0] and starts
    /// at x[1]; high -2 drops the last two elements.
    func testPadWithNegativeEdgesCrops() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f64, [5]), N.parameter("v", 1, .f64, [4]), N.parameter("p", 2, .f64),
                N.op("a", .pad(PaddingConfig(low: [-2], high: [1], interior: [1])), ["x", "p"], shape: [8]),
                N.op("b", .pad(PaddingConfig(low: [0], high: [-2], interior: [0])), ["v", "p"], shape: [2]),
                N.op("c", .pad(PaddingConfig(low: [-1], high: [2], interior: [0])), ["v", "p"], shape: [5]),
            ], outputs: ["a", "b", "c"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([1, 2, 3, 4, 5]), .floats([1, 2, 3, 4]), .floats([-0.5])])
            assertFloats(out[0], [2, -0.5, 3, -0.5, 4, -0.5, 5, -0.5], "\(evaluator) low -2, interior 1")
            assertFloats(out[1], [1, 2], "\(evaluator) high -2")
            assertFloats(out[2], [2, 3, 4, -0.5, -0.5], "\(evaluator) low -1, high 2")
        }
    }

    func testIota() throws {
        let graph = try buildGraph(
            [
                N.op("a", .iota(dimension: 1), [], dtype: .f32, shape: [2, 3]),
                N.op("b", .iota(dimension: 0), [], dtype: .s32, shape: [3, 2]),
                N.op("c", .iota(dimension: 0), [], dtype: .f16, shape: [2050]),
            ], outputs: ["a", "b", "c"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph)
            assertFloats(out[0], [0, 1, 2, 0, 1, 2], "\(evaluator) f32 iota dim 1")
            assertIntegers(out[1], [0, 0, 1, 1, 2, 2], "\(evaluator) s32 iota dim 0")
            guard case .floats(let c) = out[2] else { return XCTFail("float iota") }
            XCTAssertEqual(c[2047], 2047, "\(evaluator)")
            XCTAssertEqual(c[2048], 2048, "\(evaluator)")
            // 2049 is not an f16: declared precision rounds it (ties to even).
            XCTAssertEqual(
                c[2049], evaluator.description == Evaluator.declared.description ? 2048 : 2049, "\(evaluator)")
        }
    }

    func testTupleAndGetTupleElement() throws {
        let graph = try buildGraph(
            [
                N.parameter("x", 0, .f32, [2]), N.parameter("k", 1, .s32, [3]),
                N.op("t", .tuple, ["x", "k"]),
                N.op("u", .tuple, ["t", "x"]),
                N.op("inner", .getTupleElement(index: 0), ["u"]),
                N.op("k2", .getTupleElement(index: 1), ["inner"]),
                N.op("x2", .getTupleElement(index: 1), ["u"]),
                N.binary("y", .add, "x2", "x2"),
            ], outputs: ["y", "k2"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([1.5, -2]), .integers([4, 5, 6])])
            assertFloats(out[0], [3, -4], "\(evaluator)")
            assertIntegers(out[1], [4, 5, 6], "\(evaluator)")
        }
    }

    /// `axpy(a, x, y) = a * x + y` called at two sites, plus a callee returning a tuple.
    func testCallRunsTheSubComputation() throws {
        let axpy = ComputationSpec(
            name: "axpy",
            nodes: [
                N.parameter("a", 0, .f32), N.parameter("x", 1, .f32, [3]), N.parameter("y", 2, .f32, [3]),
                N.binary("ax", .multiply, "a", "x"), N.binary("r", .add, "ax", "y"),
            ])
        let split = ComputationSpec(
            name: "split",
            nodes: [
                N.parameter("v", 0, .f32, [3]), N.unary("n", .neg, "v"), N.binary("d", .add, "v", "v"),
                N.op("r", .tuple, ["n", "d"]),
            ])
        let graph = try buildGraph(
            [
                N.parameter("a", 0, .f32), N.parameter("x", 1, .f32, [3]), N.parameter("y", 2, .f32, [3]),
                N.op("first", .call(computation: "axpy"), ["a", "x", "y"]),
                N.op("second", .call(computation: "axpy"), ["a", "first", "x"]),
                N.op("pair", .call(computation: "split"), ["second"]),
                N.op("negated", .getTupleElement(index: 0), ["pair"]),
                N.op("doubled", .getTupleElement(index: 1), ["pair"]),
            ], computations: [axpy, split], outputs: ["first", "second", "negated", "doubled"])
        for evaluator in Evaluator.all {
            let out = try evaluator(graph, [.floats([2]), .floats([1, 2, 3]), .floats([10, 20, 30])])
            assertFloats(out[0], [12, 24, 36], "\(evaluator) first call")
            assertFloats(out[1], [25, 50, 75], "\(evaluator) second call")
            assertFloats(out[2], [-25, -50, -75], "\(evaluator) tuple result 0")
            assertFloats(out[3], [50, 100, 150], "\(evaluator) tuple result 1")
        }
    }

    /// A call rounds in the callee's dtype like any op (declared precision).
    func testCallRoundsInDeclaredPrecision() throws {
        let third = ComputationSpec(
            name: "third",
            nodes: [
                N.parameter("x", 0, .bf16), N.constant("three", .bf16, [3]), N.binary("r", .divide, "x", "three"),
            ])
        let graph = try buildGraph(
            [N.parameter("x", 0, .bf16), N.op("y", .call(computation: "third"), ["x"])],
            computations: [third])
        assertFloats(try Evaluator.declared(graph, [.floats([1])])[0], [0x1.56p-2], "declared")
        assertFloats(try Evaluator.double(graph, [.floats([1])])[0], [1.0 / 3.0], "double")
    }
}

/// `reverse` and `opt-barrier`, read from HLO text.
final class ReverseAndBarrierTests: XCTestCase {
    func outputs<D: RealDomain>(_ g: Graph, _ domain: D, _ inputs: [Tensor.Elements]) throws -> [Tensor.Elements] {
        let interpreter = Interpreter(graph: g, domain: domain)
        try interpreter.run(inputs)
        return interpreter.outputValues()
    }

    func testReverseFlipsTheNamedDimensionsAndTheBarrierPassesItsOperandThrough() throws {
        let text = """
            HloModule r

            ENTRY %main {
              %x = s32[2,3]{1,0} parameter(0)
              %a = s32[2,3]{1,0} reverse(%x), dimensions={1}
              %b = s32[2,3]{1,0} reverse(%x), dimensions={0,1}
              %t = (s32[2,3]{1,0}, s32[2,3]{1,0}) tuple(%a, %b)
              ROOT %o = (s32[2,3]{1,0}, s32[2,3]{1,0}) opt-barrier(%t)
            }
            """
        let g = try GraphFile.read(data: Data(text.utf8), file: "r.hlo").graph
        let x: [Tensor.Elements] = [.integers([1, 2, 3, 4, 5, 6])]
        let expected: [Tensor.Elements] = [.integers([3, 2, 1, 6, 5, 4]), .integers([6, 5, 4, 3, 2, 1])]
        XCTAssertEqual(try outputs(g, IEEEDomain(mode: .declared), x), expected)
        XCTAssertEqual(try outputs(g, MPFRDomain(precision: 128), x), expected)
        let f = try GraphFile.read(
            data: Data(text.replacingOccurrences(of: "s32", with: "f32").utf8), file: "r.hlo"
        ).graph
        XCTAssertEqual(
            try outputs(f, MPFRDomain(precision: 128), [.floats([1, 2, 3, 4, 5, -0.0])]),
            [.floats([3, 2, 1, -0.0, 5, 4]), .floats([-0.0, 5, 4, 3, 2, 1])])
    }

    func testReverseOfAnOutOfRangeDimensionIsALocatedError() {
        let text = """
            HloModule r

            ENTRY %main {
              %x = f32[4]{0} parameter(0)
              ROOT %r = f32[4]{0} reverse(%x), dimensions={1}
            }
            """
        XCTAssertThrowsError(try GraphFile.read(data: Data(text.utf8), file: "r.hlo")) { error in
            XCTAssertTrue("\(error)".hasPrefix("r.hlo:5:"), "\(error)")
            XCTAssertTrue("\(error)".contains("reverse dimensions [1] must be distinct and within 0..<1"), "\(error)")
        }
    }
}
