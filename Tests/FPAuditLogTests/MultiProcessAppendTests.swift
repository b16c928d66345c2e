import FPAuditLog
import Foundation
import XCTest
import _TestSupport

/// Several processes on one log file, and processes killed in the middle of
/// appending: the chain must stay linear and valid, each entry wholly
/// present or wholly absent. The writers are `fpaudit-log-stress` (built
/// with the tests), which appends fixture entries in a loop.
final class MultiProcessAppendTests: XCTestCase {
    func testFourProcessesAppendingFiftyEachMakeOneChainOfTwoHundred() throws {
        let tool = try builtProduct("fpaudit-log-stress")
        let dir = try TemporaryDirectory(prefix: "fpaudit-concurrent")
        defer { dir.remove() }
        let path = dir.file("shared/audit.db").path
        // All four start on a log that does not exist yet, so they also race to create it.
        let writers = try (0..<4).map { try Child(tool, [path, "50", "2000", String($0)]) }
        var printed: [Int: [Int64]] = [:]
        for (w, child) in writers.enumerated() {
            let (status, output, errors) = child.finish()
            XCTAssertEqual(status, 0, "writer \(w) failed: \(errors)")
            printed[w] = output.split(separator: "\n").compactMap { Int64($0.split(separator: " ").last ?? "") }
        }
        let log = try AuditLog(path: path, create: false)
        XCTAssertEqual(try log.count(), 200)
        let report = try log.verifyChain()
        XCTAssertTrue(report.isIntact, "\(report.problems.prefix(5))")
        XCTAssertEqual(report.head?.seq, 200)
        XCTAssertEqual(
            Set(printed.values.flatMap { $0 }), Set(1...200), "every committed sequence number was reported once")
        var q = LogQuery()
        q.newestFirst = false
        let entries = try log.entries(q).entries
        for w in 0..<4 {
            XCTAssertEqual(printed[w]?.count, 50)
            XCTAssertEqual(printed[w], printed[w]?.sorted(), "each writer's entries are in its own order")
            let mine = entries.filter {
                $0.record.config.verification.seed > UInt64(w * 100_000)
                    && $0.record.config.verification.seed <= UInt64(w * 100_000 + 50)
            }
            XCTAssertEqual(mine.map(\.seq), printed[w], "writer \(w)'s entries are where it was told they went")
        }
    }

    func testProcessesKilledAtRandomPointsNeverLeaveABrokenChain() throws {
        let tool = try builtProduct("fpaudit-log-stress")
        let dir = try TemporaryDirectory(prefix: "fpaudit-killed")
        defer { dir.remove() }
        var path = ""
        var state: UInt64 = 0x5EED_F0A0_D17
        func nextDelay() -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32(2_000 + (state >> 33) % 120_000)  // 2 to 122 ms
        }
        var killed = 0
        var lastCount = 0
        var appended = 0
        for trial in 0..<60 {
            // A new log every 20 trials keeps each check short; 20 kills land on each.
            if trial % 20 == 0 {
                path = dir.file("audit-\(trial / 20).db").path
                lastCount = 0
            }
            let child = try Child(tool, [path, "100000", "8000", String(trial)])
            usleep(nextDelay())
            kill(child.process.processIdentifier, SIGKILL)
            let (_, output, _) = child.finish()
            if child.process.terminationReason == .uncaughtSignal { killed += 1 }
            let committed = output.split(separator: "\n").compactMap { Int64($0.split(separator: " ").last ?? "") }
            let log = try AuditLog(path: path, create: false)
            let count = try log.count()
            let report = try log.verifyChain()
            XCTAssertTrue(report.isIntact, "trial \(trial): \(report.problems.prefix(3))")
            XCTAssertGreaterThanOrEqual(count, lastCount, "trial \(trial): entries disappeared")
            if let last = committed.last {
                XCTAssertGreaterThanOrEqual(Int64(count), last, "trial \(trial): a reported commit is missing")
            }
            XCTAssertLessThanOrEqual(
                count - lastCount, committed.count + 1,
                "trial \(trial): at most the one append in flight landed unreported")
            appended += count - lastCount
            lastCount = count
        }
        XCTAssertGreaterThanOrEqual(killed, 50, "the writers must be killed mid-run, not finish")
        XCTAssertGreaterThan(appended, 60, "the trials appended something")
    }
}
