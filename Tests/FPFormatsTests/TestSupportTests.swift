import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// The shared helpers other test targets rely on.
final class TestSupportTests: XCTestCase {
    func testFixtureURLResolvesFromTheRepositoryRoot() {
        let root = repositoryRoot()
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path), root.path)
        XCTAssertEqual(fixtureURL("json/a.json"), root.appendingPathComponent("Fixtures/json/a.json"))
        XCTAssertEqual(fixtureURL("Fixtures/json/a.json"), root.appendingPathComponent("Fixtures/json/a.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixtureURL("docs/examples/softmax-stable.json").path))
    }

    func testGraphHelperReadsAndNamesTheFile() throws {
        let g = try graph(
            #"{ "parameters": [{ "name": "a", "dtype": "f32", "shape": [] }], "outputs": ["a"] }"#, file: "inline.json")
        XCTAssertEqual(g.source, "inline.json")
        assertError("inline.json:1:1: error: the graph is missing the required key 'outputs'") {
            _ = try graph("{}", file: "inline.json")
        }
        XCTAssertNil(thrownError {})
    }

    func testTemporaryDirectoryIsRemoved() throws {
        var path = ""
        try withTemporaryDirectory { dir in
            path = dir.url.path
            let file = try dir.write("hello", to: "a.txt")
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "hello")
        }
        XCTAssertFalse(path.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        struct Failure: Error {}
        XCTAssertThrowsError(
            try withTemporaryDirectory { dir -> Void in
                path = dir.url.path
                throw Failure()
            })
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "removed after a throw too")
    }
}
