import FPEval
import FPVerify
import Foundation
import XCTest
import _TestSupport

@testable import FPPolicy

final class PolicyLoaderTests: XCTestCase {
    func testBuiltinDefaultIsByteIdenticalToTheShippedFile() throws {
        let shipped = try String(contentsOf: fixtureURL("Policies/default.yaml"), encoding: .utf8)
        XCTAssertEqual(PolicyLoader.builtinDefaultYAML, shipped)
        let loaded = try PolicyLoader.load(path: fixtureURL("Policies/default.yaml").path)
        XCTAssertEqual(loaded.canonicalHash, PolicyLoader.builtinDefault.canonicalHash)
        XCTAssertEqual(loaded.rules, PolicyLoader.builtinDefault.rules)
    }

    func testShippedPoliciesLoad() throws {
        for name in ["default", "strict", "ml-inference"] {
            let p = try PolicyLoader.load(path: fixtureURL("Policies/\(name).yaml").path)
            XCTAssertEqual(p.name, name)
            XCTAssertFalse(p.rules.isEmpty)
        }
    }

    func testSettingsInputsAndFields() throws {
        let p = try PolicyLoader.load(
            yaml: """
                name: full
                version: 2.1
                settings: {samples: 64, seed: 9, exec: double, precision: 256, precision_cap: 512,
                           reduction_order: pairwise, subnormals: flush}
                inputs:
                  "x*": normal(0, 3)
                  w: ieee
                rules:
                  - id: r
                    description: d
                    severity: warning
                    scope: {outputs: "*norm*", dtypes: [f32, bfloat16], passes: [fusion], graphs: abc*}
                    require: bits_lost.max <= 1
                waivers:
                  - rule: r
                    match: {graph: model*, pass: "fus*", output: y}
                    reason: known
                    approved_by: alice
                    expires: 2026-12-31
                """, path: "full.yaml")
        XCTAssertEqual(p.version, "2.1")
        XCTAssertEqual(
            p.settings,
            PolicySettings(
                samples: 64, seed: 9, exec: .double, precision: .bits(256),
                precisionCap: 512, reductionOrder: .pairwise, subnormals: .flush))
        XCTAssertEqual(
            p.inputs,
            [InputRule(pattern: "x*", distribution: "normal(0, 3)"), InputRule(pattern: "w", distribution: "ieee")])
        XCTAssertEqual(p.inputDistributions(for: ["x1", "w", "b"]), ["x1": .normal(mean: 0, std: 3), "w": .ieee])
        XCTAssertEqual(
            p.rules[0].scope,
            RuleScope(outputs: ["*norm*"], dtypes: [.f32, .bf16], passes: ["fusion"], graphs: ["abc*"]))
        XCTAssertEqual(
            p.waivers[0],
            Waiver(
                rule: "r", match: WaiverMatch(graph: "model*", pass: "fus*", output: "y"),
                reason: "known", approvedBy: "alice", expires: "2026-12-31"))
        var config = VerificationConfig()
        p.settings.apply(to: &config)
        XCTAssertEqual(
            [config.samples, Int(config.seed), config.fixedPrecision, config.maxPrecision], [64, 9, 256, 512])
        XCTAssertEqual(config.exec, .double)
        XCTAssertEqual(config.subnormals, .flush)
    }

