import FPFormats
import FPGraph
import Foundation
import XCTest
import ZIPFoundation
import _TestSupport

/// `.npz` archives that are not what they claim: clear errors, nothing inflated past the limit.
final class NumpyZipHostileTests: XCTestCase {
    /// An in-memory zip archive of the given entries.
    func archive(_ entries: [(String, Data)], compressed: Bool = false) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, content) in entries {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(content.count),
                compressionMethod: compressed ? .deflate : .none
            ) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try XCTUnwrap(archive.data)
    }

    func npy(_ descr: String, shape: String, body: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xff), UInt8(n >> 8)] + Array(header.utf8) + body)
    }

    func message(_ bytes: Data, maxElements: Int = 1 << 20) -> String {
        guard let error = thrownError({ _ = try Checkpoint.parse(bytes, file: "w.npz", maxElements: maxElements) })
        else { return "no error" }
        return "\(error)"
    }

    func testValidArchive() throws {
        let bytes = try archive([("a/b.npy", npy("<f4", shape: "(2,)", body: [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]))])
        let checkpoint = try Checkpoint.parse(bytes, file: "w.npz")
        XCTAssertEqual(checkpoint.entries.map(\.name), ["a/b"])
        XCTAssertEqual(try checkpoint.tensor(named: "a/b").elements, .floats([1, -2]))
    }

    func testEntriesThatAreNotArrays() throws {
        XCTAssert(message(try archive([("notes.txt", Data("hi".utf8))])).contains("is not a .npy array"))
        let bad = try archive([("w.npy", Data("not numpy".utf8))])
        XCTAssert(message(bad).contains("entry 'w.npy'"), message(bad))
        let short = try archive([("w.npy", npy("<f4", shape: "(3,)", body: [0, 0, 0, 0]))])
        XCTAssert(message(short).contains("needs 12"), message(short))
    }

    func testElementLimitBeforeInflating() throws {
        // 1 MiB of zeros deflates to about a kilobyte; with a limit of 16 elements it is never inflated.
        let big = npy("<f8", shape: "(131072,)", body: Array(repeating: 0, count: 131_072 * 8))
        let bytes = try archive([("w.npy", big)], compressed: true)
        XCTAssertLessThan(bytes.count, 16_384)
        XCTAssert(message(bytes, maxElements: 16).contains("over the limit"), message(bytes, maxElements: 16))
    }

    func testCorruptArchive() throws {
        var bytes = try archive([("w.npy", npy("<f4", shape: "(1,)", body: [0, 0, 0x80, 0x3f]))], compressed: true)
        bytes.count -= 30
        XCTAssertNotEqual(message(bytes), "no error")
        XCTAssertNotEqual(message(Data([0x50, 0x4b, 3, 4, 0, 0])), "no error")
        // Found by the fuzzer: ZIPFoundation's in-memory archive trapped on an offset past the end.
        let fuzzed = try Data(contentsOf: fixtureURL("Fuzz/corpus/checkpoint/crash-npz-offset-past-end"))
        XCTAssert(message(fuzzed).contains("lists no .npy arrays"), message(fuzzed))
    }
}
