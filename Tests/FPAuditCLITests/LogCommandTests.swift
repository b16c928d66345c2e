import FPAuditLog
import Foundation
import GRDB
import XCTest
import _TestSupport

/// `verify`/`trace` recording into the audit log, and the `fpaudit log` commands.
final class LogCommandTests: XCTestCase {
    let pair = "Fixtures/json/reciprocal-multiply"

    func verifyArgs(_ pair: String, log: String, _ extra: [String] = []) -> [String] {
        [
            "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"), "--samples", "16",
            "--quiet", "--log", log,
        ] + extra
    }

    func testVerifyRecordsOneEntryWithEverythingItNeeds() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("logs/audit.db").path
            var env = ProcessInfo.processInfo.environment
            env["GITHUB_RUN_ID"] = "4242"
            env["FPAUDIT_LOG"] = nil
            let args = verifyArgs(pair, log: log, ["--pass", "algsimp", "--format", "json"])
            let run = await fpaudit(args, environment: env)
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssertEqual(run.err, "", "nothing on standard error when it is not a terminal")
            let report = run.json
            let store = try AuditLog(path: log, create: false)
            XCTAssertEqual(try store.count(), 1)
            let e = try store.entry("1")
            let r = e.record
            XCTAssertEqual(r.command, .verify)
            XCTAssertEqual(r.pass, "algsimp")
            XCTAssertNil(r.trace)
            XCTAssertEqual(r.context.ci["GITHUB_RUN_ID"], "4242")
            XCTAssertEqual(r.context.arguments, args)
            XCTAssertEqual(r.original.path, repoPath("\(pair)/original.json"))
            XCTAssertEqual(r.original.sha256, (report["original"] as? [String: Any])?["sha256"] as? String)
            XCTAssertEqual(
                r.rewritten.canonicalHash, (report["rewritten"] as? [String: Any])?["canonical_hash"] as? String)
            XCTAssertEqual(r.original.format, "json")
            XCTAssertEqual(r.policy.name, "default")
            XCTAssertEqual(r.policy.canonicalHash, (report["policy"] as? [String: Any])?["canonical_hash"] as? String)
            XCTAssertEqual(r.config.verification.samples, 16)
            XCTAssertEqual(r.config.defaults, ["x": "uniform(1, 2)", "y": "uniform(0.5, 4)"])
            XCTAssertEqual(r.config.failOn, .error)
            XCTAssertEqual(r.verdict.rawValue, report["verdict"] as? String)
            let output = try XCTUnwrap((report["outputs"] as? [[String: Any]])?.first)
            XCTAssertEqual(r.outputs.first?.bitsLost.max, (output["bits_lost"] as? [String: Any])?["max"] as? Double)
            XCTAssertEqual(
                r.findings.map(\.rule), (report["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String })
            // The stored blobs are the files and the report as written.
            XCTAssertEqual(
                try store.blob(r.original.sha256!, kind: .graph),
                try Data(contentsOf: URL(fileURLWithPath: repoPath("\(pair)/original.json"))))
            XCTAssertEqual(try store.blob(r.report!, kind: .report) + Data("\n".utf8), Data(run.out.utf8))
            XCTAssertTrue(
                String(decoding: try store.blob(r.policy.canonicalHash, kind: .policy), as: UTF8.self)
                    .hasPrefix("name: \"default\""))
            let second = await fpaudit(
                verifyArgs(pair, log: log).filter { $0 != "--quiet" }, environment: env, terminal: true)
            XCTAssertTrue(
                second.err.contains("audit log: recorded entry 2 ("),
                "a terminal is told where the entry went: \(second.err)")
        }
    }

    func testWhereTheLogGoes() async throws {
        try await withTemporaryDirectory { dir in
            var env = ProcessInfo.processInfo.environment
            env["FPAUDIT_LOG"] = nil
            let base = [
                "verify", repoPath("\(pair)/original.json"), repoPath("\(pair)/rewritten.json"), "--samples", "4",
                "--quiet",
            ]
            do {
                let r = await fpaudit(base, environment: env, workingDirectory: dir.url.path)
                XCTAssertEqual(r.code, 0)
            }
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: dir.file(".fpaudit/audit.db").path), "the default location")
            env["FPAUDIT_LOG"] = "from-env.db"
            do {
                let r = await fpaudit(base, environment: env, workingDirectory: dir.url.path)
                XCTAssertEqual(r.code, 0)
            }
            XCTAssertEqual(
                try AuditLog(path: dir.file("from-env.db").path, create: false).count(), 1,
                "FPAUDIT_LOG, relative to the working directory")
            do {
                let r = await fpaudit(base + ["--log", "flag.db"], environment: env, workingDirectory: dir.url.path)
                XCTAssertEqual(r.code, 0)
            }
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: dir.file("flag.db").path), "--log wins over FPAUDIT_LOG")
            do {
                let r = await fpaudit(base + ["--no-log"], environment: env, workingDirectory: dir.url.path)
                XCTAssertEqual(r.code, 0)
            }
            XCTAssertEqual(
                try AuditLog(path: dir.file("from-env.db").path, create: false).count(), 1, "--no-log records nothing")
            let list = await fpaudit(["log", "list"], environment: env, workingDirectory: dir.url.path)
            XCTAssertEqual(list.code, 0)
            XCTAssertTrue(list.out.contains("entries 1-1 of 1"), list.out)
        }
    }

    func testTraceRecordsEveryStepAndTheEndToEndPairAsOneRun() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            let run = await fpaudit([
                "trace", repoPath("Fixtures/xla/divide_by_16/dump"), "--samples", "8", "--quiet",
                "--log", log, "--format", "json",
            ])
            XCTAssertNotEqual(run.code, 2, run.err)
            let steps = run.json["steps"] as? [[String: Any]] ?? []
            let store = try AuditLog(path: log, create: false)
            var q = LogQuery()
            q.newestFirst = false
            let entries = try store.entries(q).entries
            XCTAssertEqual(entries.count, steps.count + 1)
            XCTAssertEqual(Set(entries.map(\.record.run)).count, 1, "one invocation, one run id")
            XCTAssertEqual(entries.map { $0.record.trace?.step }, Array(1...(steps.count + 1)))
            XCTAssertEqual(entries.last?.record.pass, "end-to-end")
            XCTAssertEqual(entries.last?.record.trace?.kind, .endToEnd)
            XCTAssertTrue(
                entries.allSatisfy { $0.record.command == .trace && $0.record.config.verification.match == .position })
            XCTAssertEqual(entries.dropLast().map(\.record.pass), steps.map { $0["pass"] as? String })
            let unchanged = entries.filter { $0.record.outcome == .unchanged }
            XCTAssertFalse(unchanged.isEmpty)
            XCTAssertTrue(
                unchanged.allSatisfy {
                    $0.record.verdict == .unchanged
                        && $0.record.original.canonicalHash == $0.record.rewritten.canonicalHash
                })
            XCTAssertTrue(entries.contains { $0.record.outcome == .verified })
            XCTAssertTrue(try store.verifyChain().isIntact)
        }
    }

    func testStepsThatCannotBeVerifiedAreRecordedAndReplayed() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            try FileManager.default.copyItem(
                atPath: repoPath("Fixtures/trace/affine/step0-input.json"), toPath: dir.file("a.json").path)
            try FileManager.default.copyItem(
                atPath: repoPath("Fixtures/trace/affine/step2-algsimp.json"), toPath: dir.file("b.json").path)
            try dir.write("{ \"format\": \"fpaudit.graph/v1\", \"name\": \n", to: "bad.json")
            let manifest = try dir.write(
                """
                [{"pass": "input", "graph": "a.json"}, {"pass": "broken", "graph": "bad.json"}, {"pass": "algsimp", "graph": "b.json"}]
                """, to: "trace.json")
            let trace = await fpaudit(["trace", manifest.path, "--samples", "8", "--quiet", "--log", log])
            XCTAssertEqual(trace.code, 2, "a step that cannot be verified is bad input")
            let store = try AuditLog(path: log, create: false)
            let broken = try store.entry("1").record
            XCTAssertEqual(broken.outcome, .error)
            XCTAssertEqual(broken.verdict, .error)
            XCTAssertTrue(
                broken.error?.contains("bad.json:2:1: error: expected a JSON value") == true, broken.error ?? "")
            XCTAssertNotNil(broken.rewritten.sha256, "the unreadable snapshot's bytes are kept too")
            XCTAssertNil(broken.rewritten.canonicalHash)
            XCTAssertEqual(try store.entry("3").record.verdict, .pass, "the end-to-end pair still verifies")
            let errors = await fpaudit(["log", "query", "--log", log, "--verdict", "error", "--format", "jsonl"])
            XCTAssertEqual(errors.out.split(separator: "\n").count, 2)
            let replay = await fpaudit(["log", "replay", "1", "2", "3", "--log", log])
            XCTAssertEqual(replay.code, 0, replay.out)
            XCTAssertTrue(replay.out.contains("outcome   identical (error)"), replay.out)
            XCTAssertTrue(replay.out.contains("error     identical"), replay.out)
        }
    }

    func testQueriesFilterAndFormat() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            do {
                let r = await fpaudit(verifyArgs("Fixtures/json/log1p-naive", log: log, ["--pass", "simplify-log"]))
                XCTAssertEqual(r.code, 1)
            }
            do {
                let r = await fpaudit(verifyArgs(pair, log: log, ["--pass", "algsimp"]))
                XCTAssertEqual(r.code, 0)
            }
            do {
                let r = await fpaudit(verifyArgs("Fixtures/json/div-by-four", log: log, ["--pass", "algsimp-div"]))
                XCTAssertEqual(r.code, 0)
            }
            let fails = await fpaudit(["log", "query", "--log", log, "--verdict", "fail"])
            XCTAssertEqual(fails.code, 0)
            XCTAssertTrue(fails.out.contains("simplify-log") && !fails.out.contains("algsimp"), fails.out)
            XCTAssertTrue(fails.out.hasSuffix("1 matching entry\n"), fails.out)

            let lost = await fpaudit(["log", "query", "--log", log, "--where", "bits_lost.max > 2", "--format", "json"])
            let lostEntries = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(lost.out.utf8)) as? [[String: Any]])
            XCTAssertEqual(
                lostEntries.compactMap { ($0["record"] as? [String: Any])?["pass"] as? String }, ["simplify-log"])
            let someLoss = await fpaudit([
                "log", "query", "--log", log, "--where", "bits_lost.max > 0.5", "--pass", "algsimp*",
                "--format", "jsonl",
            ])
            XCTAssertEqual(someLoss.out.split(separator: "\n").count, 1, someLoss.out)
            XCTAssertTrue(someLoss.out.contains("\"pass\":\"algsimp\""), someLoss.out)
            let perRun = await fpaudit([
                "log", "query", "--log", log, "--where", "samples.measured == 16", "--format", "csv",
            ])
            let rows = perRun.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            XCTAssertEqual(rows.count, 4, perRun.out)
            XCTAssertTrue(rows[0].hasPrefix("seq,id,timestamp,command,pass,"))
            let none = await fpaudit(["log", "query", "--log", log, "--output", "nonexistent"])
            XCTAssertTrue(none.out.hasPrefix("no entries"), none.out)
            let since = await fpaudit([
                "log", "query", "--log", log, "--since", "1h", "--until", "2099-01-01", "--format", "jsonl",
            ])
            XCTAssertEqual(since.out.split(separator: "\n").count, 3)
            let old = await fpaudit(["log", "query", "--log", log, "--until", "2020-01-01"])
            XCTAssertTrue(old.out.hasPrefix("no entries"), old.out)

            let page = await fpaudit(["log", "list", "--log", log, "--limit", "2", "--page", "2"])
            XCTAssertTrue(page.out.contains("entries 3-3 of 3, newest first"), page.out)
            XCTAssertTrue(page.out.contains("simplify-log"), "the oldest entry is on the last page: \(page.out)")

            let stats = await fpaudit(["log", "stats", "--log", log, "--format", "json"])
            let passes = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as? [[String: Any]])
            XCTAssertEqual(passes.compactMap { $0["pass"] as? String }, ["algsimp", "algsimp-div", "simplify-log"])
            XCTAssertEqual(passes.last?["failures"] as? Int, 1)
            XCTAssertGreaterThan(passes.last?["worst_bits_lost"] as? Double ?? 0, 20)
            let table = await fpaudit(["log", "stats", "--log", log, "--where", "bits_lost.max > 2"])
            XCTAssertTrue(table.out.hasPrefix("pass "), table.out)
            XCTAssertEqual(table.out.split(separator: "\n").count, 2, table.out)

            let show = await fpaudit(["log", "show", "3", "--log", log])
            XCTAssertTrue(show.out.contains("command    verify, pass algsimp-div"), show.out)
            XCTAssertTrue(show.out.contains("verdict: PASS"), show.out)
            let json = await fpaudit(["log", "show", "1", "--log", log, "--format", "json"])
            let shown = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]])
            XCTAssertEqual((shown.first?["record"] as? [String: Any])?["verdict"] as? String, "fail")
            let report = await fpaudit(["log", "show", "1", "--log", log, "--report"])
            XCTAssertTrue(report.out.contains("\"schema\" : \"fpaudit.report/v1\""), report.out)
        }
    }

    func testReplayReproducesEveryFixtureBitForBit() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            let pairs = try FileManager.default.contentsOfDirectory(atPath: repoPath("Fixtures/json")).sorted()
                .filter { FileManager.default.fileExists(atPath: repoPath("Fixtures/json/\($0)/original.json")) }
            XCTAssertEqual(pairs.count, 14)
            for p in pairs { _ = await fpaudit(verifyArgs("Fixtures/json/\(p)", log: log, ["--pass", p])) }
            // One more: a single input set (`--replay` of a saved worst case), with --exec double and a fixed precision.
            let worst = dir.file("worst.json").path
            _ = await fpaudit(
                verifyArgs("Fixtures/json/log1p-naive", log: dir.file("scratch.db").path, ["--save-worst", worst]))
            _ = await fpaudit(
                verifyArgs(
                    "Fixtures/json/log1p-naive", log: log,
                    ["--replay", worst, "--exec", "double", "--precision", "200"]))
            let recorded = try AuditLog(path: log, create: false).entry(String(pairs.count + 1)).record
            XCTAssertNotNil(recorded.config.replayInputs)
            XCTAssertEqual(recorded.samples?.requested, 1)
            let replay = await fpaudit(["log", "replay", "--log", log] + (1...pairs.count + 1).map(String.init))
            XCTAssertEqual(replay.code, 0, replay.out)
            XCTAssertTrue(replay.out.hasSuffix("15 of 15 entries reproduced\n"), replay.out)
            XCTAssertTrue(
                replay.out.contains("re-ran the recorded input set, seed 1, exec double, precision 200"), replay.out)
            XCTAssertFalse(replay.out.contains("DIFFERS"))
        }
    }

    func testReplayReproducesATraceAndAVerifyRunWithoutTheOriginalFiles() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            // Copies of the graphs, a policy with fixed data, a parent and a waiver: all deleted before the replay.
            let fm = FileManager.default
            try fm.createDirectory(at: dir.file("Policies"), withIntermediateDirectories: true)
            try fm.createDirectory(at: dir.file("a/b"), withIntermediateDirectories: true)
            try fm.copyItem(atPath: repoPath("Policies/default.yaml"), toPath: dir.file("Policies/default.yaml").path)
            try fm.copyItem(atPath: repoPath("Fixtures/policy/w.npy"), toPath: dir.file("a/b/w.npy").path)
            try dir.write(
                """
                name: pinned
                version: "2"
                extends: ../../Policies/default.yaml
                inputs:
                  w: data(w.npy)
                  "x*": uniform(-4, 4)
                waivers:
                  - rule: accuracy-loss
                    reason: a known half-bit regression
                    approved_by: numerics-team
                    expires: 2099-12-31
                """, to: "a/b/pinned.yaml")
            for name in ["original.json", "rewritten.json"] {
                try fm.copyItem(atPath: repoPath("Fixtures/json/bf16-roundtrip/\(name)"), toPath: dir.file(name).path)
            }
            let verify = await fpaudit([
                "verify", dir.file("original.json").path, dir.file("rewritten.json").path,
                "--samples", "16", "--quiet", "--log", log, "--policy", dir.file("a/b/pinned.yaml").path,
            ])
            XCTAssertNotEqual(verify.code, 2, verify.err)
            let trace = await fpaudit([
                "trace", repoPath("Fixtures/trace/affine/trace.json"), "--samples", "8", "--quiet",
                "--log", log,
            ])
            XCTAssertNotEqual(trace.code, 2, trace.err)
            let store = try AuditLog(path: log, create: false)
            let first = try store.entry("1").record
            XCTAssertEqual(first.policy.data.map(\.file), ["w.npy"])
            XCTAssertEqual(first.config.fixed["w"]?.description, "data(w.npy)")
            for item in ["Policies", "a", "original.json", "rewritten.json"] { try fm.removeItem(at: dir.file(item)) }
            let all = (1...(try store.count())).map(String.init)
            let replay = await fpaudit(["log", "replay", "--log", log] + all)
            XCTAssertEqual(replay.code, 0, replay.out)
            XCTAssertTrue(replay.out.contains("policy pinned v2: canonical hash"), replay.out)
            XCTAssertTrue(replay.out.hasSuffix("\(all.count) of \(all.count) entries reproduced\n"), replay.out)
        }
    }

    func testReplayReportsWhatDoesNotReproduce() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            _ = await fpaudit(verifyArgs(pair, log: log))
            // Someone edits the recorded figure: replay disagrees.
            try editRecord(log, seq: 1, replacing: "\"bits_lost\":{\"max\":1,", with: "\"bits_lost\":{\"max\":0.25,")
            let replay = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(replay.code, 1, replay.out)
            XCTAssertTrue(replay.out.contains("outputs   DIFFERS"), replay.out)
            XCTAssertTrue(replay.out.contains("outputs[0].bits_lost.max: recorded 0.25, replayed 1"), replay.out)
            XCTAssertTrue(replay.out.hasSuffix("not reproduced: 1 difference\n"), replay.out)
            let verify = await fpaudit(["log", "verify", "--log", log])
            XCTAssertEqual(verify.code, 1)
            XCTAssertTrue(verify.out.contains("the first entry that does not match is 1"), verify.out)
        }
    }

    func testReplayJudgesWaiversAsOfTheRecordedDate() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            let policy = try dir.write(
                """
                name: waived
                version: "1"
                rules:
                  - id: no-loss
                    severity: error
                    require: bits_lost.max <= 0
                waivers:
                  - rule: no-loss
                    reason: one rounding, reviewed
                    approved_by: numerics-team
                    expires: 2099-12-31
                """, to: "waived.yaml"
            ).path
            let run = await fpaudit(verifyArgs(pair, log: log, ["--policy", policy]))
            XCTAssertEqual(run.code, 0, "the only failure is waived")
            let recorded = try AuditLog(path: log, create: false).entry("1").record
            XCTAssertEqual(recorded.waivers.map(\.rule), ["no-loss"])
            XCTAssertEqual(recorded.config.waiversAsOf.count, 10)
            let same = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(same.code, 0, same.out)
            XCTAssertTrue(same.out.contains("waivers judged as of \(recorded.config.waiversAsOf)"), same.out)
            // Were the run recorded as judged on 2100-01-01, the waiver would have expired and the verdict would fail.
            try editRecord(
                log, seq: 1, replacing: "\"waivers_as_of\":\"\(recorded.config.waiversAsOf)\"",
                with: "\"waivers_as_of\":\"2100-01-01\"")
            let later = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(later.code, 1, later.out)
            XCTAssertTrue(later.out.contains("waivers   DIFFERS"), later.out)
            XCTAssertTrue(later.out.contains("verdict: recorded \"pass\", replayed \"fail\""), later.out)
        }
    }

    func testSigningAnchorsAndOfflineExports() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            let key = dir.file("ci.key").path
            let keygen = await fpaudit(["log", "keygen", key])
            XCTAssertEqual(keygen.code, 0, keygen.err)
            let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o600)
            do {
                let r = await fpaudit(["log", "keygen", key])
                XCTAssertEqual(r.code, 2, "no overwriting without --force")
            }
            do {
                let r = await fpaudit(verifyArgs(pair, log: log, ["--sign-key", key]))
                XCTAssertEqual(r.code, 0)
            }
            let head = await fpaudit(["log", "head", "--log", log])
            let anchor = head.out.trimmingCharacters(in: .newlines)
            XCTAssertTrue(anchor.hasPrefix("1:"), anchor)
            do {
                let r = await fpaudit(verifyArgs(pair, log: log, ["--sign-key", key]))
                XCTAssertEqual(r.code, 0)
            }

            let checked = await fpaudit([
                "log", "verify", "--log", log, "--public-key", key + ".pub", "--anchor", anchor,
            ])
            XCTAssertEqual(checked.code, 0, checked.out)
            XCTAssertTrue(checked.out.contains("signatures: 2 of 2 valid"), checked.out)
            XCTAssertTrue(checked.out.contains("intact"), checked.out)

            do {
                let r = await fpaudit(["log", "keygen", dir.file("other.key").path])
                XCTAssertEqual(r.code, 0)
            }
            let wrongKey = await fpaudit([
                "log", "verify", "--log", log, "--public-key", dir.file("other.key.pub").path,
            ])
            XCTAssertEqual(wrongKey.code, 1)
            XCTAssertTrue(wrongKey.out.contains("not by the given public key"), wrongKey.out)

            let wrongAnchor = await fpaudit([
                "log", "verify", "--log", log, "--anchor", "2:" + String(repeating: "0", count: 64),
            ])
            XCTAssertEqual(wrongAnchor.code, 1)
            XCTAssertTrue(wrongAnchor.out.contains("entry 2: does not match the anchor"), wrongAnchor.out)

            let export = dir.file("chain.jsonl").path
            do {
                let r = await fpaudit(["log", "export", "--log", log, "--blobs", "-o", export])
                XCTAssertEqual(r.code, 0)
            }
            let offline = await fpaudit([
                "log", "verify", "--export", export, "--public-key", key + ".pub", "--format", "json",
            ])
            XCTAssertEqual(offline.code, 0, offline.out)
            XCTAssertEqual(offline.json["intact"] as? Bool, true)
            XCTAssertEqual(offline.json["entries"] as? Int, 2)
            let stdout = await fpaudit(["log", "export", "--log", log])
            XCTAssertEqual(stdout.out.split(separator: "\n").count, 3, "header and two entries")
        }
    }

    func testBadInputGetsAClearErrorAndExitCode2() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            _ = await fpaudit(verifyArgs(pair, log: log))
            let text = try dir.write("not a database", to: "notes.txt").path
            let cases: [([String], String)] = [
                (
                    verifyArgs(pair, log: text),
                    "\(text): error: not an fpaudit audit log: the file is not an SQLite database"
                ),
                (verifyArgs(pair, log: dir.url.path), "error: cannot open the audit log: it is a directory"),
                (verifyArgs(pair, log: log, ["--sign-key", dir.file("nokey").path]), "cannot read key file"),
                (verifyArgs(pair, log: log, ["--sign-key", text]), "not an Ed25519 private key"),
                (verifyArgs(pair, log: log, ["--no-log"]), "--no-log cannot be combined with --log or --sign-key"),
                (
                    ["log", "list", "--log", dir.file("none.db").path],
                    "no such file (nothing has been recorded there yet"
                ),
                (["log", "show", "77", "--log", log], "error: no audit log entry '77'"),
                (["log", "replay", "nope", "--log", log], "error: no audit log entry 'nope'"),
                (["log", "query", "--log", log, "--since", "7x"], "error: --since '7x': expected a UTC date"),
                (
                    ["log", "query", "--log", log, "--where", "bits_lost.maxx > 1"],
                    "--where:1:1: error: where: unknown metric 'bits_lost.maxx' (did you mean 'bits_lost.max'?)"
                ),
                (["log", "query", "--log", log, "--where", "bits_lost.max >"], "--where:1:"),
                (
                    ["log", "query", "--log", log, "--verdict", "bad"],
                    "--verdict 'bad': expected one of pass, warn, fail, unchanged, error"
                ),
                (
                    ["log", "query", "--log", log, "--graph", "zz"],
                    "error: --graph 'zz': expected at least 4 hex digits"
                ),
                (["log", "verify", "--log", log, "--anchor", "one"], "--anchor 'one': expected SEQ:HASH"),
                (
                    ["log", "verify", "--export", text],
                    "\(text):1: error: expected an fpaudit.log-export/v1 header line"
                ),
                (["log", "export", "--log", log, "--format", "csv"], "log export writes jsonl"),
                (["log", "stats", "--log", log, "--format", "jsonl"], "log stats writes table, json or csv"),
                (["log", "replay", "--log", log], "Missing expected argument"),
            ]
            for (args, message) in cases {
                let run = await fpaudit(args)
                XCTAssertEqual(run.code, 2, "\(args): \(run.out)\(run.err)")
                XCTAssertTrue(run.err.contains(message), "\(args): expected '\(message)' in: \(run.err)")
            }
            XCTAssertEqual(try AuditLog(path: log, create: false).count(), 1, "no failed run wrote an entry")
        }
    }

    /// Real `fpaudit verify` processes, four at a time on one new log, as parallel CI jobs would.
    func testConcurrentVerifyProcessesShareOneChain() throws {
        let exe = try builtProduct("fpaudit")
        let dir = try TemporaryDirectory(prefix: "fpaudit-cli-concurrent")
        defer { dir.remove() }
        let log = dir.file("ci/audit.db").path
        for round in 0..<5 {
            let jobs = try (0..<4).map { job -> Process in
                let p = Process()
                p.executableURL = exe
                p.arguments = verifyArgs(pair, log: log, ["--pass", "job\(job)-round\(round)"])
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                return p
            }
            for p in jobs {
                p.waitUntilExit()
                XCTAssertEqual(p.terminationStatus, 0)
            }
        }
        let store = try AuditLog(path: log, create: false)
        XCTAssertEqual(try store.count(), 20)
        XCTAssertTrue(try store.verifyChain().isIntact)
        XCTAssertEqual(Set(try store.entries(LogQuery()).entries.compactMap(\.record.pass)).count, 20)
    }

    func testAppendingToALogOfANewerFpauditFailsTheRunLoudly() async throws {
        try await withTemporaryDirectory { dir in
            let log = dir.file("audit.db").path
            _ = await fpaudit(verifyArgs(pair, log: log))
            try editDatabase(log) { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-future')")
            }
            let run = await fpaudit(verifyArgs(pair, log: log))
            XCTAssertEqual(run.code, 2)
            XCTAssertTrue(run.err.contains("written by a newer fpaudit (unknown migrations: v9-future)"), run.err)
            XCTAssertEqual(run.out, "", "nothing is verified when the run could not be recorded")
        }
    }
}

/// Raw SQL on a log file, as someone editing it by hand would.
func editDatabase(_ path: String, _ body: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction(body)
    try queue.close()
}

/// Rewrites part of an entry's stored record text (dropping the trigger that forbids it), as a tamperer would.
func editRecord(
    _ path: String, seq: Int64, replacing old: String, with new: String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    try editDatabase(path) { db in
        try db.execute(sql: "DROP TRIGGER IF EXISTS entries_no_update")
        let text = try String.fetchOne(db, sql: "SELECT record FROM entries WHERE seq = ?", arguments: [seq]) ?? ""
        let edited = text.replacingOccurrences(of: old, with: new)
        XCTAssertNotEqual(edited, text, "'\(old)' is not in the record", file: file, line: line)
        try db.execute(sql: "UPDATE entries SET record = ? WHERE seq = ?", arguments: [edited, seq])
    }
}
