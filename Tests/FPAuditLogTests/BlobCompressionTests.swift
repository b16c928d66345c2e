import Foundation
import XCTest

@testable import FPAuditLog

final class BlobCompressionTests: XCTestCase {
    func testCompressibleBytesAreZlibAndRoundTrip() throws {
        let text = Data(
            String(repeating: "HloModule jit_f, entry_computation_layout={(f32[16]{0})->f32[16]{0}}\n", count: 200).utf8
        )
        let (compression, stored) = BlobCompression.pack(text)
        XCTAssertEqual(compression, .zlib)
        XCTAssertLessThan(stored.count, text.count / 10)
        XCTAssertEqual(stored.first, 0x78, "a zlib stream (RFC 1950 header)")
        XCTAssertEqual(try compression.unpack(stored, size: text.count), text)
    }

    func testIncompressibleAndEmptyBytesAreStoredAsTheyAre() throws {
        var g = SystemRandomNumberGenerator()
        let noise = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) })
        let (compression, stored) = BlobCompression.pack(noise)
        XCTAssertEqual(compression, .none)
        XCTAssertEqual(stored, noise)
        XCTAssertEqual(try compression.unpack(stored, size: noise.count), noise)
        XCTAssertEqual(BlobCompression.pack(Data()).0, .none)
    }

    func testDamagedStreamsAndWrongSizesAreRefused() throws {
        let text = Data(String(repeating: "abcdefgh", count: 1000).utf8)
        let (_, stored) = BlobCompression.pack(text)
        var damaged = stored
        damaged[damaged.count / 2] ^= 0x5A
        XCTAssertThrowsError(try BlobCompression.zlib.unpack(damaged, size: text.count))
        XCTAssertThrowsError(
            try BlobCompression.zlib.unpack(stored.prefix(stored.count - 3), size: text.count), "truncated")
        XCTAssertThrowsError(try BlobCompression.zlib.unpack(stored, size: text.count - 1), "longer than recorded")
        XCTAssertThrowsError(try BlobCompression.zlib.unpack(stored, size: text.count + 1), "shorter than recorded")
        XCTAssertThrowsError(try BlobCompression.none.unpack(text, size: text.count + 1))
        XCTAssertThrowsError(try BlobCompression.zlib.unpack(Data(), size: 0))
    }
}
