import Foundation

/// Who ran fpaudit, where and from what: recorded in every entry.
public struct RunContext: Codable, Sendable, Equatable {
    /// The user name: `USER`, else `LOGNAME`, else the process owner's login name; nil when none is known
    /// (JSON key `user`).
    public var user: String?
    /// The machine's host name; nil when it cannot be read or is empty (JSON key `host`).
    public var host: String?
    /// The working directory.
    public var cwd: String
    /// The command line (without the program name).
    public var arguments: [String]
    /// The git commit and branch of the working directory, when it is inside a repository.
    public var git: GitState?
    /// CI variables that identify the job (``RunContext/ciVariables``), when set.
    public var ci: [String: String]

    /// Creates a context from its parts; ``capture(environment:arguments:cwd:)`` makes this process's.
    public init(
        user: String?, host: String?, cwd: String, arguments: [String], git: GitState?,
        ci: [String: String]
    ) {
        self.user = user
        self.host = host
        self.cwd = cwd
        self.arguments = arguments
        self.git = git
        self.ci = ci
    }

    /// The environment variables recorded when present: those that identify a
    /// CI job, run, commit or pipeline. Nothing else of the environment is
    /// recorded (it may hold secrets).
    public static let ciVariables: [String] = [
        "CI",
        // GitHub Actions
        "GITHUB_ACTIONS", "GITHUB_RUN_ID", "GITHUB_RUN_NUMBER", "GITHUB_RUN_ATTEMPT", "GITHUB_JOB", "GITHUB_WORKFLOW",
        "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF", "GITHUB_ACTOR", "GITHUB_SERVER_URL",
        // GitLab CI
        "GITLAB_CI", "CI_JOB_ID", "CI_JOB_NAME", "CI_JOB_URL", "CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_PROJECT_PATH",
        "CI_COMMIT_SHA", "CI_COMMIT_REF_NAME", "CI_MERGE_REQUEST_IID",
        // Buildkite, Jenkins, CircleCI
        "BUILDKITE_BUILD_ID", "BUILDKITE_JOB_ID", "BUILDKITE_PIPELINE_SLUG", "BUILDKITE_COMMIT",
        "JENKINS_URL", "BUILD_ID", "BUILD_URL", "JOB_NAME",
        "CIRCLE_BUILD_NUM", "CIRCLE_WORKFLOW_ID", "CIRCLE_PROJECT_REPONAME", "CIRCLE_SHA1",
    ]

    /// The context of this process.
    /// - Parameters:
    ///   - environment: the process environment (injected in tests).
    ///   - arguments: the command line to record.
    ///   - cwd: the working directory; git state is read from it.
    public static func capture(
        environment: [String: String], arguments: [String],
        cwd: String = FileManager.default.currentDirectoryPath
    ) -> RunContext {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? loginName()
        var ci: [String: String] = [:]
        for key in ciVariables { if let v = environment[key], !v.isEmpty { ci[key] = v } }
        return RunContext(
            user: user, host: hostName(), cwd: cwd, arguments: arguments,
            git: GitState.read(directory: cwd, environment: environment), ci: ci)
    }

    private static func loginName() -> String? {
        guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else { return nil }
        return String(cString: name)
    }

    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(cString: buffer)
        return name.isEmpty ? nil : name
    }
}

/// The commit and branch of a git working directory.
public struct GitState: Codable, Sendable, Equatable {
    /// The full hex id of the HEAD commit (JSON key `commit`).
    public var commit: String
    /// nil on a detached HEAD.
    public var branch: String?

    /// Creates a git state from its parts.
    public init(commit: String, branch: String?) {
        self.commit = commit
        self.branch = branch
    }

    /// Asks `git` (on `PATH`) for `directory`'s HEAD commit and branch; nil
    /// when git is missing, the directory is not in a repository, or the
    /// repository has no commit yet.
    public static func read(directory: String, environment: [String: String]) -> GitState? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "rev-parse", "HEAD", "--abbrev-ref", "HEAD"]
        var env = environment
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["LC_ALL"] = "C"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        guard let commit = lines.first, commit.count >= 40, commit.allSatisfy(\.isHexDigit) else { return nil }
        let branch = lines.count > 1 && lines[1] != "HEAD" ? lines[1] : nil
        return GitState(commit: commit, branch: branch)
    }
}
