import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

final class NumpyArrayTests: XCTestCase {
    func read(_ name: String) throws -> Tensor {
        let url = fixtureURL("Fixtures/policy/\(name)")
        return try NumpyArray.read(data: Data(contentsOf: url), file: url.path)
    }

    func testFloatAndIntegerArrays() throws {
        let w = try read("w.npy")
        XCTAssertEqual(w.dtype, .f32)
        XCTAssertEqual(w.shape, [16])
        XCTAssertEqual(w.elements, .floats((0..<16).map { 0.5 + Double($0) / 32 }))
        let h = try read("f16-2x3.npy")
        XCTAssertEqual(h.dtype, .f16)
        XCTAssertEqual(h.shape, [2, 3])
        XCTAssertEqual(h.elements, .floats([1, 0.5, -2, 65504, 0x1p-24, 0]))
        XCTAssertEqual(try read("s32.npy").elements, .integers([1, -2, 2_147_483_647]))
    }

    func testRefusedLayoutsSayWhy() {
        XCTAssertThrowsError(try read("fortran.npy")) { XCTAssert("\($0)".contains("Fortran"), "\($0)") }
        XCTAssertThrowsError(try read("big-endian.npy")) {
            XCTAssert("\($0)".contains("'>f4' is not supported"), "\($0)")
        }
        XCTAssertThrowsError(try NumpyArray.read(data: Data("hello".utf8), file: "x.npy")) {
            XCTAssert("\($0)".contains("not a .npy file"), "\($0)")
        }
    }
}