    func testExtendsMerging() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write(
            """
            name: base
            version: "1"
            settings: {samples: 100, seed: 3}
            inputs: {"x*": "uniform(0, 1)", y: ieee}
            rules:
              - {id: a, severity: error, require: bits_lost.max <= 2}
              - {id: b, severity: warning, require: bits_lost.max <= 1}
            waivers:
              - {rule: a, reason: parent, approved_by: p, expires: 2030-01-01}
            """, to: "base.yaml")
        try FileManager.default.createDirectory(at: dir.file("team"), withIntermediateDirectories: true)
        try dir.write(
            """
            extends: ../base.yaml
            name: child
            settings: {seed: 5}
            inputs: {"x1": "normal(0, 1)"}
            rules:
              - {id: a, severity: warning, require: bits_lost.max <= 4}
              - {id: c, severity: info, require: worse_share < 0.5}
            waivers:
              - {rule: c, reason: child, approved_by: q, expires: 2030-01-01}
            """, to: "team/child.yaml")
        let p = try PolicyLoader.load(path: dir.file("team/child.yaml").path)
        XCTAssertEqual(p.name, "child")
        XCTAssertEqual(p.version, "1")  // inherited
        XCTAssertEqual(p.settings, PolicySettings(samples: 100, seed: 5))  // key by key
        XCTAssertEqual(p.inputs.map(\.pattern), ["x1", "x*", "y"])  // child first
        XCTAssertEqual(p.rules.map(\.id), ["a", "b", "c"])  // replaced in place, appended
        XCTAssertEqual(p.rules[0].severity, .warning)
        XCTAssertEqual(p.rules[0].require.canonical, "bits_lost.max <= 4")
        XCTAssertEqual(p.waivers.map(\.reason), ["parent", "child"])  // concatenated
        XCTAssertEqual(p.extendsChain.count, 1)
        XCTAssertEqual(
            p.inputDistributions(for: ["x1", "x2"]), ["x1": .normal(mean: 0, std: 1), "x2": .uniform(lo: 0, hi: 1)])
    }

    func testExtendsCycleIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("extends: b.yaml\nname: a\n", to: "a.yaml")
        try dir.write("name: b\nextends: a.yaml\n", to: "b.yaml")
        let a = dir.file("a.yaml").standardizedFileURL.path
        let b = dir.file("b.yaml").standardizedFileURL.path
        XCTAssertThrowsError(try PolicyLoader.load(path: a)) { error in
            XCTAssertEqual(
                (error as? PolicyError)?.description,
                "\(b):2:10: error: extends: extends cycle: \(a) -> \(b) -> \(a)")
        }
        try dir.write("name: s\nextends: s.yaml\n", to: "s.yaml")
        XCTAssertThrowsError(try PolicyLoader.load(path: dir.file("s.yaml").path))
    }

    func testErrorsInAParentNameTheParentFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("name: p\nrules:\n  - {id: a, severity: error, require: bits_lost.maxx < 1}\n", to: "p.yaml")
        try dir.write("extends: p.yaml\nname: c\n", to: "c.yaml")
        XCTAssertThrowsError(try PolicyLoader.load(path: dir.file("c.yaml").path)) { error in
            XCTAssertEqual(
                (error as? PolicyError)?.description,
                "\(dir.file("p.yaml").path):3:39: error: rules[0].require: unknown metric 'bits_lost.maxx' (did you mean 'bits_lost.max'?)"
            )
        }
    }

    func testUnreadableFile() {
        XCTAssertThrowsError(try PolicyLoader.load(path: "/nonexistent/p.yaml")) { error in
            guard case .unreadable(let path, _)? = error as? PolicyError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/p.yaml")
        }
    }

    func testCanonicalHashIgnoresFormattingOrderAndComments() throws {
        let a = try PolicyLoader.load(
            yaml: """
                name: h
                version: "1"
                rules:
                  - id: r
                    severity: error
                    require: bits_lost.max<=2 and new_nonfinite==0
                """, path: "a.yaml")
        let b = try PolicyLoader.load(
            yaml: """
                # a comment
                rules: [{require: "(bits_lost.max <= 2) and (new_nonfinite == 0)", severity: error, id: r}]
                version: '1'   # quoted differently
                name: "h"
                """, path: "b.yaml")
        XCTAssertEqual(a.canonicalHash, b.canonicalHash)
        XCTAssertEqual(a.canonicalHash.count, 64)
        let c = try PolicyLoader.load(
            yaml: "name: h\nversion: '1'\nrules: [{id: r, severity: error, require: bits_lost.max <= 3}]",
            path: "c.yaml")
        XCTAssertNotEqual(a.canonicalHash, c.canonicalHash)
    }

    func testExplainedPolicyReloadsToTheSameRules() throws {
        let ml = try PolicyLoader.load(path: fixtureURL("Policies/ml-inference.yaml").path)
        let text = ml.explained()
        XCTAssertTrue(text.contains("samples: 1024"))  // defaults made explicit
        XCTAssertTrue(text.contains("extends"))
        let reloaded = try PolicyLoader.load(yaml: text, path: "explained.yaml")
        XCTAssertEqual(reloaded.rules, ml.rules)
        let canonical = try PolicyLoader.load(yaml: ml.canonicalText, path: "canonical.yaml")
        XCTAssertEqual(canonical.canonicalHash, ml.canonicalHash)
    }

    /// A child repeating a parent's input pattern shadows it; the canonical text holds it once and reloads.
    func testARepeatedInputPatternIsKeptOnceAndTheCanonicalTextReloads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("name: base\nversion: \"1\"\ninputs:\n  x: uniform(0, 1)\n  y: normal(0, 2)\n", to: "base.yaml")
        let child = try dir.write("extends: base.yaml\nname: child\ninputs:\n  x: uniform(-1, 1)\n", to: "child.yaml")
        let policy = try PolicyLoader.load(path: child.path)
        XCTAssertEqual(policy.inputs.map(\.pattern), ["x", "y"])
        XCTAssertEqual(policy.inputs.first?.distribution, "uniform(-1, 1)")
        let reloaded = try PolicyLoader.load(yaml: policy.canonicalText, path: dir.file("canonical.yaml").path)
        XCTAssertEqual(reloaded.canonicalHash, policy.canonicalHash)
    }

    /// `log replay` loads a recorded policy's data files from the log, not from disk.
    func testDataFilesCanComeFromElsewhereThanTheDisk() throws {
        let bytes = try Data(contentsOf: fixtureURL("Fixtures/policy/w.npy"))
        let onDisk = try PolicyLoader.load(path: fixtureURL("Fixtures/policy/fixed-weights.yaml").path)
        var asked: [String] = []
        let recorded = try PolicyLoader.load(yaml: onDisk.canonicalText, path: "/nowhere/policy.yaml") { path in
            asked.append(path)
            return path == "/nowhere/w.npy" ? bytes : nil
        }
        XCTAssertEqual(asked, ["/nowhere/w.npy"])
        XCTAssertEqual(recorded.canonicalHash, onDisk.canonicalHash, "the same bytes give the same policy")
        XCTAssertThrowsError(
            try PolicyLoader.load(yaml: onDisk.canonicalText, path: "/nowhere/policy.yaml") { _ in nil }
        ) {
            XCTAssertTrue("\($0)".contains("cannot read data file '/nowhere/w.npy'"), "\($0)")
        }
    }
}
