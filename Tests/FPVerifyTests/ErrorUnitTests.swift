import FPEval
import FPGraph
import FPNumerics
import XCTest

@testable import FPVerify

/// The one decision of what an output's errors are measured in.
final class ErrorUnitTests: XCTestCase {
    func testFloatsUseTheirDtypeOrBinary64AndIntegersTheirDistance() {
        XCTAssertEqual(ErrorUnit(dtype: .bf16, exec: .declared), .float(.bf16))
        XCTAssertEqual(ErrorUnit(dtype: .bf16, exec: .double), .float(.f64))
        XCTAssertEqual(ErrorUnit(dtype: .s32, exec: .double), .integer(bitWidth: 32), "integers ignore --exec double")
        XCTAssertEqual(ErrorUnit(dtype: .pred, exec: .declared).bitWidth, DType.pred.bitWidth)
        XCTAssertEqual(ErrorUnit(dtype: .f16, exec: .double).name(dtype: .f16), "f64")
        XCTAssertEqual(ErrorUnit(dtype: .f16, exec: .declared).name(dtype: .f16), "f16")
        XCTAssertEqual(ErrorUnit(dtype: .u8, exec: .double).name(dtype: .u8), "u8")
    }

    func testBitsAreLog2OfOnePlusUlpsCappedAtTheWidth() {
        XCTAssertEqual(ErrorUnit.integer(bitWidth: 8).bits(ulps: 3), 2)
        XCTAssertEqual(ErrorUnit.integer(bitWidth: 8).bits(ulps: 1e6), 8)
        XCTAssertEqual(ErrorUnit.float(.f32).bits(ulps: 1), 1)
        XCTAssertEqual(ErrorUnit.float(.f32).bitWidth, 32)
    }
}
