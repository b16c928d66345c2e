import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Reading and writing the concrete-values format.
final class ValuesJSONTests: XCTestCase {
    private func read(_ text: String) throws -> [(key: String, value: Tensor)] {
        try ValuesJSON.read(data: Data(text.utf8), file: "inputs.json")
    }

    func testReadsEveryElementForm() throws {
        let values = try read(
            #"""
            {
              "y": { "dtype": "f32", "shape": [2, 4],
                     "data": [[0, 1.5, "-0", "0x1.8p+1"], ["inf", "-inf", "nan", "-0x1p-149"]] },
              "#1": { "dtype": "pred", "shape": [4], "data": [true, false, 1, 0] },
              "x": { "dtype": "s64", "shape": [], "data": -9223372036854775808 },
              "n": { "dtype": "u8", "shape": [3], "data": [0, "255", 7.0] },
              "h": { "dtype": "f16", "shape": [1], "data": [65504] }
            }
            """#)
        XCTAssertEqual(values.map(\.key), ["y", "#1", "x", "n", "h"], "file order is kept")
        let y = values[0].value
        XCTAssertEqual(y.dtype, .f32)
        XCTAssertEqual(y.shape, [2, 4])
        guard case .floats(let f) = y.elements else { return XCTFail("not floats") }
        XCTAssertEqual(Array(f[0..<4]), [0, 1.5, 0, 3])
        XCTAssertEqual(f[2].sign, .minus)
        XCTAssertEqual(Array(f[4..<6]), [.infinity, -.infinity])
        XCTAssertTrue(f[6].isNaN)
        XCTAssertEqual(f[7], -0x1p-149)
        XCTAssertEqual(values[1].value, Tensor(dtype: .pred, shape: [4], elements: .integers([1, 0, 1, 0])))
        XCTAssertEqual(values[2].value, Tensor(dtype: .s64, shape: [], elements: .integers([.min])))
        XCTAssertEqual(values[3].value, Tensor(dtype: .u8, shape: [3], elements: .integers([0, 255, 7])))
        XCTAssertEqual(values[4].value, Tensor(dtype: .f16, shape: [1], elements: .floats([65504])))
    }

    func testRoundTripIsExact() throws {
        let values: [(String, Tensor)] = [
            (
                "f32",
                Tensor(
                    dtype: .f32, shape: [7],
                    elements: .floats([
                        0x1p-149, -0x1.fffffcp-127, -0.0, .infinity, -.infinity, .nan,
                        0.1.nextUp == 0 ? 0 : Double(Float(0.1)),
                    ]))
            ),
            (
                "f64",
                Tensor(
                    dtype: .f64, shape: [2, 2], elements: .floats([0x1p-1074, -0x1.fffffffffffffp+1023, 0.1, -0.0]))
            ),
            ("f16", Tensor(dtype: .f16, shape: [3], elements: .floats([0x1p-24, 65504, -0x1.ff8p-15]))),
            ("bf16", Tensor(dtype: .bf16, shape: [2], elements: .floats([0x1p-133, 0x1.fep+127]))),
            ("s64", Tensor(dtype: .s64, shape: [2], elements: .integers([.min, .max]))),
            ("u32", Tensor(dtype: .u32, shape: [1], elements: .integers([4_294_967_295]))),
            ("p", Tensor(dtype: .pred, shape: [2], elements: .integers([1, 0]))),
            ("empty", Tensor(dtype: .f32, shape: [0, 3], elements: .floats([]))),
        ]
        let data = ValuesJSON.write(values)
        let text = String(decoding: data, as: UTF8.self)
        let back = try ValuesJSON.read(data: data, file: "written.json")
        // Keys are written sorted (a JSON object has no order).
        XCTAssertEqual(back.map(\.key), values.map(\.0).sorted())
        let read = Dictionary(uniqueKeysWithValues: back.map { ($0.key, $0.value) })
        for (name, written) in values { XCTAssertEqual(read[name], written, name) }
        let compact = text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        XCTAssertTrue(
            compact.contains(#""data":["0x1p-149","-0x1.fffffcp-127","-0x0p+0","inf","-inf","nan","0x1.99999ap-4"]"#),
            text)
        XCTAssertTrue(
            compact.contains(#""data":["0x1p-1074","-0x1.fffffffffffffp+1023","0x1.999999999999ap-4","-0x0p+0"]"#),
            text)
        XCTAssertTrue(compact.contains(#""data":[-9223372036854775808,9223372036854775807]"#), text)
        XCTAssertTrue(compact.contains(#""data":[true,false]"#), text)
        // Tensor equality tells -0 from +0 and treats NaNs as equal.
        XCTAssertNotEqual(
            Tensor(dtype: .f32, shape: [], elements: .floats([0.0])),
            Tensor(dtype: .f32, shape: [], elements: .floats([-0.0])))
        XCTAssertEqual(
            Tensor(dtype: .f32, shape: [], elements: .floats([.nan])),
            Tensor(dtype: .f32, shape: [], elements: .floats([-.nan])))
    }

    func testElementsMustBeExactValuesOfTheDType() {
        assertError(
            "inputs.json:1:55: error: 'x' element 2 (0.1) is not exactly representable in f32; the nearest f32 value is 0x1.99999ap-4"
        ) {
            _ = try self.read(#"{ "x": { "dtype": "f32", "shape": [3], "data": [1, 2, 0.1] } }"#)
        }
        assertError(
            "inputs.json:1:49: error: 'x' element 0 (1e400) is not exactly representable in f64; the nearest f64 value is inf"
        ) {
            _ = try self.read(#"{ "x": { "dtype": "f64", "shape": [1], "data": [1e400] } }"#)
        }
        assertError(
            "inputs.json:1:49: error: 'x' element 0 (1e-400) is not exactly representable in f64; the nearest f64 value is 0x0p+0"
        ) {
            _ = try self.read(#"{ "x": { "dtype": "f64", "shape": [1], "data": [1e-400] } }"#)
        }
        assertError(
            "inputs.json:1:52: error: 'x' element 1 (65520) is not exactly representable in f16; the nearest f16 value is inf"
        ) {
            _ = try self.read(#"{ "x": { "dtype": "f16", "shape": [2], "data": [1, 65520] } }"#)
        }
        assertError("inputs.json:1:51: error: 'n' element 1 (256) is out of range for u8 (0...255)") {
            _ = try self.read(#"{ "n": { "dtype": "u8", "shape": [2], "data": [1, 256] } }"#)
        }
    }

    func testStructureErrors() {
        assertError("inputs.json:1:48: error: 'data' of value 'x': has 2 element(s) but shape [3] needs 3") {
            _ = try self.read(#"{ "x": { "dtype": "f32", "shape": [3], "data": [1, 2] } }"#)
        }
        assertError("inputs.json:1:48: error: 'data' of value 'x' must be an array, found a number") {
            _ = try self.read(#"{ "x": { "dtype": "f32", "shape": [3], "data": 1 } }"#)
        }
        assertError("inputs.json:1:40: error: unknown key 'values' in value 'x' (allowed keys: dtype, shape, data)") {
            _ = try self.read(#"{ "x": { "dtype": "f32", "shape": [3], "values": [1, 2, 3] } }"#)
        }
        assertError("inputs.json:1:8: error: value 'x' is missing the required key 'shape'") {
            _ = try self.read(#"{ "x": { "dtype": "f32", "data": [1] } }"#)
        }
        assertError(
            "inputs.json:1:1: error: a values file must be an object mapping parameter names to tensors, found an array"
        ) {
            _ = try self.read("[]")
        }
        assertError("inputs.json:1:20: error: duplicate key 'x' (first given at 1:3)") {
            _ = try self.read(#"{ "x": {}, "y": 1, "x": 2 }"#)
        }
    }
}
