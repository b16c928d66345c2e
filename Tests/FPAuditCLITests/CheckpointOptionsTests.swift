import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// `--params`, `--inputs-from` and their options, end to end on the trained flax
/// classifier (Fixtures/xla/trained_classifier).
final class CheckpointOptionsTests: XCTestCase {
    let model = fixtureURL("xla/trained_classifier")

    func dump(_ suffix: String) throws -> String {
        let dir = model.appendingPathComponent("dump")
        let name = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(suffix) })
        return dir.appendingPathComponent(name).path
    }

    func pair() throws -> [String] {
        [try dump(".before_optimizations.txt"), try dump(".cpu_after_optimizations.txt")]
    }

    /// A JSON value as sorted-key text, for comparing decoded reports.
    func canonical(_ value: Any?) -> String {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
            return "nil"
        }
        return String(decoding: data, as: UTF8.self)
    }

    var weights: String { model.appendingPathComponent("weights.safetensors").path }
    var recorded: String { model.appendingPathComponent("inputs.npz").path }

    func testWeightsAndRecordedInputsAreRecordedInTheReport() async throws {
        let run = await fpaudit(
            ["verify"] + (try pair()) + [
                "--params", weights, "--inputs-from", recorded, "--samples", "4", "--format", "json", "--no-log",
            ])
        XCTAssertEqual(run.code, 0, run.err)
        let config = try XCTUnwrap(run.json["config"] as? [String: Any])
        let checkpoints = try XCTUnwrap(config["checkpoints"] as? [String: Any])
        let files = try XCTUnwrap(checkpoints["files"] as? [[String: Any]])
        XCTAssertEqual(files.first?["sha256"] as? String, try Checkpoint.read(path: weights).sha256)
        XCTAssertEqual((checkpoints["bindings"] as? [Any])?.count, 8)
        XCTAssertEqual(checkpoints["kept_sampled"] as? [String], ["x.1"])
        let inputs = try XCTUnwrap(config["recorded_inputs"] as? [String: Any])
        XCTAssertEqual(inputs["recorded_samples"] as? Int, 32)
        XCTAssertEqual((inputs["rows"] as? [Int])?.count, 4)
        XCTAssertEqual(config["samples"] as? Int, 4)

        let text = await fpaudit(
            ["verify"] + (try pair()) + ["--params", weights, "--inputs-from", recorded, "--samples", "2", "--no-log"])
        XCTAssert(text.out.contains("weights: 8 parameters from weights.safetensors (sha256 "), text.out)
        XCTAssert(text.out.contains("recorded inputs: inputs.npz (sha256 "), text.out)
        XCTAssert(text.out.contains("2 of 32 recorded samples of x.1"), text.out)
    }

    func testJSONLinesRecordTheSameSamplesAsNpz() async throws {
        try await withTemporaryDirectory { dir in
            // The recorded set as JSON Lines: x of each sample, one values object per line.
            let inputs = try RecordedInputs.read(path: recorded)
            var lines = ""
            for row in inputs.arrays[0].rows {
                let tensor = Tensor(type: inputs.arrays[0].type, elements: row)
                let object = String(
                    decoding: ValuesJSON.write(NamedTensors(names: ["x"], tensors: [tensor])), as: UTF8.self)
                lines += object.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
            let jsonl = dir.file("x.jsonl")
            try Data(lines.utf8).write(to: jsonl)
            func outputs(_ file: String) async throws -> String {
                let run = await fpaudit(
                    ["verify"] + (try self.pair()) + [
                        "--params", self.weights, "--inputs-from", file, "--format", "json", "--no-log",
                    ])
                XCTAssertEqual(run.code, 0, run.err)
                return self.canonical(run.json["outputs"])
            }
            let fromLines = try await outputs(jsonl.path)
            let fromNpz = try await outputs(self.recorded)
            XCTAssertEqual(fromLines, fromNpz)
            XCTAssert(fromLines.contains("bits"))
        }
    }

    func testStrictAndMappingErrors() async throws {
        let strict = await fpaudit(["verify"] + (try pair()) + ["--params", weights, "--params-strict", "--no-log"])
        XCTAssertEqual(strict.code, 2, strict.err)
        XCTAssert(strict.err.contains("--params-strict: parameters without a tensor: x.1"), strict.err)

        try await withTemporaryDirectory { dir in
            let map = dir.file("map.json")
            try Data(#"{"x": null, "variables['params']['Dense_0']['bias']": "params.Dense_0.bias"}"#.utf8).write(
                to: map)
            let ok = await fpaudit(
                ["verify"] + (try self.pair()) + [
                    "--params", self.weights, "--params-map", map.path, "--params-strict", "--samples", "2", "--no-log",
                ])
            XCTAssertEqual(ok.code, 0, ok.err)
            XCTAssert(ok.out.contains("1 by mapping, 7 by suffix"), ok.out)

            try Data(#"{"y": null}"#.utf8).write(to: map)
            let bad = await fpaudit(
                ["verify"] + (try self.pair()) + ["--params", self.weights, "--params-map", map.path, "--no-log"])
            XCTAssertEqual(bad.code, 2, bad.err)
            XCTAssert(bad.err.contains("map.json: error: 'y' is not a parameter of the graph"), bad.err)
        }
        let alone = await fpaudit(["verify"] + (try pair()) + ["--params-strict", "--no-log"])
        XCTAssertEqual(alone.code, 2)
        XCTAssert(alone.err.contains("need --params"), alone.err)
    }

    func testBadFilesAreLocatedErrors() async throws {
        try await withTemporaryDirectory { dir in
            let broken = dir.file("w.safetensors")
            var bytes = try Data(contentsOf: URL(fileURLWithPath: self.weights))
            bytes.removeLast(10)
            try bytes.write(to: broken)
            let run = await fpaudit(["verify"] + (try self.pair()) + ["--params", broken.path, "--no-log"])
            XCTAssertEqual(run.code, 2, run.err)
            XCTAssert(run.err.contains("w.safetensors: error: tensor '"), run.err)
            XCTAssert(run.err.contains("truncated"), run.err)

            let tooMany = await fpaudit(
                ["verify"] + (try self.pair()) + ["--inputs-from", self.recorded, "--samples", "33", "--no-log"])
            XCTAssertEqual(tooMany.code, 2)
            XCTAssert(tooMany.err.contains("the file records 32 samples; --samples 33 asks for more"), tooMany.err)

            let wrongShape = dir.file("x.npz")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: self.weights), to: wrongShape)
            let mismatch = await fpaudit(
                ["verify"] + (try self.pair()) + ["--inputs-from", wrongShape.path, "--no-log"])
            XCTAssertEqual(mismatch.code, 2, mismatch.err)
            XCTAssert(
                mismatch.err.contains("leading sample axis") || mismatch.err.contains("cannot bind"), mismatch.err)

            let perturbAlone = await fpaudit(["verify"] + (try self.pair()) + ["--perturb", "2", "--no-log"])
            XCTAssertEqual(perturbAlone.code, 2)
        }
    }

    func testOutputOverACheckpointIsRefused() async throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: weights))
        for (option, file) in [("--params", weights), ("--inputs-from", recorded)] {
            let run = await fpaudit(["verify"] + (try pair()) + [option, file, "--output", file, "--no-log"])
            XCTAssertEqual(run.code, 2, run.err)
            XCTAssert(
                run.err.contains(
                    "--output would overwrite \(option == "--params" ? "a --params checkpoint" : "the --inputs-from file")"
                ),
                run.err)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: weights)), before)
    }

    func testPerturbationIsSeededAndRecorded() async throws {
        func run(_ extra: [String]) async throws -> CLIResult {
            await fpaudit(
                ["verify"] + (try pair()) + [
                    "--params", weights, "--inputs-from", recorded, "--samples", "3", "--format", "json", "--no-log",
                ] + extra)
        }
        let a = try await run(["--perturb", "4"])
        let b = try await run(["--perturb", "4"])
        let plain = try await run([])
        XCTAssertEqual(a.code, 0, a.err)
        XCTAssertEqual(
            ((a.json["config"] as? [String: Any])?["recorded_inputs"] as? [String: Any])?["perturb_ulps"] as? Int, 4)
        let worst = { (r: CLIResult) in self.canonical((r.json["outputs"] as? [[String: Any]])?.first?["worst"]) }
        XCTAssertEqual(worst(a), worst(b), "the same seed moves the same elements")
        XCTAssertNotEqual(worst(a), worst(plain), "perturbed inputs differ from the recorded ones")
    }

    func testReplayUsesTheSameFilesAndRefusesChangedOnes() async throws {
        try await withTemporaryDirectory { dir in
            let w = dir.file("w.safetensors")
            let x = dir.file("x.npz")
            try FileManager.default.copyItem(at: URL(fileURLWithPath: self.weights), to: w)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: self.recorded), to: x)
            let log = dir.file("audit.db").path
            let run = await fpaudit(
                ["verify"] + (try self.pair()) + [
                    "--params", w.path, "--inputs-from", x.path, "--samples", "3", "--perturb", "1", "--log", log,
                    "--quiet",
                ])
            XCTAssertEqual(run.code, 0, run.err)
            let replay = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(replay.code, 0, replay.out + replay.err)
            XCTAssert(replay.out.contains("reproduced"), replay.out)

            var bytes = try Data(contentsOf: w)
            bytes[bytes.count - 1] ^= 1
            try bytes.write(to: w)
            let changed = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(changed.code, 1)
            XCTAssert(changed.out.contains("the checkpoint changed since the run was recorded"), changed.out)

            try FileManager.default.removeItem(at: w)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: self.weights), to: w)
            var inputs = try Data(contentsOf: x)
            inputs[inputs.count / 2] ^= 1
            try inputs.write(to: x)
            let changedInputs = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(changedInputs.code, 1)
            XCTAssert(changedInputs.out.contains("x.npz: error:"), changedInputs.out)
        }
    }
}

