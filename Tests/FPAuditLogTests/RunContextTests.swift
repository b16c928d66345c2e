import FPAuditLog
import Foundation
import XCTest
import _TestSupport

final class RunContextTests: XCTestCase {
    func testOnlyCIVariablesAreRecorded() {
        let env = [
            "USER": "alice", "GITHUB_RUN_ID": "123", "CI_JOB_ID": "456", "CI": "true",
            "AWS_SECRET_ACCESS_KEY": "secret", "GITHUB_TOKEN": "ghp_x", "EMPTY": "", "CI_COMMIT_SHA": "",
        ]
        let context = RunContext.capture(environment: env, arguments: ["verify", "a", "b"], cwd: "/")
        XCTAssertEqual(context.user, "alice")
        XCTAssertEqual(context.ci, ["GITHUB_RUN_ID": "123", "CI_JOB_ID": "456", "CI": "true"])
        XCTAssertEqual(context.arguments, ["verify", "a", "b"])
        XCTAssertEqual(context.cwd, "/")
        XCTAssertNotNil(context.host)
    }

    func testGitStateIsReadFromTheWorkingDirectory() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-git")
        defer { dir.remove() }
        XCTAssertNil(
            GitState.read(directory: dir.url.path, environment: ProcessInfo.processInfo.environment),
            "not a repository")
        func git(_ args: [String]) throws -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", dir.url.path] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        guard (try? git(["init", "-q", "-b", "audit-branch"])) == 0 else { throw XCTSkip("git is not available") }
        XCTAssertNil(GitState.read(directory: dir.url.path, environment: [:]), "no commit yet")
        try dir.write("x", to: "f.txt")
        XCTAssertEqual(try git(["add", "f.txt"]), 0)
        XCTAssertEqual(
            try git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one"]), 0)
        let state = try XCTUnwrap(GitState.read(directory: dir.url.path, environment: [:]))
        XCTAssertEqual(state.commit.count, 40)
        XCTAssertEqual(state.branch, "audit-branch")
        XCTAssertEqual(try git(["checkout", "-q", "--detach"]), 0)
        XCTAssertNil(try XCTUnwrap(GitState.read(directory: dir.url.path, environment: [:])).branch, "detached HEAD")
    }
}
