import FPFormats
import FPGraph
import FPNumerics
import XCTest
import _TestSupport

/// Decimal constants that are not values of their dtype keep their decimal
/// (`Tensor.literals`): read, written back, and hashed.
final class TensorJSONLiteralTests: XCTestCase {
    func testInexactDecimalsKeepTheirLiteralInEveryFloatDType() throws {
        for dtype in ["f32", "bf16", "f16", "f64"] {
            let number = try constant(#""dtype": "\#(dtype)", "value": 0.1"#)
            XCTAssertEqual(number.literals, [0: "0.1"], dtype)
            let format = try XCTUnwrap(FloatFormat(name: dtype))
            // The value is still the dtype's rounding, as before.
            XCTAssertEqual(number.elements, .floats([format.round(0.1)]), dtype)
            let string = try constant(#""dtype": "\#(dtype)", "value": ["1e-1", "0.5", "0.7978845608028654"]"#)
            XCTAssertEqual(string.literals, [0: "0.1", 2: "0.7978845608028654"], dtype)
        }
        // Below f32's subnormals: the value is +0, the literal is kept.
        let tiny = try constant(#""dtype": "f32", "value": 1e-50"#)
        XCTAssertEqual(tiny.elements, .floats([0]))
        XCTAssertEqual(tiny.literals, [0: "1e-50"])
        // A splat keeps the literal for every element.
        let splat = try constant(#""dtype": "bf16", "shape": [2, 2], "value": "0.3""#)
        XCTAssertEqual(splat.literals, [0: "0.3", 1: "0.3", 2: "0.3", 3: "0.3"])
    }

    func testHexSpecialsAndExactDecimalsKeepNothing() throws {
        for dtype in ["f32", "bf16", "f16", "f64"] {
            let values = #"["0x1.99999ap-4", "inf", "-inf", "nan", 0.5, -3, "0.375", 1024, 0]"#
            let c = try constant(#""dtype": "\#(dtype)", "value": \#(values)"#)
            XCTAssertNil(c.literals, dtype)
        }
        XCTAssertNil(try constant(#""dtype": "f64", "value": 1e22"#).literals)
        XCTAssertNil(try constant(#""dtype": "s32", "value": 3"#).literals)
    }

    func testHLOConstantsKeepNothing() throws {
        let module = """
            HloModule m
            ENTRY main {
              ROOT c = f32[2] constant({0.1, 0.7978845608028654})
            }
            """
        let parsed = try GraphFile.read(data: Data(module.utf8), file: "m.hlo")
        guard case .constant(let t) = parsed.graph.entry.nodes[parsed.graph.entry.root].operation else {
            return XCTFail("not a constant")
        }
        XCTAssertNil(t.literals)
        XCTAssertEqual(t.elements, .floats([Double(Float(0.1)), Double(Float(0.7978845608028654))]))
    }

    /// Two constants with the same f32 value but different literals are different real functions.
    func testCanonicalHashCoversTheLiteral() throws {
        func hash(_ value: String) throws -> String {
            try graph(
                #"""
                {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
                 "nodes": [{"name": "c", "op": "constant", "dtype": "f32", "value": \#(value)},
                           {"name": "y", "op": "multiply", "operands": ["x", "c"]}],
                 "outputs": ["y"]}
                """#
            ).canonicalHash
        }
        // 0.1 and 0.10000000149 both round to 0x1.99999ap-4 in f32.
        XCTAssertEqual(Float(0.1), Float(0.10000000149))
        XCTAssertNotEqual(try hash("0.1"), try hash("0.10000000149"))
        XCTAssertNotEqual(try hash("0.1"), try hash(#""0x1.99999ap-4""#))
        // The same real spelled differently is the same constant.
        XCTAssertEqual(try hash("0.1"), try hash(#""1.0e-1""#))
        XCTAssertEqual(try hash(#""0x1p-1""#), try hash("0.5"))
    }

    /// The writer writes each kept literal as its decimal, so the pair reads back as the same graph.
    func testWriterRoundTripKeepsLiterals() throws {
        let g = try graph(
            #"""
            {"parameters": [{"name": "x", "dtype": "bf16", "shape": [3]}],
             "nodes": [{"name": "k", "op": "constant", "dtype": "bf16", "shape": [3],
                        "value": [0.7978845608028654, "0x1.8p+1", 1e-50]},
                       {"name": "s", "op": "constant", "dtype": "bf16", "shape": [3], "value": 0.1},
                       {"name": "m", "op": "multiply", "operands": ["x", "k"]},
                       {"name": "y", "op": "add", "operands": ["m", "s"]}],
             "outputs": ["y"]}
            """#)
        let text = String(decoding: GraphJSONWriter.write(g), as: UTF8.self)
        XCTAssertTrue(text.contains(#"[0.7978845608028654, "0x1.8p+1", 1e-50]"#), text)
        XCTAssertTrue(text.contains(#""value": 0.1"#), text)
        let back = try GraphJSON.read(data: Data(text.utf8), file: "written.json").graph
        XCTAssertEqual(back.canonicalHash, g.canonicalHash)
        guard case .constant(let k) = back.node("k").operation else { return XCTFail("not a constant") }
        XCTAssertEqual(k.literals, [0: "0.7978845608028654", 2: "1e-50"])
        XCTAssertEqual(String(decoding: GraphJSONWriter.write(back), as: UTF8.self), text)
    }

    /// Element sampling cuts a constant to the elements it needs, with their literals.
    func testSlicingCarriesLiterals() throws {
        let g = try graph(
            #"""
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "k", "op": "constant", "dtype": "f32", "shape": [4], "value": [0.5, 0.1, 0.2, 3]},
                       {"name": "y", "op": "multiply", "operands": ["x", "k"]}],
             "outputs": ["y"]}
            """#)
        let sliced = try XCTUnwrap(g.sliced(outputs: [ElementBox(indices: [[1, 2]])]))
        let constants = sliced.graph.entry.nodes.compactMap { node -> Tensor? in
            if case .constant(let t) = node.operation { return t } else { return nil }
        }
        XCTAssertEqual(constants.count, 1)
        XCTAssertEqual(constants.first?.literals, [0: "0.1", 1: "0.2"])
    }
}
