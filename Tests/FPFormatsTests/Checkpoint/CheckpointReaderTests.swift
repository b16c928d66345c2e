import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// Reads the checkpoints `Fixtures/checkpoints/generate.py` wrote with the `safetensors`
/// package and NumPy, and compares every tensor with the values NumPy read back
/// (`expected.json`) and every hash with `SHA256SUMS`.
final class CheckpointReaderTests: XCTestCase {
    struct Expected: Decodable {
        let shape: [Int]
        let values: [JSONScalar]
    }

    /// A float as hex text (`0x1.8p+1`, `inf`) or an integer.
    enum JSONScalar: Decodable, Equatable {
        case text(String), integer(Int64)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let i = try? c.decode(Int64.self) { self = .integer(i) } else { self = .text(try c.decode(String.self)) }
        }
    }

    func expected() throws -> [String: Expected] {
        try JSONDecoder().decode(
            [String: Expected].self, from: Data(contentsOf: fixtureURL("checkpoints/expected.json")))
    }

    func sums() throws -> [String: String] {
        let text = try String(contentsOf: fixtureURL("checkpoints/SHA256SUMS"), encoding: .utf8)
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            sums[String(parts[1])] = String(parts[0])
        }
        return sums
    }

    func read(_ name: String) throws -> Checkpoint {
        try Checkpoint.read(path: fixtureURL("checkpoints/\(name)").path)
    }

    func checkAgainstNumpy(_ checkpoint: Checkpoint, names: [String]) throws {
        let want = try expected()
        XCTAssertEqual(Set(checkpoint.entries.map(\.name)), Set(names))
        for name in names {
            let tensor = try checkpoint.tensor(named: name)
            let w = try XCTUnwrap(want[name], name)
            XCTAssertEqual(tensor.shape, w.shape, name)
            XCTAssertEqual(checkpoint.entry(named: name)?.type, tensor.type, name)
            let dtypeName = name == "scalar" ? "f32" : name
            XCTAssertEqual(tensor.dtype, DType(name: dtypeName), name)
            switch tensor.elements {
            case .floats(let values):
                let wanted = w.values.map { v -> Double in
                    guard case .text(let t) = v, let x = Double(t) else { return .nan }
                    return x
                }
                XCTAssertEqual(values.count, wanted.count, name)
                for (got, exp) in zip(values, wanted) {
                    XCTAssertEqual(got.bitPattern, exp.bitPattern, "\(name): \(got) vs \(exp)")
                }
            case .integers(let values):
                // u64 is kept as its 64-bit pattern; the fixture's u64 values are below 2^63.
                XCTAssertEqual(values.map(JSONScalar.integer), w.values, name)
            }
        }
    }

    func testSafetensorsEveryDType() throws {
        let checkpoint = try read("every.safetensors")
        XCTAssertEqual(checkpoint.format, .safetensors)
        XCTAssertEqual(checkpoint.metadata, ["format": "flax", "note": "fpaudit fixture"])
        XCTAssertEqual(checkpoint.sha256, try sums()["every.safetensors"])
        try checkAgainstNumpy(checkpoint, names: Array(try expected().keys))
    }

    func testNpzStoredAndDeflated() throws {
        let numpyNames = try expected().keys.filter { !["bf16", "f8e4m3fn", "f8e5m2"].contains($0) }
        for file in ["every.npz", "every_compressed.npz"] {
            let checkpoint = try read(file)
            XCTAssertEqual(checkpoint.format, .npz)
            XCTAssertEqual(checkpoint.sha256, try sums()[file], file)
            try checkAgainstNumpy(checkpoint, names: numpyNames)
        }
    }

    func testUnknownFormatAndMissingFile() {
        XCTAssertEqual(
            thrownError { _ = try Checkpoint.parse(Data("hello world".utf8), file: "w.bin") } as? CheckpointError,
            .unknownFormat(file: "w.bin"))
        let missing = thrownError { _ = try Checkpoint.read(path: "/nonexistent/w.safetensors") }
        XCTAssert("\(missing!)".contains("no such file"), "\(missing!)")
    }
}