/// `checkpoint(FILE)` in a policy's `inputs:`: the file's SHA-256 is in the policy's
/// canonical hash, its tensors bind to the parameters the pattern matches first, and a
/// replay reads it again next to the recorded policy.
final class PolicyCheckpointTests: XCTestCase {
    let model = fixtureURL("xla/trained_classifier")

    func pair() throws -> [String] {
        let dir = model.appendingPathComponent("dump")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        return try [".before_optimizations.txt", ".cpu_after_optimizations.txt"].map { suffix in
            dir.appendingPathComponent(try XCTUnwrap(files.first { $0.hasSuffix(suffix) })).path
        }
    }

    func testPolicyCheckpointBindsItsPatternAndReplays() async throws {
        try await withTemporaryDirectory { dir in
            let weights = dir.file("w.safetensors")
            try FileManager.default.copyItem(at: self.model.appendingPathComponent("weights.safetensors"), to: weights)
            let policy = dir.file("policy.yaml")
            try Data(
                """
                name: real-weights
                version: 1
                extends: \(fixtureURL("Policies/default.yaml").path)
                inputs:
                  "variables*": checkpoint(w.safetensors)
                  "x*": uniform(-4, 4)
                """.utf8
            ).write(to: policy)
            let log = dir.file("audit.db").path
            let run = await fpaudit(
                ["verify"] + (try self.pair()) + ["--policy", policy.path, "--samples", "3", "--log", log])
            XCTAssertEqual(run.code, 0, run.err)
            XCTAssert(run.out.contains("weights: 8 parameters from w.safetensors"), run.out)
            XCTAssert(run.out.contains("x.1 ~ uniform(-4, 4)"), run.out)

            let shown = await fpaudit(["policy", "explain", policy.path])
            let sha = try Checkpoint.read(path: weights.path).sha256
            XCTAssertEqual(shown.code, 0, shown.err)
            XCTAssert(shown.out.contains("checkpoint(w.safetensors)\"  # sha256 \(sha)"), shown.out)

            let replay = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(replay.code, 0, replay.out + replay.err)

            var bytes = try Data(contentsOf: weights)
            bytes[bytes.count - 1] ^= 1
            try bytes.write(to: weights)
            let changed = await fpaudit(["log", "replay", "1", "--log", log])
            XCTAssertEqual(changed.code, 1, changed.out)

            let bad = dir.file("bad.yaml")
            try Data("name: b\nversion: 1\ninputs:\n  w: checkpoint(w.bin)\n".utf8).write(to: bad)
            let refused = await fpaudit(["verify"] + (try self.pair()) + ["--policy", bad.path, "--no-log"])
            XCTAssertEqual(refused.code, 2)
            XCTAssert(refused.err.contains("checkpoints are .safetensors or .npz files"), refused.err)
        }
    }
}
