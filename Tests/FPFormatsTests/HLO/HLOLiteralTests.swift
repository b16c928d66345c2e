import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// `constant(...)` literals: scalars, nested arrays, special values, dtype
/// rounding and every way the element count can be wrong.
final class HLOLiteralTests: XCTestCase {
    private func constant(_ type: String, _ value: String, limits: GraphLimits = .default) throws -> Tensor {
        let graph = try hlo(entryModule(["ROOT %c = \(type) constant(\(value))"]), limits: limits).graph
        guard case .constant(let literal) = graph.entry.nodes[graph.entry.root].operation else {
            XCTFail("not a constant")
            return Tensor(type: ArrayType(.f32, []), elements: .floats([]))
        }
        return literal
    }

    private func floats(_ type: String, _ value: String) throws -> [Double] {
        guard case .floats(let v) = try constant(type, value).elements else { return [] }
        return v
    }

    private func integers(_ type: String, _ value: String) throws -> [Int64] {
        guard case .integers(let v) = try constant(type, value).elements else { return [] }
        return v
    }

    func testScalars() throws {
        XCTAssertEqual(try floats("f32[]", "1"), [1])
        XCTAssertEqual(try floats("f32[]", "-2.5"), [-2.5])
        XCTAssertEqual(try floats("f32[]", "1e-05"), [Double(Float(1e-05))])
        XCTAssertEqual(try floats("f32[]", "0.797884583"), [Double(Float(0.797884583))])
        XCTAssertEqual(try floats("f64[]", "0.1"), [0.1])
        XCTAssertEqual(try floats("f32[]", "inf"), [.infinity])
        XCTAssertEqual(try floats("f32[]", "-inf"), [-.infinity])
        XCTAssertTrue(try floats("f32[]", "nan")[0].isNaN)
        let negativeNaN = try floats("f32[]", "-nan")[0]
        XCTAssertTrue(negativeNaN.isNaN && negativeNaN.sign == .minus)
        XCTAssertTrue(try floats("f32[]", "nan(0x1)")[0].isNaN, "a NaN payload is accepted and dropped")
        XCTAssertEqual(try floats("f32[]", "-0")[0].sign, .minus)
        XCTAssertEqual(try integers("pred[]", "true"), [1])
        XCTAssertEqual(try integers("pred[]", "false"), [0])
        XCTAssertEqual(try integers("s32[]", "-2147483648"), [-2_147_483_648])
        XCTAssertEqual(try integers("u8[]", "255"), [255])
        XCTAssertEqual(try integers("s64[]", "9223372036854775807"), [Int64.max])
    }

    /// Floats are read as binary64 and rounded once to the dtype, as XLA does.
    func testValuesAreRoundedToTheDType() throws {
        XCTAssertEqual(try floats("bf16[]", "0.1"), [0.10009765625])
        XCTAssertEqual(try floats("f16[]", "0.1"), [Double(Float16(0.1))])
        XCTAssertEqual(try floats("f16[]", "65504"), [65504])
        XCTAssertEqual(try floats("f32[]", "1e-46"), [0], "underflow rounds to zero")
    }

    func testArrays() throws {
        XCTAssertEqual(try floats("f32[3]{0}", "{1, 2.5, -3}"), [1, 2.5, -3])
        XCTAssertEqual(
            try floats("f32[2,2]{1,0}", "{ { 1.5, inf }, { nan, -2e-30 } }").map { $0.isNaN ? 99 : $0 },
            [1.5, .infinity, 99, Double(Float(-2e-30))])
        XCTAssertEqual(try integers("s32[2,1,3]{2,1,0}", "{ { {1, 2, 3} }, { {4, 5, 6} } }"), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try integers("pred[2]{0}", "{true, false}"), [1, 0])
        XCTAssertEqual(try floats("f32[0]{0}", "{}"), [])
        XCTAssertEqual(try floats("f32[2,0]{1,0}", "{ {}, {} }"), [])
        XCTAssertEqual(
            try constant("f32[2,2]{0,1}", "{ {1, 2}, {3, 4} }").elements, .floats([1, 2, 3, 4]),
            "values are written in logical row-major order whatever the layout")
    }

    /// Asserts that the constant fails at the first occurrence of `needle`
    /// after `constant(` (or in the shape, with `inShape`).
    private func assertConstantError(
        _ type: String, _ value: String, at needle: String, inShape: Bool = false,
        containing fragment: String, limits: GraphLimits = .default,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let text = "  ROOT %c = \(type) constant(\(value))"
        let searchStart = inShape ? text.range(of: "= ")!.upperBound : text.range(of: "constant(")!.upperBound
        let column =
            text.distance(
                from: text.startIndex, to: text.range(of: needle, range: searchStart..<text.endIndex)!.lowerBound) + 1
        assertError(at: (3, column), containing: fragment, file: file, line: line) {
            _ = try self.constant(type, value, limits: limits)
        }
    }

    func testElementCountMustMatchTheShape() {
        assertConstantError(
            "f32[3]{0}", "{1, 2}", at: "}", containing: "expected 3 element(s) in dimension 0 of f32[3], found 2")
        assertConstantError(
            "f32[2]{0}", "{1, 2, 3}", at: "3", containing: "expected 2 element(s) in dimension 0 of f32[2], found more")
        assertConstantError(
            "f32[2,2]{1,0}", "{1, 2, 3, 4}", at: "1",
            containing: "expected '{' here: a f32[2,2] constant nests its values 2 levels deep")
        assertConstantError(
            "f32[1]{0}", "{{1}}", at: "{1", containing: "braces are nested deeper than its rank (1) allows")
        assertConstantError(
            "f32[2]{0}", "1", at: "1", containing: "expected '{' to start the f32[2] constant, found '1'")
        assertConstantError(
            "f32[]", "{1}", at: "{", containing: "expected a single value for the scalar f32[] constant, found '{'")
        assertConstantError("f32[]", "1 2", at: "2", containing: "expected ')' after the constant's value, found '2'")
        assertConstantError("f32[1000]{0}", "{...}", at: "...", containing: "--xla_dump_large_constants")
        assertConstantError(
            "f32[2,2]{1,0}", "{ {1, 2}, {3, 4}", at: ")", containing: "expected '}' to close the '{' at 3:")
    }

    func testBadElements() {
        assertConstantError(
            "f16[]", "70000", at: "70000", containing: "'70000' is not a valid f16 element: it is out of range for f16")
        assertConstantError(
            "f64[]", "1e999", at: "1e999", containing: "'1e999' is not a valid f64 element: it overflows binary64")
        assertConstantError(
            "s32[]", "1.5", at: "1.5", containing: "'1.5' is not a valid s32 element: expected an integer")
        assertConstantError(
            "u8[]", "256", at: "256", containing: "'256' is not a valid u8 element: it is out of range for u8 (0...255)"
        )
        assertConstantError("pred[]", "2", at: "2", containing: "'2' is not a valid pred element")
        assertConstantError("f32[]", "true", at: "true", containing: "'true' is not a valid f32 element")
        assertConstantError("f32[]", "%x", at: "%x", containing: "expected a f32 value, found '%x'")
    }

    /// The element limit is checked before anything is allocated.
    func testHugeConstantsAreRefusedBeforeAllocating() {
        assertConstantError(
            "f32[1000,1000]{1,0}", "{...}", at: "{",
            containing: "node 'c' would hold 1000000 elements, over the limit of 1000",
            limits: GraphLimits(maxElements: 1000))
        assertConstantError(
            "f32[99999999999999999999]{0}", "{}", at: "9", inShape: true,
            containing: "a dimension size: '99999999999999999999' is too large")
    }
}
