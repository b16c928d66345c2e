import Foundation
import XCTest
import _TestSupport

/// The README's library example (`Examples/VerifyPair`, product `verify-pair`)
/// builds with the tests, judges a pair as `fpaudit verify` does, and records
/// it in an audit log that `fpaudit log verify` and `log replay` accept.
final class LibraryExampleTests: XCTestCase {
    func testTheExampleGivesTheVerdictOfTheCommandLine() async throws {
        let tool = try builtProduct("verify-pair")
        let pair = repoPath("Fixtures/json/reciprocal-multiply")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("verify-pair-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.db").path
        let process = Process()
        process.executableURL = tool
        process.arguments = ["\(pair)/original.json", "\(pair)/rewritten.json", log]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.hasPrefix("z: p99 excess 0.415"), output)
        XCTAssertTrue(output.hasSuffix("verdict: warn, logged as entry 1\n"), output)
        let verify = await fpaudit(["log", "verify", "--log", log])
        XCTAssertEqual(verify.code, 0, verify.out + verify.err)
        let replay = await fpaudit(["log", "replay", "1", "--log", log])
        XCTAssertEqual(replay.code, 0, replay.out + replay.err)
    }
}
