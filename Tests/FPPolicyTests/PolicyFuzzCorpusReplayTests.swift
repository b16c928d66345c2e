import FPPolicy
import Foundation
import XCTest
import _TestSupport

/// Replays the committed fuzzing regression inputs of the `policy` target
/// (`Fuzz/corpus/policy/`) through the same load as `Fuzz/policy.swift`:
/// each must load or throw a located error; a trap would end the test run.
/// See `docs/fuzzing.md`.
final class PolicyFuzzCorpusReplayTests: XCTestCase {
    /// What `Fuzz/policy.swift` does with its bytes.
    func testPolicyCorpus() throws {
        let directory = repositoryRoot().appendingPathComponent("Fuzz/corpus/policy")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertFalse(files.isEmpty, "Fuzz/corpus/policy is empty")
        for url in files {
            do {
                try PolicyLoader.exercise(try Data(contentsOf: url))
            } catch {
                XCTAssertFalse("\(error)".isEmpty, url.lastPathComponent)
            }
        }
    }
}
