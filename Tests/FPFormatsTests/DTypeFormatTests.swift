import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// s8, s16, u16, u64 and the 8-bit floats in every format: values files, graph
/// documents and HLO text; out-of-range literals are located errors.
final class DTypeFormatTests: XCTestCase {
    private func values(_ text: String) throws -> [(key: String, value: Tensor)] {
        try ValuesJSON.read(data: Data(text.utf8), file: "v.json")
    }

    private func hloConstant(_ type: String, _ value: String) throws -> Tensor {
        let graph = try hlo(entryModule(["ROOT %c = \(type) constant(\(value))"])).graph
        guard case .constant(let literal) = graph.entry.nodes[graph.entry.root].operation else {
            XCTFail("not a constant")
            return Tensor(type: ArrayType(.f32, []), elements: .floats([]))
        }
        return literal
    }

    func testValuesFilesReadAndWriteEveryNewDType() throws {
        let read = try values(
            #"""
            {
              "a": { "dtype": "s8", "shape": [2], "data": [-128, 127] },
              "b": { "dtype": "s16", "shape": [2], "data": [-32768, "32767"] },
              "c": { "dtype": "u16", "shape": [2], "data": [0, 65535] },
              "d": { "dtype": "u64", "shape": [3], "data": [18446744073709551615, "9223372036854775808", 1] },
              "e": { "dtype": "f8e4m3fn", "shape": [4], "data": ["0x1.cp+8", "-0x1p-9", "nan", 0.5] },
              "f": { "dtype": "f8e5m2fnuz", "shape": [2], "data": ["0x1.cp+15", "-0"] }
            }
            """#)
        XCTAssertEqual(read[0].value, Tensor(dtype: .s8, shape: [2], elements: .integers([-128, 127])))
        XCTAssertEqual(read[1].value, Tensor(dtype: .s16, shape: [2], elements: .integers([-32768, 32767])))
        XCTAssertEqual(read[2].value, Tensor(dtype: .u16, shape: [2], elements: .integers([0, 65535])))
        XCTAssertEqual(read[3].value, Tensor(dtype: .u64, shape: [3], elements: .integers([-1, .min, 1])))
        guard case .floats(let e) = read[4].value.elements, case .floats(let f) = read[5].value.elements else {
            return XCTFail("not floats")
        }
        XCTAssertEqual(Array(e[0..<2]), [448, -0x1p-9])
        XCTAssertTrue(e[2].isNaN)
        XCTAssertEqual(f[0], 57344)
        XCTAssertEqual(f[1].bitPattern, 0, "f8e5m2fnuz has no -0: it reads as +0")

        let written = String(decoding: ValuesJSON.write(read.map { ($0.key, $0.value) }), as: UTF8.self)
        XCTAssertTrue(written.contains("18446744073709551615"), written)
        XCTAssertTrue(written.contains("9223372036854775808"), written)
        XCTAssertTrue(written.contains("\"0x1.cp+8\""), written)
        let back = try ValuesJSON.read(data: Data(written.utf8), file: "w.json")
        let byKey = Dictionary(uniqueKeysWithValues: back.map { ($0.key, $0.value) })
        for (key, tensor) in read { XCTAssertEqual(byKey[key], tensor, key) }
    }

    func testValuesOutOfRangeAreLocatedErrors() {
        assertError(at: (1, 48), containing: "s8") {
            _ = try self.values(#"{ "a": { "dtype": "s8", "shape": [1], "data": [128] } }"#)
        }
        assertError(at: (1, 49), containing: "u64") {
            _ = try self.values(#"{ "a": { "dtype": "u64", "shape": [1], "data": [-1] } }"#)
        }
        assertError(at: (1, 49), containing: "u64") {
            _ = try self.values(#"{ "a": { "dtype": "u64", "shape": [1], "data": [18446744073709551616] } }"#)
        }
        assertError(at: (1, 49), containing: "u16") {
            _ = try self.values(#"{ "a": { "dtype": "u16", "shape": [1], "data": [65536] } }"#)
        }
        // 480 is not a value of f8e4m3fn (its S.1111.111 is NaN); 0x1.1p+0 needs more fraction bits.
        assertError(at: (1, 54), containing: "f8e4m3fn has no infinities") {
            _ = try self.values(#"{ "a": { "dtype": "f8e4m3fn", "shape": [1], "data": ["0x1.ep+8"] } }"#)
        }
        assertError(at: (1, 54), containing: "f8e4m3fn has no infinities") {
            _ = try self.values(#"{ "a": { "dtype": "f8e4m3fn", "shape": [1], "data": ["inf"] } }"#)
        }
        assertError(at: (1, 52), containing: "nearest f8e5m2 value is 0x1p+0") {
            _ = try self.values(#"{ "a": { "dtype": "f8e5m2", "shape": [1], "data": ["0x1.1p+0"] } }"#)
        }
    }

    func testHLOShapesAndLiterals() throws {
        XCTAssertEqual(try hloConstant("u64[]", "18446744073709551615").elements, .integers([-1]))
        XCTAssertEqual(try hloConstant("s8[2]{0}", "{-128, 127}").elements, .integers([-128, 127]))
        XCTAssertEqual(try hloConstant("u16[]", "65535").elements, .integers([65535]))
        XCTAssertEqual(try hloConstant("s16[]", "-32768").elements, .integers([-32768]))
        XCTAssertEqual(
            try hloConstant("f8e4m3fn[3]{0}", "{448, -0.5, 0.001953125}").elements, .floats([448, -0.5, 0x1p-9]))
        XCTAssertEqual(try hloConstant("f8e5m2[]", "inf").elements, .floats([.infinity]))
        XCTAssertEqual(try hloConstant("f8e4m3b11fnuz[]", "30").elements, .floats([30]))
        // Literals are rounded to the dtype once, as XLA does: 464 is a tie and goes to 448 (even).
        XCTAssertEqual(try hloConstant("f8e4m3fn[]", "464").elements, .floats([448]))
        let graph = try hlo(
            entryModule(["%p = f8e5m2fnuz[4]{0} parameter(0)", "ROOT %c = u8[4]{0} bitcast-convert(%p)"])
        )
        .graph
        XCTAssertEqual(graph.parameters[0].type, ArrayType(.f8e5m2fnuz, [4]))
    }

    func testHLOBadLiteralsAndRefusedDTypesAreLocated() {
        assertError(at: (3, 27), containing: "out of range for s8 (-128...127)") {
            _ = try hlo(entryModule(["ROOT %c = s8[] constant(128)"]))
        }
        assertError(at: (3, 28), containing: "out of range for u64 (0...18446744073709551615)") {
            _ = try hlo(entryModule(["ROOT %c = u64[] constant(18446744073709551616)"]))
        }
        assertError(at: (3, 33), containing: "out of range for f8e4m3fn") {
            _ = try hlo(entryModule(["ROOT %c = f8e4m3fn[] constant(480)"]))
        }
        assertError(at: (3, 35), containing: "f8e4m3fnuz has no infinities") {
            _ = try hlo(entryModule(["ROOT %c = f8e4m3fnuz[] constant(inf)"]))
        }
        assertError(at: (3, 13), containing: "dtype 'f4e2m1fn' is not supported (refused: ") {
            _ = try hlo(entryModule(["ROOT %c = f4e2m1fn[] constant(1)"]))
        }
        assertError(at: (3, 13), containing: "f8e8m0fnu") {
            _ = try hlo(entryModule(["ROOT %c = s4[] constant(1)"]))
        }
    }

    func testGraphDocumentsCarryTheNewDTypes() throws {
        let text = document(
            parameters: [
                #"{ "name": "x", "dtype": "u64", "shape": [2] }"#,
                #"{ "name": "h", "dtype": "f8e4m3fn", "shape": [2] }"#,
            ],
            nodes: [
                #"{ "name": "k", "op": "constant", "dtype": "u64", "value": 18446744073709551615 }"#,
                #"{ "name": "y", "op": "add", "operands": ["x", "k"] }"#,
                #"{ "name": "b", "op": "bitcast-convert", "operands": ["h"], "dtype": "s8" }"#,
            ],
            outputs: #"["y", "b"]"#)
        let parsed = try GraphFile.read(data: Data(text.utf8), file: "g.json")
        XCTAssertEqual(parsed.graph.outputs.map(\.type.dtype), [.u64, .s8])
        let written = String(decoding: GraphJSONWriter.write(parsed), as: UTF8.self)
        XCTAssertTrue(written.contains("18446744073709551615"), written)
        let again = try GraphFile.read(data: Data(written.utf8), file: "w.json")
        XCTAssertEqual(again.graph.outputs.map(\.type.dtype), [.u64, .s8])
        assertError(at: (7, 62), containing: "out of range for s8") {
            _ = try GraphFile.read(
                data: Data(
                    document(
                        parameters: [], nodes: [#"{ "name": "k", "op": "constant", "dtype": "s8", "value": -129 }"#],
                        outputs: #"["k"]"#
                    ).utf8), file: "g.json")
        }
    }
}
