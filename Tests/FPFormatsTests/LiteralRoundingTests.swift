import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Decimal f32 constants are rounded once, not via f64.
final class LiteralRoundingTests: XCTestCase {
    /// 1 + 2^-24 + 2^-60 lies just above the midpoint between 1 and 1 + 2^-23.
    /// Correct rounding gives 1 + 2^-23; rounding to f64 first loses the 2^-60
    /// and lands on the midpoint, which ties to even: 1.
    func testDecimalJustAboveAnF32MidpointRoundsUp() throws {
        // 1 + 2^-24 + 2^-60, above the midpoint 1.00000005960464477539062500
        let text = "1.000000059604644776257986738"
        let json = """
            {"parameters": [], "nodes": [{"name": "c", "op": "constant", "dtype": "f32", "value": \(text)}], "outputs": ["c"]}
            """
        let g = try graph(json)
        guard case .constant(let literal) = g.entry.nodes[g.entry.root].operation,
            case .floats(let values) = literal.elements
        else { return XCTFail("not a constant") }
        XCTAssertEqual(values, [1 + 0x1p-23])
        XCTAssertEqual(Double(text).map { Double(Float($0)) }, 1, "the test value must be a double-rounding trap")
    }
}
