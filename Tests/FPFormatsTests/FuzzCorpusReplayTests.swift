import FPFormats
import FPGraph
import FPNumerics
import Foundation
import XCTest
import _TestSupport

/// Replays the committed fuzzing regression inputs (`Fuzz/corpus/<target>/`)
/// through the same reads as the fuzz targets (`Fuzz/<target>.swift`): each
/// must return or throw a located error; a trap would end the test run.
/// See `docs/fuzzing.md`.
final class FuzzCorpusReplayTests: XCTestCase {
    /// The files of `Fuzz/corpus/<target>/`, sorted by name.
    static func corpus(_ target: String) throws -> [URL] {
        let directory = repositoryRoot().appendingPathComponent("Fuzz/corpus/\(target)")
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// What `Fuzz/hlo.swift` and `Fuzz/graph-json.swift` do with their bytes:
    /// read a graph the way `VerificationSubject.read` does.
    static func readGraph(_ data: Data, file: String) throws {
        let parsed = try GraphFile.read(data: data, file: file)
        for (_, spec) in parsed.sampleSpecs { _ = try Distribution.parse(spec) }
        _ = parsed.graph.canonicalHash
    }

    /// The parameters `Fuzz/values.swift` binds values to.
    static let valuesParameters: [GraphParameter] = {
        let json = """
            {"format": "fpaudit.graph/v1", "name": "fuzz",
             "parameters": [{"name": "x", "dtype": "f32", "shape": [2]},
                            {"name": "w", "dtype": "bf16", "shape": [2, 2]},
                            {"name": "n", "dtype": "s32", "shape": []}],
             "nodes": [], "outputs": ["x", "w", "n"]}
            """
        do {
            return try GraphJSON.read(data: Data(json.utf8), file: "fuzz.json").graph.parameters
        } catch {
            fatalError("the values target's graph does not read: \(error)")
        }
    }()

    /// What `Fuzz/values.swift` does: read a values file, bind it, write it back and read that.
    static func readValues(_ data: Data) throws {
        let entries = try ValuesJSON.readEntries(data: data, file: "fuzz.values.json")
        _ = try? ValuesJSON.bind(entries, to: valuesParameters)
        _ = try ValuesJSON.readEntries(data: ValuesJSON.write(entries), file: "rewritten.values.json")
    }

    /// Replays `target`'s corpus through `read`, reporting which files threw.
    private func replay(_ target: String, _ read: (Data) throws -> Void) throws {
        let files = try Self.corpus(target)
        XCTAssertFalse(files.isEmpty, "Fuzz/corpus/\(target) is empty")
        for url in files {
            let data = try Data(contentsOf: url)
            do {
                try read(data)
            } catch {
                // Bad input is expected; its error must at least describe itself.
                XCTAssertFalse("\(error)".isEmpty, url.lastPathComponent)
            }
        }
    }

    func testHLOCorpus() throws {
        try replay("hlo") { try Self.readGraph($0, file: "fuzz.hlo.txt") }
    }

    func testGraphJSONCorpus() throws {
        try replay("graph-json") { try Self.readGraph($0, file: "fuzz.json") }
    }

    func testValuesCorpus() throws {
        try replay("values") { try Self.readValues($0) }
    }
}
