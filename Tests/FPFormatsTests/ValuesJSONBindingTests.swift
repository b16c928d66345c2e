import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Matching values to a graph's parameters.
final class ValuesJSONBindingTests: XCTestCase {
    private var parameters: [GraphParameter] {
        get throws {
            try graph(
                #"""
                { "parameters": [
                    { "name": "x", "dtype": "f32", "shape": [8], "aliases": ["input"] },
                    { "name": "k", "dtype": "s32", "shape": [2] },
                    { "name": "flag", "dtype": "pred", "shape": [] } ],
                  "outputs": ["x", "k", "flag"] }
                """#
            ).parameters
        }
    }

    private let x8 = #"{ "dtype": "f32", "shape": [8], "data": [1, 2, 3, 4, 5, 6, 7, 8] }"#
    private let k2 = #"{ "dtype": "s32", "shape": [2], "data": [-1, 1] }"#
    private let flag = #"{ "dtype": "pred", "shape": [], "data": [true] }"#

    private func bind(_ text: String) throws -> [Tensor] {
        let entries = try ValuesJSON.readEntries(data: Data(text.utf8), file: "inputs.json")
        return try ValuesJSON.bind(entries, to: parameters)
    }

    func testBindsByNameAliasAndPositionInParameterOrder() throws {
        let bound = try bind(##"{ "#2": \##(flag), "input": \##(x8), "k": \##(k2) }"##)
        XCTAssertEqual(bound.map(\.dtype), [.f32, .s32, .pred])
        XCTAssertEqual(bound[1], Tensor(dtype: .s32, shape: [2], elements: .integers([-1, 1])))
        XCTAssertEqual(bound[2], Tensor(dtype: .pred, shape: [], elements: .integers([1])))
        // Values built in code bind the same way.
        let inCode = try ValuesJSON.bind(
            [(key: "x", value: bound[0]), (key: "#1", value: bound[1]), (key: "flag", value: bound[2])],
            to: parameters)
        XCTAssertEqual(inCode, bound)
    }

    func testTypeMismatchesNameBothSides() {
        assertError("inputs.json:3:5: error: 'x' has shape [4] but the graph's parameter 'x' is f32[8]") {
            _ = try self.bind(
                """
                {
                    "k": \(self.k2),
                    "x": { "dtype": "f32", "shape": [4], "data": [1, 2, 3, 4] },
                    "flag": \(self.flag)
                }
                """)
        }
        assertError("inputs.json:1:3: error: 'input' is f64 but the graph's parameter 'x' is f32[8]") {
            _ = try self.bind(#"{ "input": { "dtype": "f64", "shape": [8], "data": [1, 2, 3, 4, 5, 6, 7, 8] } }"#)
        }
    }

    func testEveryParameterExactlyOnce() {
        assertError("inputs.json:1:3: error: 'xx' is not a parameter of the graph; did you mean 'x'?") {
            _ = try self.bind(#"{ "xx": \#(self.x8) }"#)
        }
        assertError("inputs.json:1:3: error: '#3' is not a parameter of the graph") {
            _ = try self.bind(##"{ "#3": \##(self.flag) }"##)
        }
        assertError(
            "inputs.json:1:\(10 + x8.count): error: the graph's parameter 'x' is given twice (as 'x' and as '#0')"
        ) {
            _ = try self.bind(##"{ "x": \##(self.x8), "#0": \##(self.x8) }"##)
        }
        assertError("inputs.json:1:1: error: no value given for the graph's parameter 'flag' (pred[])") {
            _ = try self.bind(#"{ "x": \#(self.x8), "k": \#(self.k2) }"#)
        }
        assertError("error: no value given for the graph's parameter 'x' (f32[8])") {
            _ = try ValuesJSON.bind([ValuesJSON.Entry](), to: self.parameters)
        }
    }

    func testValuesBuiltInCodeMustBeRepresentable() throws {
        let k = Tensor(dtype: .s32, shape: [2], elements: .integers([0, 0]))
        let flag = Tensor(dtype: .pred, shape: [], elements: .integers([0]))
        var x = Tensor(dtype: .f32, shape: [8], elements: .floats([1, 2, 3, 4, 5, 0.1, 7, 8]))
        assertError(
            "error: 'x' element 5 (0x1.999999999999ap-4) is not exactly representable in f32; the nearest f32 value is 0x1.99999ap-4"
        ) {
            _ = try ValuesJSON.bind(
                [(key: "x", value: x), (key: "k", value: k), (key: "flag", value: flag)], to: self.parameters)
        }
        x.elements = .floats([1, 2, 3, 4, 5, 6, 7, 8])
        let big = Tensor(dtype: .s32, shape: [2], elements: .integers([0, 1 << 40]))
        assertError("error: 'k' element 1 (1099511627776) is out of range for s32 (-2147483648...2147483647)") {
            _ = try ValuesJSON.bind(
                [(key: "x", value: x), (key: "k", value: big), (key: "flag", value: flag)], to: self.parameters)
        }
        let short = Tensor(dtype: .s32, shape: [2], elements: .integers([0]))
        assertError("error: 'k' holds 1 elements but shape [2] needs 2") {
            _ = try ValuesJSON.bind(
                [(key: "x", value: x), (key: "k", value: short), (key: "flag", value: flag)], to: self.parameters)
        }
        XCTAssertEqual(
            try ValuesJSON.bind(
                [(key: "x", value: x), (key: "k", value: k), (key: "flag", value: flag)],
                to: parameters
            ).count, 3)
    }
}
