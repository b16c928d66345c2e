import FPFormats
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
        try replay("hlo") { try ReaderExercise.graph($0, file: "fuzz.hlo.txt") }
    }

    func testGraphJSONCorpus() throws {
        try replay("graph-json") { try ReaderExercise.graph($0, file: "fuzz.json") }
    }

    func testValuesCorpus() throws {
        try replay("values") { try ReaderExercise.values($0) }
    }

    func testCheckpointCorpus() throws {
        try replay("checkpoint") { try ReaderExercise.checkpoint($0) }
    }
}
