import Foundation
import XCTest

@testable import FPFormats

final class FileAccessTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("file-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A pipe (what a shell's `<(...)` names) is read to its end.
    func testAPipeIsReadToItsEnd() throws {
        let fifo = try temporaryDirectory().appendingPathComponent("graph.json").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        signal(SIGPIPE, SIG_IGN)
        let bytes = Array(repeating: Array("{\"nodes\": []}\n".utf8), count: 5000).flatMap { $0 }
        DispatchQueue.global().async {
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            close(fd)
        }
        XCTAssertEqual(Array(try FileAccess.read(fifo)), bytes)
    }

    /// A regular file is read whole; a directory and a missing file are located errors.
    func testFilesDirectoriesAndMissingPaths() throws {
        let directory = try temporaryDirectory()
        let file = directory.appendingPathComponent("a.json")
        try Data("{}".utf8).write(to: file)
        XCTAssertEqual(try FileAccess.read(file.path), Data("{}".utf8))
        XCTAssertThrowsError(try FileAccess.read(directory.path)) { error in
            XCTAssertEqual(
                "\(error)", "\(FormatError.unreadableFile(path: directory.path, reason: "it is a directory"))")
        }
        let missing = directory.appendingPathComponent("missing.json").path
        XCTAssertThrowsError(try FileAccess.read(missing)) { error in
            XCTAssertEqual("\(error)", "\(FormatError.unreadableFile(path: missing, reason: "no such file"))")
        }
    }
}
