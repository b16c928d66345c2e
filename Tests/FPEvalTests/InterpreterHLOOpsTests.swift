import FPEval
import FPGraph
import XCTest
import _TestSupport

/// bitcast, reduce-window, while and conditional (the ops XLA dumps add to the
/// core set), in the IEEE and the MPFR domain, against hand-derived values.
final class InterpreterHLOOpsTests: XCTestCase {
    func evaluate(_ json: String, _ inputs: [Tensor.Elements]) throws -> (
        ieee: [Tensor.Elements], mpfr: [Tensor.Elements]
    ) {
        let g = try graph(json)
        let ieee = Interpreter(graph: g, domain: IEEEDomain(mode: .declared))
        try ieee.run(inputs)
        let mpfr = Interpreter(graph: g, domain: MPFRDomain(precision: 128))
        try mpfr.run(inputs)
        return (ieee.outputValues(), mpfr.outputValues())
    }

    func program(_ parameters: String, _ nodes: String, computations: String = "[]") -> String {
        """
        {"parameters": \(parameters), "nodes": \(nodes), "outputs": ["y"], "computations": \(computations)}
        """
    }

    /// [[1,2,3],[4,5,6]] stored column-major ({0,1}) is 1,4,2,5,3,6 in memory;
    /// reading that memory as f32[6]{0} gives it in that order.
    func testBitcastReinterpretsThePhysicalLayout() throws {
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": [2, 3]}]"#,
            """
            [{"name": "y", "op": "bitcast", "operands": ["x"], "shape": [6], "operand_layout": [0, 1], "result_layout": [0]}]
            """)
        let r = try evaluate(json, [.floats([1, 2, 3, 4, 5, 6])])
        XCTAssertEqual(r.ieee, [.floats([1, 4, 2, 5, 3, 6])])
        XCTAssertEqual(r.mpfr, r.ieee)
    }

    /// With row-major layouts on both sides a bitcast is a reshape; f32[2,3]{1,0}
    /// to f32[3,2]{0,1} is a transpose.
    func testBitcastWithRowMajorLayoutsIsAReshapeAndWithSwappedLayoutsATranspose() throws {
        let reshape = program(
            #"[{"name": "x", "dtype": "f32", "shape": [2, 3]}]"#,
            """
            [{"name": "y", "op": "bitcast", "operands": ["x"], "shape": [3, 2], "operand_layout": [1, 0], "result_layout": [1, 0]}]
            """)
        XCTAssertEqual(try evaluate(reshape, [.floats([1, 2, 3, 4, 5, 6])]).ieee, [.floats([1, 2, 3, 4, 5, 6])])
        let transpose = program(
            #"[{"name": "x", "dtype": "f32", "shape": [2, 3]}]"#,
            """
            [{"name": "y", "op": "bitcast", "operands": ["x"], "shape": [3, 2], "operand_layout": [1, 0], "result_layout": [0, 1]}]
            """)
        XCTAssertEqual(try evaluate(transpose, [.floats([1, 2, 3, 4, 5, 6])]).ieee, [.floats([1, 4, 2, 5, 3, 6])])
    }

    let maxReducer = """
        [{"name": "mx", "parameters": [{"name": "a", "dtype": "f32", "shape": []}, {"name": "b", "dtype": "f32", "shape": []}],
          "nodes": [{"name": "r", "op": "maximum", "operands": ["a", "b"]}], "root": "r"}]
        """
    let addReducer = """
        [{"name": "sum", "parameters": [{"name": "a", "dtype": "f32", "shape": []}, {"name": "b", "dtype": "f32", "shape": []}],
          "nodes": [{"name": "r", "op": "add", "operands": ["a", "b"]}], "root": "r"}]
        """

    /// Max pooling of [1,3,2,5,4], window 3, stride 2, padding 1 on each side
    /// with -inf: windows [-inf,1,3], [3,2,5], [5,4,-inf].
    func testReduceWindowMaxPoolWithPadding() throws {
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": [5]}]"#,
            """
            [{"name": "ninf", "op": "constant", "dtype": "f32", "value": "-inf"},
             {"name": "y", "op": "reduce-window", "operands": ["x", "ninf"], "window": [3], "stride": [2],
              "padding_low": [1], "padding_high": [1], "reducer": "mx"}]
            """, computations: maxReducer)
        let r = try evaluate(json, [.floats([1, 3, 2, 5, 4])])
        XCTAssertEqual(r.ieee, [.floats([3, 5, 5])])
        XCTAssertEqual(r.mpfr, r.ieee)
    }

    /// 2x2 sums over a 3x3 of 1..9: [[1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]].
    func testReduceWindowTwoDimensionalSum() throws {
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": [3, 3]}]"#,
            """
            [{"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
             {"name": "y", "op": "reduce-window", "operands": ["x", "zero"], "window": [2, 2], "reducer": "sum"}]
            """, computations: addReducer)
        let r = try evaluate(json, [.floats([1, 2, 3, 4, 5, 6, 7, 8, 9])])
        XCTAssertEqual(r.ieee, [.floats([12, 16, 24, 28])])
        XCTAssertEqual(r.mpfr, r.ieee)
    }

    /// Base dilation 2 turns [1, 2] into [1, hole, 2]; XLA CPU skips the hole
    /// (it does not fold the init value in for it; init 10 makes that visible):
    /// a window of 1 gives [11, 10, 12] (the StableHLO spec's padding with the
    /// init value would give 20 in the middle). Checked against XLA CPU in
    /// `Fixtures/ops/reduce_window_pad_dilate`.
    func testReduceWindowBaseDilationHolesAreSkipped() throws {
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": [2]}]"#,
            """
            [{"name": "ten", "op": "constant", "dtype": "f32", "value": 10},
             {"name": "y", "op": "reduce-window", "operands": ["x", "ten"], "window": [1], "base_dilation": [2],
              "reducer": "sum"}]
            """, computations: addReducer)
        XCTAssertEqual(try evaluate(json, [.floats([1, 2])]).ieee, [.floats([11, 10, 12])])
    }

    /// x = 3; while x < 100: x = x * 2 → 192.
    func testWhileRunsTheBodyUntilTheConditionFails() throws {
        let computations = """
            [{"name": "cond", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
              "nodes": [{"name": "limit", "op": "constant", "dtype": "f32", "value": 100},
                        {"name": "p", "op": "compare", "operands": ["s", "limit"], "direction": "LT"}], "root": "p"},
             {"name": "body", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
              "nodes": [{"name": "two", "op": "constant", "dtype": "f32", "value": 2},
                        {"name": "d", "op": "multiply", "operands": ["s", "two"]}], "root": "d"}]
            """
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": []}]"#,
            """
            [{"name": "y", "op": "while", "operands": ["x"], "condition": "cond", "body": "body"}]
            """, computations: computations)
        let r = try evaluate(json, [.floats([3])])
        XCTAssertEqual(r.ieee, [.floats([192])])
        XCTAssertEqual(r.mpfr, r.ieee)
        XCTAssertEqual(try evaluate(json, [.floats([500])]).ieee, [.floats([500])], "zero iterations")
    }

    /// conditional(x > 0, x, x): exp(x) when true, -x when false.
    func testConditionalRunsTheSelectedBranch() throws {
        let computations = """
            [{"name": "yes", "parameters": [{"name": "a", "dtype": "f64", "shape": []}],
              "nodes": [{"name": "e", "op": "exp", "operands": ["a"]}], "root": "e"},
             {"name": "no", "parameters": [{"name": "a", "dtype": "f64", "shape": []}],
              "nodes": [{"name": "n", "op": "neg", "operands": ["a"]}], "root": "n"}]
            """
        let json = program(
            #"[{"name": "x", "dtype": "f64", "shape": []}]"#,
            """
            [{"name": "zero", "op": "constant", "dtype": "f64", "value": 0},
             {"name": "p", "op": "compare", "operands": ["x", "zero"], "direction": "GT"},
             {"name": "y", "op": "conditional", "operands": ["p", "x", "x"], "branches": ["yes", "no"]}]
            """, computations: computations)
        XCTAssertEqual(try evaluate(json, [.floats([1])]).mpfr, [.floats([2.718281828459045])])
        XCTAssertEqual(try evaluate(json, [.floats([-3])]).ieee, [.floats([3])])
    }

    func testWhileWithAWrongBodyTypeIsRefused() {
        let computations = """
            [{"name": "cond", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
              "nodes": [{"name": "p", "op": "is-finite", "operands": ["s"]}], "root": "p"},
             {"name": "body", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
              "nodes": [{"name": "c", "op": "convert", "operands": ["s"], "dtype": "f64"}], "root": "c"}]
            """
        let json = program(
            #"[{"name": "x", "dtype": "f32", "shape": []}]"#,
            """
            [{"name": "y", "op": "while", "operands": ["x"], "condition": "cond", "body": "body"}]
            """, computations: computations)
        XCTAssertThrowsError(try graph(json)) { error in
            XCTAssert("\(error)".contains("while body 'body' returns f64[]"), "\(error)")
        }
    }
}

