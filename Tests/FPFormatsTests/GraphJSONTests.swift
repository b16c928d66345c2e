import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Every op and attribute of the format parses into the right `Operation`.
final class GraphJSONTests: XCTestCase {
    private let x23 = #"{ "name": "x", "dtype": "f32", "shape": [2, 3] }"#
    private let y23 = #"{ "name": "y", "dtype": "f32", "shape": [2, 3] }"#

    func testEveryUnaryOp() throws {
        for op in UnaryOp.allCases {
            let integerOnly = op == .not || op.isBitCount
            let dtype = integerOnly ? "s32" : "f32"
            let g = try graph(
                document(
                    parameters: [#"{ "name": "x", "dtype": "\#(dtype)", "shape": [3] }"#],
                    nodes: [#"{ "name": "r", "op": "\#(op.rawValue)", "operands": ["x"] }"#],
                    outputs: #"["r"]"#))
            XCTAssertEqual(g.node("r").operation, .unary(op))
            XCTAssertEqual(g.node("r").operands, [g.entry.index(of: "x")!])
            let resultDType: DType = op == .isFinite ? .pred : (integerOnly ? .s32 : .f32)
            XCTAssertEqual(g.node("r").type, .array(resultDType, [3]), op.rawValue)
        }
    }

    func testEveryBinaryOp() throws {
        for op in BinaryOp.allCases {
            let dtype = op.isLogical || op.isShift ? "u32" : "f64"
            let g = try graph(
                document(
                    parameters: [
                        #"{ "name": "a", "dtype": "\#(dtype)", "shape": [2] }"#,
                        #"{ "name": "b", "dtype": "\#(dtype)", "shape": [] }"#,
                    ],
                    nodes: [#"{ "name": "r", "op": "\#(op.rawValue)", "operands": ["a", "b"] }"#],
                    outputs: #"["r"]"#))
            XCTAssertEqual(g.node("r").operation, .binary(op))
            XCTAssertEqual(g.node("r").operands, [0, 1], "operand order is kept")
            XCTAssertEqual(g.node("r").type, .array(op.isLogical || op.isShift ? .u32 : .f64, [2]))
        }
    }

    func testCompareDirections() throws {
        for direction in ComparisonDirection.allCases {
            let g = try graph(
                document(
                    parameters: [x23, y23],
                    nodes: [
                        #"{ "name": "c", "op": "compare", "operands": ["x", "y"], "direction": "\#(direction.rawValue)" }"#
                    ],
                    outputs: #"["c"]"#))
            XCTAssertEqual(g.node("c").operation, .compare(direction))
            XCTAssertEqual(g.node("c").type, .array(.pred, [2, 3]))
        }
    }

    func testSelectClampConvertReducePrecision() throws {
        let g = try graph(
            document(
                parameters: [x23, y23, #"{ "name": "p", "dtype": "pred", "shape": [2, 3] }"#],
                nodes: [
                    #"{ "name": "s", "op": "select", "operands": ["p", "x", "y"] }"#,
                    #"{ "name": "lo", "op": "constant", "dtype": "f32", "value": -1 }"#,
                    #"{ "name": "hi", "op": "constant", "dtype": "f32", "value": 1 }"#,
                    #"{ "name": "c", "op": "clamp", "operands": ["lo", "s", "hi"] }"#,
                    #"{ "name": "h", "op": "convert", "operands": ["c"], "dtype": "f16" }"#,
                    #"{ "name": "r", "op": "reduce-precision", "operands": ["h"], "exponent_bits": 5, "mantissa_bits": 3 }"#,
                ],
                outputs: #"["r"]"#))
        XCTAssertEqual(g.node("s").operation, .select)
        XCTAssertEqual(g.node("c").operation, .clamp)
        XCTAssertEqual(g.node("h").operation, .convert)
        XCTAssertEqual(g.node("h").type, .array(.f16, [2, 3]))
        XCTAssertEqual(g.node("r").operation, .reducePrecision(exponentBits: 5, mantissaBits: 3))
    }

    func testShapeOps() throws {
        let g = try graph(
            document(
                parameters: [#"{ "name": "v", "dtype": "f32", "shape": [3] }"#, x23],
                nodes: [
                    #"{ "name": "b", "op": "broadcast", "operands": ["v"], "dimensions": [1], "shape": [2, 3] }"#,
                    #"{ "name": "r", "op": "reshape", "operands": ["b"], "shape": [3, 2] }"#,
                    #"{ "name": "t", "op": "transpose", "operands": ["r"], "permutation": [1, 0] }"#,
                    #"{ "name": "s", "op": "slice", "operands": ["t"], "start": [0, 1], "limit": [2, 3], "stride": [1, 2] }"#,
                    #"{ "name": "s1", "op": "slice", "operands": ["x"], "start": [1, 0], "limit": [2, 2] }"#,
                    #"{ "name": "cat", "op": "concatenate", "operands": ["x", "t"], "dimension": 0 }"#,
                    #"{ "name": "z", "op": "constant", "dtype": "f32", "value": 0 }"#,
                    #"{ "name": "p", "op": "pad", "operands": ["x", "z"], "low": [1, 0], "high": [0, -1], "interior": [0, 2] }"#,
                    #"{ "name": "p0", "op": "pad", "operands": ["x", "z"], "low": [1, 1], "high": [1, 1] }"#,
                    #"{ "name": "i", "op": "iota", "dtype": "s32", "shape": [4, 2], "dimension": 1 }"#,
                ],
                outputs: #"["s", "s1", "cat", "p", "p0", "i"]"#))
        XCTAssertEqual(g.node("b").operation, .broadcast(dimensions: [1]))
        XCTAssertEqual(g.node("b").type, .array(.f32, [2, 3]))
        XCTAssertEqual(g.node("r").operation, .reshape)
        XCTAssertEqual(g.node("r").type, .array(.f32, [3, 2]))
        XCTAssertEqual(g.node("t").operation, .transpose(permutation: [1, 0]))
        XCTAssertEqual(g.node("s").operation, .slice(SliceBounds(starts: [0, 1], limits: [2, 3], strides: [1, 2])))
        XCTAssertEqual(g.node("s").type, .array(.f32, [2, 1]))
        XCTAssertEqual(g.node("s1").operation, .slice(SliceBounds(starts: [1, 0], limits: [2, 2], strides: [1, 1])))
        XCTAssertEqual(g.node("cat").operation, .concatenate(dimension: 0))
        XCTAssertEqual(g.node("cat").type, .array(.f32, [4, 3]))
        XCTAssertEqual(g.node("p").operation, .pad(PaddingConfig(low: [1, 0], high: [0, -1], interior: [0, 2])))
        XCTAssertEqual(g.node("p").type, .array(.f32, [3, 6]))
        XCTAssertEqual(g.node("p0").operation, .pad(PaddingConfig(low: [1, 1], high: [1, 1], interior: [0, 0])))
        XCTAssertEqual(g.node("i").operation, .iota(dimension: 1))
        XCTAssertEqual(g.node("i").type, .array(.s32, [4, 2]))
        XCTAssertEqual(g.outputs.map(\.name), ["s", "s1", "cat", "p", "p0", "i"])
    }

    func testBuiltinReducersSynthesiseOneOpComputations() throws {
        let g = try graph(
            document(
                parameters: [x23, #"{ "name": "n", "dtype": "s64", "shape": [5] }"#],
                nodes: [
                    #"{ "name": "zero", "op": "constant", "dtype": "f32", "value": 0 }"#,
                    #"{ "name": "one", "op": "constant", "dtype": "s64", "value": 1 }"#,
                    #"{ "name": "sum", "op": "reduce", "operands": ["x", "zero"], "dimensions": [1], "reducer": "add" }"#,
                    #"{ "name": "sum2", "op": "reduce", "operands": ["sum", "zero"], "dimensions": [0], "reducer": "add" }"#,
                    #"{ "name": "prod", "op": "reduce", "operands": ["n", "one"], "dimensions": [0], "reducer": "multiply" }"#,
                ],
                outputs: #"["sum2", "prod"]"#))
        XCTAssertEqual(g.node("sum").operation, .reduce(dimensions: [1], reducer: "__add_f32"))
        XCTAssertEqual(g.node("sum2").operation, .reduce(dimensions: [0], reducer: "__add_f32"))
        XCTAssertEqual(g.node("prod").operation, .reduce(dimensions: [0], reducer: "__multiply_s64"))
        XCTAssertEqual(Set(g.computations.keys), ["main", "__add_f32", "__multiply_s64"])
        let add = try XCTUnwrap(g.computations["__add_f32"])
        XCTAssertEqual(add.nodes[add.root].operation, .binary(.add))
        XCTAssertEqual(add.nodes[add.root].operands, add.parameters)
        XCTAssertEqual(add.resultType, .array(.f32, []))
    }

    func testBuiltinReducerDTypeFollowsOperandsAndDeclarations() throws {
        // The initial value's dtype comes through convert, broadcast and a declared dtype.
        let g = try graph(
            document(
                parameters: [#"{ "name": "h", "dtype": "f16", "shape": [4] }"#],
                nodes: [
                    #"{ "name": "init", "op": "convert", "operands": ["c"], "dtype": "f16" }"#,
                    #"{ "name": "c", "op": "constant", "dtype": "f32", "value": 1 }"#,
                    #"{ "name": "mn", "op": "reduce", "operands": ["h", "init"], "dimensions": [0], "reducer": "minimum" }"#,
                    #"{ "name": "t", "op": "tuple", "operands": ["h", "init"] }"#,
                    #"{ "name": "g", "op": "get-tuple-element", "operands": ["t"], "index": 1 }"#,
                    #"{ "name": "mx", "op": "reduce", "operands": ["h", "g"], "dimensions": [0], "reducer": "maximum" }"#,
                ],
                outputs: #"["mn", "mx"]"#))
        XCTAssertEqual(g.node("mn").operation, .reduce(dimensions: [0], reducer: "__minimum_f16"))
        XCTAssertEqual(g.node("mx").operation, .reduce(dimensions: [0], reducer: "__maximum_f16"))
    }

    func testLogicalBuiltinReducers() throws {
        let g = try graph(
            document(
                parameters: [
                    #"{ "name": "p", "dtype": "pred", "shape": [4] }"#,
                    #"{ "name": "k", "dtype": "u32", "shape": [4] }"#,
                ],
                nodes: [
                    #"{ "name": "t", "op": "constant", "dtype": "pred", "value": true }"#,
                    #"{ "name": "z", "op": "constant", "dtype": "u32", "value": 0 }"#,
                    #"{ "name": "all", "op": "reduce", "operands": ["p", "t"], "dimensions": [0], "reducer": "and" }"#,
                    #"{ "name": "any", "op": "reduce", "operands": ["p", "t"], "dimensions": [0], "reducer": "or" }"#,
                    #"{ "name": "parity", "op": "reduce", "operands": ["k", "z"], "dimensions": [0], "reducer": "xor" }"#,
                ],
                outputs: #"["all", "any", "parity"]"#))
        XCTAssertEqual(g.node("all").operation, .reduce(dimensions: [0], reducer: "__and_pred"))
        XCTAssertEqual(g.node("any").operation, .reduce(dimensions: [0], reducer: "__or_pred"))
        XCTAssertEqual(g.node("parity").operation, .reduce(dimensions: [0], reducer: "__xor_u32"))
        XCTAssertEqual(g.computations["__xor_u32"]?.nodes.last?.operation, .binary(.xor))
        XCTAssertEqual(GraphJSON.builtinReducerNames, ["add", "multiply", "maximum", "minimum", "and", "or", "xor"])
    }

    func testUserComputationsForReduceAndCall() throws {
        let g = try GraphJSON.read(contentsOf: fixtureURL("docs/examples/logsumexp-call.json")).graph
        XCTAssertEqual(g.entryName, "logsumexp")
        XCTAssertEqual(g.node("mx").operation, .reduce(dimensions: [1], reducer: "max_f64"))
        XCTAssertEqual(g.node("sum").operation, .reduce(dimensions: [1], reducer: "__add_f64"))
        XCTAssertEqual(g.node("shifted").operation, .call(computation: "exp_diff"))
        XCTAssertEqual(g.node("shifted").type, .array(.f64, [4, 16]))
        XCTAssertEqual(g.outputs.map(\.name), ["lse"])
        XCTAssertEqual(g.outputs.map(\.type), [ArrayType(.f64, [4])])
    }

    func testUserComputationNamedLikeABuiltinTakesPrecedence() throws {
        let g = try graph(
            document(
                parameters: [#"{ "name": "v", "dtype": "f32", "shape": [3] }"#],
                nodes: [
                    #"{ "name": "z", "op": "constant", "dtype": "f32", "value": 0 }"#,
                    #"{ "name": "r", "op": "reduce", "operands": ["v", "z"], "dimensions": [0], "reducer": "add" }"#,
                ],
                outputs: #"["r"]"#,
                extra: """
                    ,
                      "computations": [{ "name": "add", "parameters": [
                          { "name": "a", "dtype": "f32", "shape": [] }, { "name": "b", "dtype": "f32", "shape": [] }],
                        "nodes": [{ "name": "m", "op": "maximum", "operands": ["b", "a"] }], "root": "m" }]
                    """))
        XCTAssertEqual(g.node("r").operation, .reduce(dimensions: [0], reducer: "add"))
        XCTAssertEqual(g.computations["add"]?.nodes.last?.operation, .binary(.maximum))
        XCTAssertNil(g.computations["__add_f32"])
    }

    func testVariadicReduceTupleAndGetTupleElement() throws {
        let g = try graph(
            document(
                parameters: [
                    #"{ "name": "v", "dtype": "f32", "shape": [3] }"#,
                    #"{ "name": "k", "dtype": "s32", "shape": [3] }"#,
                ],
                nodes: [
                    #"{ "name": "z", "op": "constant", "dtype": "f32", "value": "-inf" }"#,
                    #"{ "name": "zi", "op": "constant", "dtype": "s32", "value": -1 }"#,
                    #"{ "name": "r", "op": "reduce", "operands": ["v", "k", "z", "zi"], "dimensions": [0], "reducer": "argmax" }"#,
                    #"{ "name": "best", "op": "get-tuple-element", "operands": ["r"], "index": 1 }"#,
                ],
                outputs: #"["best"]"#,
                extra: """
                    ,
                      "computations": [{ "name": "argmax",
                        "parameters": [{ "name": "av", "dtype": "f32", "shape": [] }, { "name": "ak", "dtype": "s32", "shape": [] },
                                       { "name": "ev", "dtype": "f32", "shape": [] }, { "name": "ek", "dtype": "s32", "shape": [] }],
                        "nodes": [
                          { "name": "keep", "op": "compare", "operands": ["av", "ev"], "direction": "GE" },
                          { "name": "v", "op": "select", "operands": ["keep", "av", "ev"] },
                          { "name": "k", "op": "select", "operands": ["keep", "ak", "ek"] },
                          { "name": "t", "op": "tuple", "operands": ["v", "k"] }],
                        "root": "t" }]
                    """))
        XCTAssertEqual(g.node("r").type, .tuple([.array(.f32, []), .array(.s32, [])]))
        XCTAssertEqual(g.node("best").operation, .getTupleElement(index: 1))
        XCTAssertEqual(g.computations["argmax"]?.nodes.last?.operation, .tuple)
        XCTAssertEqual(g.outputs.map(\.name), ["best"])
        XCTAssertEqual(g.outputs.map(\.type), [ArrayType(.s32, [])])
    }

    func testDotWithBatchDimensionsAndResultDType() throws {
        let g = try graph(
            document(
                parameters: [
                    #"{ "name": "a", "dtype": "bf16", "shape": [5, 2, 3] }"#,
                    #"{ "name": "b", "dtype": "bf16", "shape": [5, 3, 4] }"#,
                ],
                nodes: [
                    #"{ "name": "d", "op": "dot", "operands": ["a", "b"], "lhs_batch": [0], "rhs_batch": [0], "lhs_contracting": [2], "rhs_contracting": [1], "dtype": "f32" }"#,
                    #"{ "name": "e", "op": "dot", "operands": ["a", "b"], "lhs_batch": [0], "rhs_batch": [0], "lhs_contracting": [2], "rhs_contracting": [1] }"#,
                ],
                outputs: #"["d", "e"]"#))
        XCTAssertEqual(
            g.node("d").operation,
            .dot(DotDimensions(lhsBatch: [0], rhsBatch: [0], lhsContracting: [2], rhsContracting: [1])))
        XCTAssertEqual(g.node("d").type, .array(.f32, [5, 2, 4]))
        XCTAssertEqual(g.node("e").type, .array(.bf16, [5, 2, 4]))
    }

    func testParametersOutputsAliasesSamplesMetadata() throws {
        let parsed = try GraphJSON.read(contentsOf: fixtureURL("docs/examples/dense-relu.json"))
        let g = parsed.graph
        XCTAssertEqual(g.parameters.map(\.name), ["x"])
        XCTAssertEqual(g.parameters.map(\.type), [ArrayType(.f32, [2, 3])])
        XCTAssertEqual(g.parameters.map(\.aliases), [["inputs"]])
        XCTAssertEqual(g.parameter(named: "inputs")?.name, "x")
        XCTAssertEqual(g.outputs.map(\.name), ["activations", "total"])
        XCTAssertEqual(g.outputs.map(\.type), [ArrayType(.f32, [2, 2]), ArrayType(.f32, [])])
        XCTAssertEqual(parsed.sampleSpecs, ["x": "uniform(-1, 1)"])
        XCTAssertEqual(g.node("z").metadata, ["source": "dense.py:12"])
        XCTAssertEqual(
            g.node("z").location,
            SourceLocation(file: fixtureURL("docs/examples/dense-relu.json").path, line: 13, column: 5))
        XCTAssertEqual(g.source, fixtureURL("docs/examples/dense-relu.json").path)
        XCTAssertEqual(parsed.fileSHA256.count, 64)

        let softmax = try GraphJSON.read(contentsOf: fixtureURL("docs/examples/softmax-stable.json"))
        XCTAssertEqual(softmax.metadata, ["description": "softmax with the maximum subtracted first"])
        XCTAssertEqual(softmax.graph.entryName, "softmax-stable")
    }

    func testRootInsteadOfOutputs() throws {
        let g = try graph(
            #"""
            { "parameters": [{ "name": "a", "dtype": "f32", "shape": [] }],
              "nodes": [{ "name": "n", "op": "neg", "operands": ["a"] },
                        { "name": "t", "op": "tuple", "operands": ["a", "n"] }],
              "root": "t" }
            """#)
        XCTAssertEqual(g.outputs.map(\.name), ["#0", "#1"])
        XCTAssertEqual(g.entryName, "main")
        let identity = try graph(#"{ "parameters": [{ "name": "a", "dtype": "u8", "shape": [2] }], "outputs": ["a"] }"#)
        XCTAssertEqual(identity.outputs.map(\.name), ["a"])
        XCTAssertEqual(identity.outputs.map(\.type), [ArrayType(.u8, [2])])
    }
}
