import FPFormats
import FPGraph
import Foundation
import XCTest

/// Reads HLO text from a string.
func hlo(_ text: String, file: String = "m.hlo", limits: GraphLimits = .default) throws -> ParsedGraph {
    try HLOText.read(data: Data(text.utf8), file: file, limits: limits)
}

/// A module whose ENTRY computation holds `body` (one instruction per line,
/// starting on line 3, column 3) after the given extra computations.
func entryModule(_ body: [String], computations: String = "") -> String {
    var text = "HloModule test\n\(computations)ENTRY %main {\n"
    for line in body { text += "  \(line)\n" }
    return text + "}\n"
}

extension Graph {
    /// The node of the entry computation with this name, or a test failure.
    func entryNode(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> Node? {
        guard let index = entry.index(of: name) else {
            XCTFail("no node '\(name)' in \(entry.nodes.map(\.name))", file: file, line: line)
            return nil
        }
        return entry.nodes[index]
    }

    /// The node `name` of computation `computation`.
    func node(_ name: String, in computation: String, file: StaticString = #filePath, line: UInt = #line) -> Node? {
        guard let c = computations[computation], let index = c.index(of: name) else {
            XCTFail("no node '\(name)' in computation '\(computation)'", file: file, line: line)
            return nil
        }
        return c.nodes[index]
    }
}
