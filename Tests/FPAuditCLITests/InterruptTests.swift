import Foundation
import XCTest
import _TestSupport

/// Ctrl-C ends a run cleanly: exit 130, a message, nothing recorded or written.
final class InterruptTests: XCTestCase {
    func testSIGINTStopsTheRunWithExit130AndRecordsNothing() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            let report = dir.file("report.txt")
            let process = Process()
            process.executableURL = try builtProduct("fpaudit")
            process.arguments = [
                "verify", repoPath("Fixtures/json/div-by-four/original.json"),
                repoPath("Fixtures/json/div-by-four/rewritten.json"), "--samples", "100000000", "--max-work", "1e12",
                "--quiet",
                "--log", log, "--output", report.path,
            ]
            let stderr = Pipe()
            process.standardError = stderr
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // let it get into the sampling loop (the log is opened before the work starts)
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: log), Date() < deadline { usleep(50_000) }
            usleep(500_000)
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, 130)
            let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssert(message.contains("interrupted: the run was stopped; nothing of it was recorded"), message)
            XCTAssertFalse(FileManager.default.fileExists(atPath: report.path))
            let list = await fpaudit(["log", "list", "--log", log])
            XCTAssertEqual(list.code, 0, list.err)
            XCTAssert(list.out.contains("no entries"), list.out)
            let verified = await fpaudit(["log", "verify", "--log", log])
            XCTAssertEqual(verified.code, 0, verified.out)
        }
    }
}
