import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// Every file of `Fixtures/hlo/malformed/` is refused with a located error:
/// `expected.json` maps each file name to the exact `line:column` and a
/// fragment of the message. Every `.hlo` file must have an entry, and every
/// entry a file.
final class HLOMalformedCorpusTests: XCTestCase {
    private struct Expectation: Decodable {
        let location: String
        let message: String
    }

    func testEveryMalformedFileGivesALocatedError() throws {
        let dir = fixtureURL("hlo/malformed")
        let expected = try JSONDecoder().decode(
            [String: Expectation].self,
            from: Data(contentsOf: dir.appendingPathComponent("expected.json")))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".hlo") }
            .sorted()
        XCTAssertGreaterThanOrEqual(files.count, 30)
        XCTAssertEqual(
            Set(files), Set(expected.keys), "every corpus file needs an entry in expected.json, and every entry a file")
        for name in files {
            let path = "Fixtures/hlo/malformed/\(name)"
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            guard let error = thrownError({ _ = try GraphFile.read(data: data, file: path) }) else {
                XCTFail("\(name): accepted")
                continue
            }
            let location = (error as? FormatError)?.location ?? (error as? GraphError)?.location
            let actual = location.map { "\($0.line):\($0.column)" } ?? "none"
            guard let expectation = expected[name] else {
                XCTFail("\(name): no expectation; it gives \(error)")
                continue
            }
            XCTAssertEqual(actual, expectation.location, "\(name): \(error)")
            XCTAssertTrue(
                "\(error)".contains(expectation.message),
                "\(name): '\(error)' does not contain '\(expectation.message)'")
            XCTAssertTrue("\(error)".hasPrefix("\(path):\(actual): error: "), "\(name): \(error)")
        }
    }
}
