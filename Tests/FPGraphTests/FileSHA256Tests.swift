import FPGraph
import Foundation
import XCTest

/// The one hex encoder of digests, against published SHA-256 vectors (FIPS 180-2).
final class FileSHA256Tests: XCTestCase {
    func testDigestsMatchTheStandardVectors() {
        XCTAssertEqual(
            fileSHA256(Data("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(fileSHA256(Data()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testLowerHexWritesTwoDigitsPerByte() {
        XCTAssertEqual(lowerHex([0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10")
        XCTAssertEqual(lowerHex([UInt8]()), "")
        let all = (0...255).map { UInt8($0) }
        XCTAssertEqual(lowerHex(all), all.map { String(format: "%02x", $0) }.joined())
    }
}
