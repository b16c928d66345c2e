import XCTest

@testable import FPNumerics

final class SplitMix64Tests: XCTestCase {
    /// Reference outputs of the published algorithm (computed with an
    /// independent Python transcription of the reference C code).
    func testReferenceOutputs() {
        var zero = SplitMix64(seed: 0)
        XCTAssertEqual(zero.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(zero.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(zero.next(), 0x06C4_5D18_8009_454F)

        var other = SplitMix64(seed: 1_234_567)
        XCTAssertEqual(other.next(), 0x599E_D017_FB08_FC85)
        XCTAssertEqual(other.next(), 0x2C73_F084_5854_0FA5)
        XCTAssertEqual(other.next(), 0x883E_BCE5_A3F2_7C77)
    }

    func testMixIsTheOutputFunction() {
        XCTAssertEqual(SplitMix64.mix(0), 0)
        XCTAssertEqual(SplitMix64.mix(0x9E37_79B9_7F4A_7C15), 0xE220_A839_7B1D_CDAF)
    }

    func testStateAdvancesByTheGoldenIncrement() {
        var g = SplitMix64(seed: 10)
        _ = g.next()
        _ = g.next()
        XCTAssertEqual(g.state, 10 &+ 2 &* 0x9E37_79B9_7F4A_7C15)
    }
}