/// dynamic-slice and dynamic-update-slice clamp their start indices (XLA).
final class DynamicSliceTests: XCTestCase {
    func run(_ json: String, _ inputs: [Tensor.Elements]) throws -> [Tensor.Elements] {
        let i = Interpreter(graph: try graph(json), domain: MPFRDomain(precision: 64))
        try i.run(inputs)
        return i.outputValues()
    }

    let slice = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": [2, 4]}, {"name": "i", "dtype": "s32", "shape": []},
                        {"name": "j", "dtype": "s32", "shape": []}],
         "nodes": [{"name": "y", "op": "dynamic-slice", "operands": ["x", "i", "j"], "sizes": [1, 2]}],
         "outputs": ["y"]}
        """

    func testDynamicSliceReadsAtTheStartAndClampsIt() throws {
        let x = Tensor.Elements.floats([0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(try run(slice, [x, .integers([1]), .integers([1])]), [.floats([5, 6])])
        // j = 3 would read past the end: clamped to 4 - 2 = 2. i = -5 clamps to 0.
        XCTAssertEqual(try run(slice, [x, .integers([-5]), .integers([3])]), [.floats([2, 3])])
    }

    func testDynamicUpdateSliceWritesAtTheClampedStart() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [5]}, {"name": "u", "dtype": "f32", "shape": [2]},
                            {"name": "i", "dtype": "s32", "shape": []}],
             "nodes": [{"name": "y", "op": "dynamic-update-slice", "operands": ["x", "u", "i"]}],
             "outputs": ["y"]}
            """
        let x = Tensor.Elements.floats([0, 0, 0, 0, 0])
        let u = Tensor.Elements.floats([7, 8])
        XCTAssertEqual(try run(json, [x, u, .integers([1])]), [.floats([0, 7, 8, 0, 0])])
        XCTAssertEqual(try run(json, [x, u, .integers([9])]), [.floats([0, 0, 0, 7, 8])])
    }
}
