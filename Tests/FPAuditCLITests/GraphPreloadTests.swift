import FPAuditKit
import Foundation
import XCTest

@testable import FPAuditCLI

final class GraphPreloadTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("preload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func graph(_ constant: String) -> String {
        """
        {"parameters": [{"name": "x", "dtype": "f64", "shape": []}],
         "nodes": [{"name": "c", "op": "constant", "dtype": "f64", "value": "\(constant)"},
                   {"name": "y", "op": "add", "operands": ["c", "x"]}],
         "outputs": ["y"]}
        """
    }

    private func preload(_ paths: [String]) {
        GraphPreload.run { GraphPreload.read(paths) }
    }

    /// A preloaded graph is the subject reading the file gives.
    func testPreloadedGraphIsTheFilesSubject() throws {
        let path = try write("a.json", graph("1.5"))
        preload([path])
        let preloaded = try GraphPreload.subject(path: path, limits: .default)
        let read = try VerificationSubject.read(path: path)
        XCTAssertEqual(preloaded.identity, read.identity)
        XCTAssertEqual(preloaded.graph.canonicalHash, read.graph.canonicalHash)
    }

    /// What runs after the read-ahead (``RuntimeWarmUp``) runs after it, and
    /// a command does not wait for it: `subject` returns while it is blocked.
    func testWorkAfterTheReadAheadIsNotWaitedFor() throws {
        let path = try write("w.json", graph("1.5"))
        let release = DispatchSemaphore(value: 0)
        let afterwards = DispatchSemaphore(value: 0)
        let readFirst = NSLock()
        nonisolated(unsafe) var wasRead = false
        GraphPreload.run(
            {
                GraphPreload.read([path])
                readFirst.withLock { wasRead = true }
            },
            then: {
                XCTAssertTrue(readFirst.withLock { wasRead }, "runs after the read-ahead")
                _ = release.wait(timeout: .now() + 5)  // bounded: a command that waited would fail, not hang
                afterwards.signal()
            })
        let subject = try GraphPreload.subject(path: path, limits: .default)
        XCTAssertEqual(subject.identity, try VerificationSubject.read(path: path).identity)
        XCTAssertEqual(afterwards.wait(timeout: .now()), .timedOut, "still blocked when subject returned")
        release.signal()
        XCTAssertEqual(afterwards.wait(timeout: .now() + 10), .success)
    }

    /// The warm-up asks its questions without failing, for every subcommand name and none.
    func testRuntimeWarmUpRunsForAnyCommand() {
        for command in ["verify", "trace", "reduce", "diff", "log", "no-such-command", ""] {
            RuntimeWarmUp.run(command: command)
        }
        XCTAssertEqual(CFormat.string("%.1f %d %u", 0.5, Int32(1), UInt32(2)), "0.5 1 2")
    }

    /// A file changed after it was preloaded is read again.
    func testChangedFileIsReadAgain() throws {
        let path = try write("b.json", graph("1.5"))
        preload([path])
        _ = try write("b.json", graph("2.5"))
        let subject = try GraphPreload.subject(path: path, limits: .default)
        XCTAssertEqual(subject.identity, try VerificationSubject.read(path: path).identity)
    }

    /// Limits other than the preload's defaults read the file again, with its errors.
    func testOtherLimitsReadAgainWithTheirErrors() throws {
        let path = try write("c.json", graph("1.5"))
        preload([path])
        let limits = GraphLimits(maxNodes: 1)
        var expected = ""
        XCTAssertThrowsError(try VerificationSubject.read(path: path, limits: limits)) { expected = "\($0)" }
        XCTAssertThrowsError(try GraphPreload.subject(path: path, limits: limits)) { error in
            XCTAssertEqual("\(error)", expected)
        }
        XCTAssertFalse(expected.isEmpty)
    }

    /// Arguments that are not graphs are skipped; a missing file still gets its own error.
    func testNonGraphsAreSkippedAndErrorsAreTheReadersOwn() throws {
        let policy = try write("p.yaml", "name: x\n")
        let missing = directory.appendingPathComponent("missing.json").path
        preload([policy, missing, directory.path])
        XCTAssertThrowsError(try GraphPreload.subject(path: missing, limits: .default))
        XCTAssertThrowsError(try GraphPreload.subject(path: policy, limits: .default))
    }

    /// A pipe (a shell's `<(...)`) is not read ahead: its bytes are the
    /// command's. A writer waits for a reader; the preload must not be one.
    func testPipesAreNotReadAhead() throws {
        let fifo = directory.appendingPathComponent("pipe.json").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        signal(SIGPIPE, SIG_IGN)
        let bytes = Array(graph("1.5").utf8)
        let writerOpened = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let fd = open(fifo, O_WRONLY)  // waits for a reader
            writerOpened.signal()
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        GraphPreload.read([fifo])
        guard writerOpened.wait(timeout: .now() + 0.5) == .timedOut else {
            return XCTFail("the preload opened the pipe")
        }
        // The command's own read gets every byte.
        let fd = open(fifo, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        close(fd)
        XCTAssertEqual(received, bytes)
    }

    /// The candidates are the arguments after the subcommand that are not options.
    func testCandidates() {
        XCTAssertEqual(
            GraphPreload.candidates(["verify", "a.json", "--quiet", "b.txt", "--input", "x=uniform(0,1)"]),
            ["a.json", "b.txt", "x=uniform(0,1)"])
    }

    /// Every command that reads graphs through the preload exists.
    func testGraphReadingCommandsAreSubcommands() {
        let names = Set(FPAudit.configuration.subcommands.map { $0._commandName })
        XCTAssertTrue(FPAuditMain.graphReadingCommands.isSubset(of: names))
    }
}
