import FPAuditKit
import Foundation
import XCTest

/// Every error of fpaudit's modules is a ``ReportableError``: the input's
/// fault (exit 2) or fpaudit's (exit 3), located when it points into a file.
final class ReportableErrorTests: XCTestCase {
    func testInputErrorsExitTwoAndCarryTheirLocation() throws {
        do {
            _ = try VerificationSubject.read(data: Data("{\n  \"nodes\": [}".utf8), path: "bad.json")
            XCTFail("expected an error")
        } catch let error as ReportableError {
            XCTAssertEqual(error.blame, .input)
            XCTAssertEqual(error.exitCode, 2)
            XCTAssertEqual(error.sourceLocation?.file, "bad.json")
            XCTAssertTrue(error.report.hasPrefix("bad.json:2:"), error.report)
        }
    }

    func testAFileThatCannotBeReadNamesItself() {
        XCTAssertThrowsError(try FileAccess.read("/nonexistent/x.json")) { error in
            let e = error as? ReportableError
            XCTAssertEqual(e?.report, "/nonexistent/x.json: error: cannot read file: no such file")
            XCTAssertEqual(e?.exitCode, 2)
        }
    }

    func testADatabaseFailureIsFpauditsFault() {
        let e = AuditLogError.database(path: "a.db", message: "disk I/O error", sql: nil)
        XCTAssertEqual(e.blame, .fpaudit)
        XCTAssertEqual(e.exitCode, 3)
        XCTAssertEqual(AuditLogError.noSuchEntry("9").exitCode, 2)
    }

    func testADistributionErrorIsPrefixedOnlyWhereItIsReported() {
        let e = DistributionError.empty
        XCTAssertFalse(e.description.hasPrefix("error:"), "embedded in other messages as is")
        XCTAssertEqual(e.report, "error: \(e.description)")
    }
}
