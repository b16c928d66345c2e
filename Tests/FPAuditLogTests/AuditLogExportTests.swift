import FPGraph
import Foundation
import XCTest
import _TestSupport

@testable import FPAuditLog

final class AuditLogExportTests: XCTestCase {
    func export(_ log: AuditLog, blobs: Bool) throws -> [String] {
        var data = Data()
        try log.export(includeBlobs: blobs, toolVersion: "test", now: Date(timeIntervalSince1970: 0)) {
            data.append($0)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], _ dir: TemporaryDirectory) throws -> String {
        try dir.write(lines.joined(separator: "\n") + "\n", to: "export-\(UUID().uuidString).jsonl").path
    }

    func testAnExportVerifiesOfflineAndEachLineIsSelfContained() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-export")
        defer { dir.remove() }
        let log = try AuditLog.inMemory()
        let signer = EntrySigner()
        let stored = try log.append((0..<4).map { AuditLogFixtures.draft(index: $0) }, signer: signer)
        let lines = try export(log, blobs: true)
        XCTAssertEqual(lines.count, 1 + 4 + 20, "8 graphs, 3 policies, 4 data files, 1 values file, 4 reports")
        let header = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["schema"] as? String, "fpaudit.log-export/v1")
        XCTAssertEqual(header["log_id"] as? String, log.logID)
        XCTAssertEqual(header["genesis"] as? String, log.genesisHash)
        XCTAssertEqual(header["entries"] as? Int, 4)
        // Any SHA-256 tool checks an entry: hash the record string's UTF-8 bytes.
        let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        let record = try XCTUnwrap(entry["record"] as? String)
        XCTAssertEqual(fileSHA256(Data(record.utf8)), entry["hash"] as? String)
        XCTAssertEqual(entry["hash"] as? String, stored[1].hash)

        let report = try ExportVerifier.verify(contentsOf: try write(lines, dir), publicKeys: [signer.publicKey])
        XCTAssertTrue(report.isIntact, "\(report.problems)")
        XCTAssertEqual(report.entries, 4)
        XCTAssertEqual(report.blobs, 20)
        XCTAssertEqual(report.signed, 4)
        XCTAssertTrue(try ExportVerifier.verify(contentsOf: try write(try export(log, blobs: false), dir)).isIntact)
    }

    func testTamperedExportsAreFound() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-export")
        defer { dir.remove() }
        let log = try AuditLog.inMemory()
        try log.append((0..<4).map { AuditLogFixtures.draft(index: $0) })
        let lines = try export(log, blobs: true)

        var edited = lines
        edited[2] = edited[2].replacingOccurrences(
            of: "\\\"verdict\\\":\\\"warn\\\"", with: "\\\"verdict\\\":\\\"pass\\\"")
        XCTAssertNotEqual(edited[2], lines[2])
        XCTAssertEqual(try ExportVerifier.verify(contentsOf: try write(edited, dir)).firstBadEntry, 2)

        var dropped = lines
        dropped.remove(at: 3)
        let gap = try ExportVerifier.verify(contentsOf: try write(dropped, dir))
        XCTAssertEqual(gap.firstBadEntry, 3, "\(gap.problems)")

        var truncated = lines
        truncated.remove(at: 4)
        let tail = try ExportVerifier.verify(contentsOf: try write(truncated, dir))
        XCTAssertEqual(tail.firstBadEntry, 4, "the header's head and count name the lost last entry: \(tail.problems)")

        var blob = lines
        let k = try XCTUnwrap(blob.firstIndex { $0.contains("\"kind\":\"report\"") })
        blob[k] = blob[k].replacingOccurrences(of: "\"data\":\"", with: "\"data\":\"AAAA")
        XCTAssertNotNil(try ExportVerifier.verify(contentsOf: try write(blob, dir)).firstBadEntry)
    }

    func testMalformedExportsAreLocatedErrors() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-export")
        defer { dir.remove() }
        let notExport = try dir.write("{\"hello\": 1}\n", to: "x.jsonl").path
        XCTAssertThrowsError(try ExportVerifier.verify(contentsOf: notExport)) { error in
            XCTAssertEqual(
                error as? AuditLogError,
                .badExport(
                    path: notExport, line: 1,
                    message: "expected an fpaudit.log-export/v1 header line"))
        }
        let log = try AuditLog.inMemory()
        try log.append([AuditLogFixtures.draft(index: 0)])
        var lines = try export(log, blobs: false)
        lines.append("not json")
        let bad = try write(lines, dir)
        XCTAssertThrowsError(try ExportVerifier.verify(contentsOf: bad)) { error in
            XCTAssertEqual(
                error as? AuditLogError, .badExport(path: bad, line: 3, message: "not a JSON object with a \"type\""))
        }
        XCTAssertThrowsError(try ExportVerifier.verify(contentsOf: dir.file("missing.jsonl").path))
    }
}
