import FPPolicy
import XCTest
import _TestSupport

/// `data(FILE)` inputs: resolved against the policy's directory, hashed, and checked at load time.
final class PolicyDataInputTests: XCTestCase {
    func testDataInputIsResolvedAndHashed() throws {
        let policy = try PolicyLoader.load(path: fixtureURL("Fixtures/policy/fixed-weights.yaml").path)
        let files = policy.inputDataFiles(for: ["w", "x", "b"])
        XCTAssertEqual(files.keys.sorted(), ["w"])
        XCTAssertTrue(files["w"]?.hasSuffix("Fixtures/policy/w.npy") == true)
        XCTAssertEqual(policy.inputs.first { $0.pattern == "w" }?.dataSHA256?.count, 64)
        XCTAssertEqual(Set(policy.inputDistributions(for: ["w", "x", "b"]).keys), ["x"])
        XCTAssertTrue(policy.canonicalText.contains("# sha256 "))
    }

    func testMissingFileAndWrongExtensionAreLocatedErrors() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let missing = try dir.write("name: p\nversion: 1\ninputs:\n  w: data(nope.npy)\n", to: "p.yaml")
        XCTAssertThrowsError(try PolicyLoader.load(path: missing.path)) { error in
            XCTAssert("\(error)".contains("p.yaml:4:6: error: inputs.w: cannot read data file"), "\(error)")
        }
        let wrong = try dir.write("name: p\nversion: 1\ninputs:\n  w: data(w.csv)\n", to: "q.yaml")
        XCTAssertThrowsError(try PolicyLoader.load(path: wrong.path)) { error in
            XCTAssert(
                "\(error)".contains("q.yaml:4:6: error: inputs.w: data files are .npy arrays or .json values files"),
                "\(error)")
        }
    }
}
