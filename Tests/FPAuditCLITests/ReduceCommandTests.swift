import FPAuditKit
import Foundation
import XCTest
import _TestSupport

/// `fpaudit reduce` and `trace --reduce`: the reduced pair, its values and
/// the command that reproduces the failure; bad input is exit 2, located,
/// and writes nothing.
final class ReduceCommandTests: XCTestCase {
    let original = "Fixtures/json/reciprocal-multiply/original.json"
    let rewritten = "Fixtures/json/reciprocal-multiply/rewritten.json"
    let strict = "Policies/strict.yaml"

    /// Runs the `fpaudit verify ...` line of `command.txt` in-process.
    func reproduce(_ directory: String) async throws -> CLIResult {
        let line = try String(
            contentsOfFile: (directory as NSString).appendingPathComponent("command.txt"), encoding: .utf8)
        XCTAssertFalse(line.contains("'"), "temporary paths need no quoting: \(line)")
        let words = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        XCTAssertEqual(Array(words.prefix(2)), ["fpaudit", "verify"])
        return await fpaudit(Array(words.dropFirst()) + ["--no-log"])
    }

    func testReduceWritesAPairThatReproducesTheFailure() async throws {
        try await withTemporaryDirectory { dir in
            let out = dir.file("reduced").path
            let run = await fpaudit([
                "reduce", repoPath(original), repoPath(rewritten), "--policy", repoPath(strict), "--samples", "64",
                "--out", out,
            ])
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssert(run.out.contains("rule bits-lost fails on output z"), run.out)
            XCTAssert(run.out.contains("no value both graphs compute to cut"), run.out)
            XCTAssertFalse(FileManager.default.fileExists(atPath: "\(out)/original.hlo"), "JSON inputs: no HLO")
            for name in ["original.json", "rewritten.json", "values.json", "command.txt"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: "\(out)/\(name)"), name)
            }
            let replayed = try await reproduce(out)
            XCTAssertEqual(replayed.code, 1, replayed.err)
            XCTAssert(replayed.out.contains("error   bits-lost [z]"), replayed.out)
            XCTAssert(replayed.out.contains("verdict: FAIL"), replayed.out)
        }
    }

    /// The acceptance of issue 16: the failing algsimp step of the
    /// transformer block (strict policy) reduced to at most a tenth of its
    /// nodes, showing `x / broadcast(b)` becoming `x * broadcast(1/b)`, and
    /// verifying to the same failure.
    func testTraceReduceCutsTheAlgsimpStepToTheReciprocalRewrite() async throws {
        try await withTemporaryDirectory { dir in
            let out = dir.file("algsimp").path
            let page = dir.file("trace.html").path
            let dump = repoPath("Fixtures/xla/transformer_block/dump")
            let run = await fpaudit([
                "trace", dump, "--policy", repoPath(strict), "--samples", "64", "--no-log", "--quiet", "--reduce", out,
                "--html", page,
            ])
            XCTAssertEqual(run.code, 1, run.err)
            XCTAssert(run.err.contains("--reduce: step 7 (simplification/algsimp) fails"), run.err)
            XCTAssert(run.err.contains("rule bits-lost fails on output add.35"), run.err)
            // The HTML page links the reproducer from the failing step's section, relative to the page.
            let html = try String(contentsOfFile: page, encoding: .utf8)
            let section = try XCTUnwrap(html.range(of: "<section class=\"step failing\" id=\"step7\">"), html)
            let link = try XCTUnwrap(html.range(of: "Reduced reproducer: <a href=\"algsimp/command.txt\">"))
            XCTAssertGreaterThan(link.lowerBound, section.lowerBound)
            XCTAssert(html.contains("still fails bits-lost"), html)

            let stepFiles = [
                "module_0000.jit_transformer_block.0005.simplification.after_pipeline-start.before_algsimp.txt",
                "module_0000.jit_transformer_block.0006.simplification.after_algsimp.before_simplify-sorts.txt",
            ]
            let full = try stepFiles.map { try VerificationSubject.read(path: "\(dump)/\($0)").graph.liveNodeCount }
            let a = try VerificationSubject.read(path: "\(out)/original.json").graph
            let b = try VerificationSubject.read(path: "\(out)/rewritten.json").graph
            XCTAssertLessThanOrEqual(
                (a.liveNodeCount + b.liveNodeCount) * 10, full.reduce(0, +),
                "\(a.liveNodeCount) + \(b.liveNodeCount) nodes of \(full)")

            // ORIGINAL: x / broadcast(b); REWRITTEN: x * broadcast(1 / b), x and b the same parameters.
            let (ea, eb) = (a.entry, b.entry)
            let divide = ea.nodes[ea.root]
            XCTAssertEqual(divide.operation, .binary(.divide))
            let x = ea.nodes[divide.operands[0]]
            if case .parameter = x.operation {} else { XCTFail("x is fed: \(x)") }
            XCTAssertEqual(ea.nodes[divide.operands[1]].operation.opcodeName, "broadcast")
            let multiply = eb.nodes[eb.root]
            XCTAssertEqual(multiply.operation, .binary(.multiply))
            XCTAssertEqual(eb.nodes[multiply.operands[0]].name, x.name, "the same numerator")
            let broadcast = eb.nodes[multiply.operands[1]]
            XCTAssertEqual(broadcast.operation.opcodeName, "broadcast")
            let reciprocal = eb.nodes[broadcast.operands[0]]
            XCTAssertEqual(reciprocal.operation, .binary(.divide))
            XCTAssertEqual(Self.scalarConstant(eb, reciprocal.operands[0]), 1, "1 / b")
            let denominator = eb.nodes[reciprocal.operands[1]]
            if case .parameter = denominator.operation {} else { XCTFail("b is fed: \(denominator)") }
            func reaches(_ c: Computation, _ from: Int, _ name: String) -> Bool {
                c.nodes[from].name == name || c.nodes[from].operands.contains { reaches(c, $0, name) }
            }
            XCTAssertTrue(
                reaches(ea, divide.operands[1], denominator.name), "the same b below the original's broadcast")

            let replayed = try await reproduce(out)
            XCTAssertEqual(replayed.code, 1, replayed.err)
            XCTAssert(replayed.out.contains("error   bits-lost ["), replayed.out)

            // The inputs were HLO: the same pair as HLO modules, which replay to the same failure.
            XCTAssert(run.err.contains("\(out)/original.hlo, \(out)/rewritten.hlo"), run.err)
            let hloA = try VerificationSubject.read(path: "\(out)/original.hlo").graph
            let hloB = try VerificationSubject.read(path: "\(out)/rewritten.hlo").graph
            XCTAssertEqual(hloA.canonicalHash, a.canonicalHash)
            XCTAssertEqual(hloB.canonicalHash, b.canonicalHash)
            let hlo = await fpaudit([
                "verify", "\(out)/original.hlo", "\(out)/rewritten.hlo", "--replay", "\(out)/values.json", "--policy",
                repoPath(strict), "--no-log",
            ])
            XCTAssertEqual(hlo.code, 1, hlo.err)
            XCTAssert(hlo.out.contains("error   bits-lost ["), hlo.out)
        }
    }

    /// The value of a scalar constant, possibly broadcast.
    static func scalarConstant(_ c: Computation, _ i: Int) -> Double? {
        switch c.nodes[i].operation {
        case .constant(let t):
            guard case .floats(let v) = t.elements, Set(v).count == 1 else { return nil }
            return v[0]
        case .broadcast: return scalarConstant(c, c.nodes[i].operands[0])
        default: return nil
        }
    }

    func testAPassingPairIsNothingToReduceAndWritesNothing() async throws {
        try await withTemporaryDirectory { dir in
            let out = dir.file("reduced").path
            let run = await fpaudit([
                "reduce", repoPath(original), repoPath(rewritten), "--samples", "64", "--out", out,
            ])
            XCTAssertEqual(run.code, 2)
            XCTAssert(
                run.err.contains("error: nothing to reduce: the pair's verdict is warn under policy default"), run.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "the directory it created is removed")
        }
    }

    func testExistingFilesAreNeverOverwritten() async throws {
        try await withTemporaryDirectory { dir in
            let kept = try dir.write("mine\n", to: "values.json")
            let run = await fpaudit([
                "reduce", repoPath(original), repoPath(rewritten), "--policy", repoPath(strict), "--out", dir.url.path,
            ])
            XCTAssertEqual(run.code, 2)
            XCTAssert(
                run.err.contains("values.json: error: cannot write file: it exists and --out never overwrites"), run.err
            )
            XCTAssertEqual(try String(contentsOf: kept, encoding: .utf8), "mine\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("original.json").path), "nothing written")
        }
    }

    func testOutMustBeADirectoryWithAParent() async throws {
        try await withTemporaryDirectory { dir in
            let file = try dir.write("x\n", to: "file")
            let run = await fpaudit(["reduce", repoPath(original), repoPath(rewritten), "--out", file.path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("\(file.path): error: cannot write file: --out names a file"), run.err)
            let orphan = dir.file("missing/out").path
            let missing = await fpaudit(["reduce", repoPath(original), repoPath(rewritten), "--out", orphan])
            XCTAssertEqual(missing.code, 2)
            XCTAssert(missing.err.contains("its parent directory"), missing.err)
        }
        let usage = await fpaudit(["reduce", repoPath(original), repoPath(rewritten)])
        XCTAssertEqual(usage.code, 2, "--out is required")
    }

    func testUnreadableAndMalformedGraphsAreLocated() async throws {
        try await withTemporaryDirectory { dir in
            let missing = await fpaudit([
                "reduce", "/nonexistent/a.json", repoPath(rewritten), "--out", dir.file("o").path,
            ])
            XCTAssertEqual(missing.code, 2)
            XCTAssert(missing.err.contains("/nonexistent/a.json: error: cannot read file"), missing.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("o").path))
            let bad = try dir.write(
                "{\n  \"parameters\": [\n    {\"name\": \"x\" \"dtype\": \"f32\"}\n  ]\n}\n", to: "bad.json")
            let malformed = await fpaudit(["reduce", bad.path, repoPath(rewritten), "--out", dir.file("o").path])
            XCTAssertEqual(malformed.code, 2)
            XCTAssert(malformed.err.contains("bad.json:3:18: error:"), malformed.err)
        }
    }

    func testTheOutputCannotReplaceAnInput() async throws {
        try await withTemporaryDirectory { dir in
            let a = try dir.write(try String(contentsOfFile: repoPath(original), encoding: .utf8), to: "original.json")
            let run = await fpaudit(["reduce", a.path, repoPath(rewritten), "--out", dir.url.path])
            XCTAssertEqual(run.code, 2)
            XCTAssert(run.err.contains("original.json: error: cannot write file: it exists"), run.err)
        }
    }

    func testTraceReduceNeverReplacesTheTraceReportAndSaysWhenNoStepFails() async throws {
        let dump = repoPath("Fixtures/xla/transformer_block/dump")
        try await withTemporaryDirectory { dir in
            let clash = await fpaudit([
                "trace", dump, "--no-log", "--output", dir.file("values.json").path, "--reduce", dir.url.path,
            ])
            XCTAssertEqual(clash.code, 2)
            XCTAssert(clash.err.contains("--reduce would overwrite another output of this trace"), clash.err)

            let out = dir.file("none").path
            let passing = await fpaudit(["trace", dump, "--samples", "16", "--no-log", "--quiet", "--reduce", out])
            XCTAssertEqual(passing.code, 0, passing.err)
            XCTAssert(passing.err.contains("--reduce: no step fails; nothing was reduced or written"), passing.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }

    /// The example `docs/reduce.md` shows still reproduces with its own command.
    func testTheDocumentedExampleReproduces() async throws {
        let example = repoPath("docs/examples/reduced-algsimp")
        let line = try String(contentsOfFile: "\(example)/command.txt", encoding: .utf8)
        let words = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        XCTAssertEqual(Array(words.prefix(2)), ["fpaudit", "verify"])
        let arguments = words.dropFirst().map { $0.contains("/") ? repoPath($0) : $0 }
        let run = await fpaudit(arguments + ["--no-log"])
        XCTAssertEqual(run.code, 1, run.err)
        XCTAssert(run.out.contains("error   bits-lost [div.17]"), run.out)
        for name in ["original", "rewritten"] {
            let json = try VerificationSubject.read(path: "\(example)/\(name).json").graph
            let hlo = try VerificationSubject.read(path: "\(example)/\(name).hlo").graph
            XCTAssertEqual(json.canonicalHash, hlo.canonicalHash, name)
        }
    }
}
