import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// Every number in a safetensors header is input: each way of lying about the file
/// gets a clear error naming the tensor, never a crash or an out-of-bounds read.
final class SafeTensorsHostileTests: XCTestCase {
    /// A safetensors file from a header text and a data section.
    func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> Data {
        let h = Array(header.utf8)
        let n = declaredLength ?? UInt64(h.count)
        return Data((0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xff) } + h + data)
    }

    func message(_ bytes: Data, maxElements: Int = 1 << 20) -> String {
        guard
            let error = thrownError({ _ = try Checkpoint.parse(bytes, file: "w.safetensors", maxElements: maxElements) }
            )
        else { return "no error" }
        return "\(error)"
    }

    func testValidMinimalFile() throws {
        let bytes = file(
            header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
            data: [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0])
        let checkpoint = try Checkpoint.parse(bytes, file: "w.safetensors")
        XCTAssertEqual(try checkpoint.tensor(named: "w").elements, .floats([1, -2]))
    }

    func testHeaderLengthLies() {
        XCTAssert(message(Data([1, 2, 3])).contains("8-byte header length"))
        XCTAssert(
            message(file(header: "{}", declaredLength: UInt64.max)).contains("over the limit"),
            message(file(header: "{}", declaredLength: UInt64.max)))
        XCTAssert(message(file(header: "{}", declaredLength: 500)).contains("only 2 follow"))
    }

    func testHeaderNotAnObjectOrNotJSON() {
        XCTAssert(message(file(header: "[1,2]")).contains("must be a JSON object"))
        XCTAssert(message(file(header: "{\"w\": ")).contains("not valid JSON"))
        XCTAssert(message(file(header: #"{"w": 3}"#)).contains("'w' must be described by an object"))
        XCTAssert(message(file(header: #"{"__metadata__": {"a": 1}}"#)).contains("must be a string"))
    }

    func testTensorDescriptionsChecked() {
        XCTAssert(message(file(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#)).contains("has no 'dtype'"))
        XCTAssert(
            message(
                file(
                    header: #"{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#,
                    data: Array(repeating: 0, count: 8))
            )
            .contains("dtype C64"))
        XCTAssert(
            message(file(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#))
                .contains("non-negative integers"))
        XCTAssert(
            message(file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#))
                .contains("begin <= end"))
    }

    func testOffsetsOutsideTheDataOrWrongSize() {
        let beyond = file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0])
        XCTAssert(message(beyond).contains("truncated"), message(beyond))
        let short = file(
            header: #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8))
        XCTAssert(message(short).contains("needs 12 bytes"), message(short))
        let huge = file(
            header: #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#,
            data: Array(repeating: 0, count: 8))
        XCTAssert(message(huge).contains("over the limit"), message(huge))
        let overflowing = file(
            header: #"{"w":{"dtype":"F64","shape":[1],"data_offsets":[18446744073709551615,18446744073709551615]}}"#)
        XCTAssertFalse(message(overflowing) == "no error")
    }

    func testOverlappingTensors() {
        let bytes = file(
            header:
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
            data: Array(repeating: 0, count: 8))
        XCTAssert(message(bytes).contains("'a' and 'b' overlap"), message(bytes))
    }

    func testTruncatedRealFile() throws {
        let whole = try Data(contentsOf: fixtureURL("checkpoints/every.safetensors"))
        for cut in [1, 7, 100, whole.count / 2] {
            XCTAssertNotEqual(message(whole.prefix(whole.count - cut)), "no error", "cut \(cut)")
        }
    }
}
