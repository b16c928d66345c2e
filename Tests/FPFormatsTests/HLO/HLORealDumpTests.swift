import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// Every committed XLA dump snapshot (`Fixtures/xla/<model>/dump/*.txt`)
/// parses and validates. The directory is enumerated, so new snapshots are
/// covered without editing this test. Set `FPAUDIT_HLO_DUMPS` to a
/// colon-separated list of extra directories of `.txt` dumps to check them too.
final class HLORealDumpTests: XCTestCase {
    private func snapshots() throws -> [URL] {
        let fm = FileManager.default
        var files: [URL] = []
        let root = fixtureURL("xla")
        if let models = try? fm.contentsOfDirectory(at: root, includingPropertiesForKeys: nil) {
            for model in models {
                let dump = model.appendingPathComponent("dump")
                guard let entries = try? fm.contentsOfDirectory(at: dump, includingPropertiesForKeys: nil) else {
                    continue
                }
                files += entries.filter { $0.pathExtension == "txt" }
            }
        }
        for extra in (ProcessInfo.processInfo.environment["FPAUDIT_HLO_DUMPS"] ?? "").split(separator: ":") {
            let dir = URL(fileURLWithPath: String(extra))
            let entries = try fm.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            files += entries.filter {
                $0.pathExtension == "txt" && !$0.lastPathComponent.contains("buffer-assignment")
                    && !$0.lastPathComponent.contains("memory-usage") && !$0.lastPathComponent.contains("live-range")
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    func testEverySnapshotParsesAndValidates() throws {
        let files = try snapshots()
        if files.isEmpty { throw XCTSkip("no XLA dumps under Fixtures/xla/*/dump yet") }
        var failures: [String] = []
        for url in files {
            do {
                let parsed = try HLOText.read(contentsOf: url)
                XCTAssertFalse(parsed.graph.parameters.isEmpty && parsed.graph.outputs.isEmpty, url.lastPathComponent)
            } catch {
                failures.append("\(error)")
            }
        }
        XCTAssertTrue(
            failures.isEmpty,
            "\(failures.count) of \(files.count) snapshots failed:\n" + failures.prefix(20).joined(separator: "\n"))
    }

    /// The JAX argument names become parameter aliases, and ops point back at
    /// the line of `generate.py` that created them.
    func testJAXNamesAndSourceLinesSurvive() throws {
        let dir = fixtureURL("xla/softmax/dump")
        guard
            let name = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
                .first(where: { $0.hasSuffix(".before_optimizations.txt") })
        else {
            throw XCTSkip("no softmax dump yet")
        }
        let graph = try HLOText.read(contentsOf: dir.appendingPathComponent(name)).graph
        XCTAssertEqual(graph.parameters.first?.aliases, ["x"])
        let exp = graph.entry.nodes.first { $0.operation == .unary(.exp) }
        XCTAssertEqual(exp?.metadata["source_file"], "Fixtures/xla/generate.py")
        XCTAssertNotNil(exp?.metadata["source_line"].flatMap { Int($0) })
        XCTAssertEqual(exp?.metadata["hlo_opcode"], "exponential")
    }
}
