import Foundation
import XCTest
import _TestSupport

/// The README's library example (`Examples/VerifyPair`, product `verify-pair`)
/// builds with the tests and judges a pair as `fpaudit verify` does.
final class LibraryExampleTests: XCTestCase {
    func testTheExampleGivesTheVerdictOfTheCommandLine() throws {
        let tool = try builtProduct("verify-pair")
        let pair = repoPath("Fixtures/json/reciprocal-multiply")
        let process = Process()
        process.executableURL = tool
        process.arguments = ["\(pair)/original.json", "\(pair)/rewritten.json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.hasPrefix("z: p99 excess 0.415"), output)
        XCTAssertTrue(output.hasSuffix("verdict: warn\n"), output)
    }
}
