import FPFormats
import FPGraph
import Foundation

/// Reads a graph from JSON text in the `fpaudit.graph/v1` format.
///
/// - Parameters:
///   - json: the document.
///   - file: the name used in error locations.
///   - limits: node and element limits.
/// - Throws: `FormatError` or `GraphError`, exactly as `GraphJSON.read` does.
public func graph(_ json: String, file: String = "test.json", limits: GraphLimits = .default) throws -> Graph {
    try parsedGraph(json, file: file, limits: limits).graph
}

/// Reads a graph from JSON text, keeping its file hash, sample specs and metadata.
public func parsedGraph(_ json: String, file: String = "test.json", limits: GraphLimits = .default) throws
    -> ParsedGraph
{
    try GraphJSON.read(data: Data(json.utf8), file: file, limits: limits)
}

/// The repository's root directory, found from this file's path
/// (`<root>/Tests/_TestSupport/GraphFixtures.swift`).
public func repositoryRoot(filePath: String = #filePath) -> URL {
    URL(fileURLWithPath: filePath)
        .deletingLastPathComponent()  // GraphFixtures.swift
        .deletingLastPathComponent()  // _TestSupport
        .deletingLastPathComponent()  // Tests
}

/// A file under the repository's `Fixtures/` directory.
///
/// `relativePath` is relative to `Fixtures/` (`"json/softmax.json"`); a path
/// that already starts with `Fixtures/` is taken from the repository root, and
/// so is one starting with `docs/`, `Policies/`, `Tests/` or `Fuzz/`.
public func fixtureURL(_ relativePath: String) -> URL {
    let root = repositoryRoot()
    let fromRoot = ["Fixtures/", "docs/", "Policies/", "Tests/", "Fuzz/"].contains { relativePath.hasPrefix($0) }
    return fromRoot
        ? root.appendingPathComponent(relativePath)
        : root.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
}

/// The first error `body` throws, or nil if it returns normally (for
/// asserting on typed errors without XCTest's closures).
public func thrownError(_ body: () throws -> Void) -> Error? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
