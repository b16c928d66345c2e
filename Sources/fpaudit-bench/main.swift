// fpaudit-bench: measured, not asserted. Prints each of our timings next to a
// baseline measured in the same run, as a ratio. Run with `make bench`.
import CMPFRShims
import Crypto
import Dispatch
import FPAuditLog
import FPEval
import FPFormats
import FPGraph
import FPNumerics
import FPPolicy
import FPTrace
import FPVerify
import Foundation
import GRDB
import RealModule
import _TestSupport

/// The benchmark graph: the same ten element-ops, in the same order, as the C
/// baseline `fpa_bench_c_loop` in Sources/CMPFRShims (t1 = x*x ... y = t9 + t7).
func benchmarkGraph(n: Int, dtype: DType) throws -> Graph {
    let shape = [n]
    func node(_ name: String, _ op: FPGraph.Operation, _ operands: [String]) -> NodeSpec {
        NodeSpec(name: name, operation: op, operands: operands)
    }
    let one = Tensor(type: ArrayType(dtype, []), elements: .floats([1]))
    let nodes = [
        NodeSpec(name: "x", operation: .parameter(index: 0), dtype: dtype, shape: shape),
        NodeSpec(name: "one", operation: .constant(one)),
        node("t1", .binary(.multiply), ["x", "x"]),
        node("t2", .binary(.add), ["t1", "one"]),
        node("t3", .unary(.sqrt), ["t2"]),
        node("t4", .unary(.exp), ["x"]),
        node("t5", .binary(.multiply), ["t4", "x"]),
        node("t6", .binary(.subtract), ["t5", "t3"]),
        node("t7", .unary(.log1p), ["t1"]),
        node("t8", .binary(.divide), ["t6", "t2"]),
        node("t9", .unary(.tanh), ["t8"]),
        node("y", .binary(.add), ["t9", "t7"]),
    ]
    return try GraphBuilder(limits: GraphLimits(maxElements: 1 << 26))
        .build(GraphSpec(computations: [ComputationSpec(name: "main", nodes: nodes)], entry: "main", source: "bench"))
}

func inputs(_ n: Int) -> [Double] { (0..<n).map { (Double($0) - Double(n) / 2) / (Double(n) / 8) } }

/// Best of `repeats` wall-clock timings, in seconds.
func time(repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

func report(_ label: String, ours: Double, baseline: Double, goal: Double? = nil) {
    let ratio = ours / baseline
    print(
        label.padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(format: " ours %8.2f ms  baseline %8.2f ms  ratio %5.2fx", ours * 1e3, baseline * 1e3, ratio)
            + (goal.map { String(format: "  (goal <= %.1fx)", $0) } ?? ""))
}

let n = 100_000
let elementOps = 10 * n
/// `fpaudit-bench --log-only` runs section 4 alone, `--softmax-only` section 3b alone,
/// `--truth-only` sections 3b to 3e (the whole-process rows of the tiered truth and of
/// element sampling), `--elements-only` section 3e alone.
let logOnly = CommandLine.arguments.contains("--log-only")
let softmaxOnly = CommandLine.arguments.contains("--softmax-only")
let truthOnly = CommandLine.arguments.contains("--truth-only")
let elementsOnly = CommandLine.arguments.contains("--elements-only")
var sink = 0.0
if softmaxOnly {
    wholeProcessSoftmax()
    exit(0)
}
if elementsOnly {
    elementSamplingTable()
    exit(0)
}
if truthOnly {
    wholeProcessSoftmax()
    wholeProcessTrace()
    scalingTable()
    exit(0)
}
if !logOnly {
    print("fpaudit-bench: \(elementOps) element-ops per evaluation (n = \(n), 10 ops per element)")

    // 1. MPFR interpreter vs the C loop making the same MPFR calls.
    let precision = 128
    let graph64 = try benchmarkGraph(n: n, dtype: .f64)
    let x = inputs(n)
    let cTime = time { sink += fpa_bench_c_loop(n, precision, 1) }
    let mpfrTime = try time {
        let interpreter = Interpreter(graph: graph64, domain: MPFRDomain(precision: precision))
        try interpreter.run([.floats(x)])
        var s = 0.0
        for i in 0..<n { s += interpreter.outputDouble(0, i) }
        sink += s
    }
    report("MPFR interpreter @128 bits vs C loop", ours: mpfrTime, baseline: cTime, goal: 1.3)

    // The same with 5 evaluations per timing, so allocation (C: one mpfr_init2 per
    // value; ours: one block per node) weighs less and the arithmetic dominates.
    let reps = 5
    let cSteady = time(repeats: 3) { sink += fpa_bench_c_loop(n, precision, Int32(reps)) }
    let mpfrSteady = try time(repeats: 3) {
        let interpreter = Interpreter(graph: graph64, domain: MPFRDomain(precision: precision))
        for _ in 0..<reps { try interpreter.run([.floats(x)]) }
        var s = 0.0
        for i in 0..<n { s += interpreter.outputDouble(0, i) }
        sink += s
    }
    report("  the same, \(reps) evaluations per timing", ours: mpfrSteady, baseline: cSteady, goal: 1.3)

    // 2. IEEE interpreter (declared f64 and f32) vs plain Swift loops doing the same arithmetic.
    /// The baseline: plain Swift loops over preallocated arrays, node by node,
    /// calling the same libm functions (through swift-numerics, as the interpreter does).
    func swiftLoop<T: Real & BinaryFloatingPoint>(_ x: [T]) -> Double {
        var t = [[T]](repeating: [T](repeating: 0, count: n), count: 10)
        for i in 0..<n { t[0][i] = x[i] * x[i] }
        for i in 0..<n { t[1][i] = t[0][i] + 1 }
        for i in 0..<n { t[2][i] = t[1][i].squareRoot() }
        for i in 0..<n { t[3][i] = T.exp(x[i]) }
        for i in 0..<n { t[4][i] = t[3][i] * x[i] }
        for i in 0..<n { t[5][i] = t[4][i] - t[2][i] }
        for i in 0..<n { t[6][i] = T.log(onePlus: t[0][i]) }
        for i in 0..<n { t[7][i] = t[5][i] / t[1][i] }
        for i in 0..<n { t[8][i] = T.tanh(t[7][i]) }
        for i in 0..<n { t[9][i] = t[8][i] + t[6][i] }
        return Double(t[9].reduce(0, +))
    }
    let interpreter64 = Interpreter(graph: graph64, domain: IEEEDomain(mode: .declared))
    let ieee64 = try time(repeats: 9) {
        try interpreter64.run([.floats(x)])
        var s = 0.0
        for i in 0..<n { s += interpreter64.outputDouble(0, i) }
        sink += s
    }
    let loop64 = time(repeats: 9) { sink += swiftLoop(x) }
    report("IEEE interpreter f64 vs Swift loop", ours: ieee64, baseline: loop64, goal: 2)

    let graph32 = try benchmarkGraph(n: n, dtype: .f32)
    let x32 = x.map { Float($0) }
    let x32d = x32.map(Double.init)
    let interpreter32 = Interpreter(graph: graph32, domain: IEEEDomain(mode: .declared))
    let ieee32 = try time(repeats: 9) {
        try interpreter32.run([.floats(x32d)])
        var s = 0.0
        for i in 0..<n { s += interpreter32.outputDouble(0, i) }
        sink += s
    }
    let loop32 = time(repeats: 9) { sink += swiftLoop(x32) }
    report("IEEE interpreter f32 vs Swift loop", ours: ieee32, baseline: loop32, goal: 2)

    // 3. End-to-end verify on every shipped fixture (1024 samples, default settings).
    let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first { !$0.hasPrefix("--") } ?? "Fixtures/json")
    let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    print("\nverify, 1024 samples, 2 workers, adaptive truth (best of 3):")
    var total = 0.0
    for name in folders {
        let dir = root.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("original.json").path) else { continue }
        func subject(_ file: String) throws -> VerificationSubject {
            let path = dir.appendingPathComponent(file)
            return try VerificationSubject.read(data: Data(contentsOf: path), path: path.path)
        }
        let verifier = try Verifier(
            original: subject("original.json"), rewritten: subject("rewritten.json"),
            config: VerificationConfig())
        var verdict = ""
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            var result = try await verifier.run()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            PolicyEvaluator(policy: PolicyLoader.builtinDefault).judge(&result)
            verdict = result.verdict.rawValue
        }
        total += best
        print(
            "  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: " %8.1f ms  ", best * 1e3)
                + verdict)
    }
    print("  " + "total".padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: " %8.1f ms", total * 1e3))

    // 3b. Whole process against a script: `fpaudit verify` of stable vs naive softmax (f32[8],
    // x ~ uniform(50, 92), 1024 samples) against scripts/bench/softmax_mpmath.py making the same
    // measurement with numpy and mpmath (both graphs, a 128-bit truth). Issue 15's goal: >= 20x.
    wholeProcessSoftmax()
    // 3c. `fpaudit trace` of the transformer block, tiered truth against MPFR alone.
    wholeProcessTrace()
    // 3d. Time against samples and against graph size.
    scalingTable()
    // 3e. Element sampling: a big dot measured on 256 elements per sample against every element.
    elementSamplingTable()
}

/// Wall-clock seconds of one run of `executable` with `arguments` (best of `repeats`), or nil
/// when it cannot be started or fails.
func processTime(_ executable: String, _ arguments: [String], repeats: Int = 3) -> Double? {
    var best = Double.infinity
    for _ in 0..<repeats {
        guard let seconds = spawnAndWait(executable, arguments) else { return nil }
        best = min(best, seconds)
    }
    return best
}

/// Runs `executable` with its output discarded and returns the seconds from
/// the spawn to the reaped exit (nil when it could not run or exited above 1,
/// the naive softmax failing its policy). `posix_spawn` and `waitpid`, not
/// Foundation's `Process`: on Linux `waitUntilExit` polls its run loop and
/// adds up to 50 ms, which was half of a 0.1 s measurement.
func spawnAndWait(_ executable: String, _ arguments: [String]) -> Double? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // WIFEXITED and WEXITSTATUS, which Swift does not import as macros.
    let exited = status & 0x7f == 0
    let code = (status >> 8) & 0xff
    return exited && code <= 1 ? seconds : nil
}

/// The best wall-clock seconds of each command over `rounds` rounds that run
/// every command once, in turn: on a machine whose speed drifts, both sides
/// of a ratio then see the same moments. Nil for a command that could not run.
func interleavedBest(_ commands: [(executable: String, arguments: [String])], rounds: Int) -> [Double?] {
    var best = [Double?](repeating: .infinity, count: commands.count)
    for _ in 0..<rounds {
        for (k, command) in commands.enumerated() where best[k] != nil {
            guard let seconds = spawnAndWait(command.executable, command.arguments) else {
                best[k] = nil
                continue
            }
            best[k] = min(best[k]!, seconds)
        }
    }
    return best
}

func wholeProcessSoftmax() {
    let fpaudit = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("fpaudit").path
    print(
        "\nwhole process, stable vs naive softmax, f32[8], x ~ uniform(50, 92), 1024 samples"
            + " (best of 5, the two alternated):")
    let times = interleavedBest(
        [(fpaudit, softmaxArguments), ("/usr/bin/env", ["python3", "scripts/bench/softmax_mpmath.py", "1024"])],
        rounds: 5)
    guard let ours = times[0] else {
        print("  skipped: \(fpaudit) did not run (make bench builds it)")
        return
    }
    guard let script = times[1] else {
        print("  skipped: python3 with numpy and mpmath is needed for the baseline")
        return
    }
    report("fpaudit verify vs numpy+mpmath script", ours: ours, baseline: script)
    print(String(format: "  fpaudit is %.1fx faster (goal >= 20x)", script / ours))
    if let mpfr = processTime(fpaudit, softmaxArguments + ["--truth", "mpfr"]) {
        report("  the same with --truth mpfr", ours: mpfr, baseline: script)
    }
}

/// The path of the `fpaudit` binary built next to this one.
var fpauditBinary: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fpaudit").path
}

/// A computed property: top-level constants of main.swift are set in order, after the
/// sections above that already use this.
var softmaxArguments: [String] {
    [
        "verify", "Fixtures/json/softmax-naive/original.json", "Fixtures/json/softmax-naive/rewritten.json",
        "--input", "x=uniform(50,92)", "--no-log", "--quiet", "--workers", "2",
    ]
}

/// Runs `fpaudit` with `arguments` plus a JSON report into a temporary file; the seconds
/// taken and the report's truth points (interval, ball, mpfr) summed over every report in it.
func timedReport(_ arguments: [String]) -> (seconds: Double, interval: Int, ball: Int, mpfr: Int)? {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("fpaudit-bench-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: out) }
    guard
        let seconds = processTime(
            fpauditBinary, arguments + ["--format", "json", "--output", out.path], repeats: 1),
        let data = try? Data(contentsOf: out), let json = try? JSONSerialization.jsonObject(with: data)
    else { return nil }
    var points = (interval: 0, ball: 0, mpfr: 0)
    func walk(_ value: Any) {
        if let object = value as? [String: Any] {
            if let t = object["truth_points"] as? [String: Any] {
                points.interval += t["interval"] as? Int ?? 0
                points.ball += t["ball"] as? Int ?? 0
                points.mpfr += t["mpfr"] as? Int ?? 0
            }
            object.values.forEach(walk)
        } else if let array = value as? [Any] {
            array.forEach(walk)
        }
    }
    walk(json)
    return (seconds, points.interval, points.ball, points.mpfr)
}

func wholeProcessTrace() {
    let dump = "Fixtures/xla/transformer_block/dump"
    print("\nwhole process, trace \(dump), 1024 samples (one run each):")
    guard let tiered = timedReport(["trace", dump, "--no-log", "--quiet"]),
        let mpfr = timedReport(["trace", dump, "--no-log", "--quiet", "--truth", "mpfr"])
    else {
        print("  skipped: \(fpauditBinary) did not run (make bench builds it)")
        return
    }
    report("trace, tiered truth vs --truth mpfr", ours: tiered.seconds, baseline: mpfr.seconds)
    let total = Double(max(1, tiered.interval + tiered.ball + tiered.mpfr))
    print(
        String(
            format: "  %.1f s (goal <= 10 s); of %d truth points intervals decided %.1f%%, balls %.1f%%, MPFR %.1f%%",
            tiered.seconds, tiered.interval + tiered.ball + tiered.mpfr, 100 * Double(tiered.interval) / total,
            100 * Double(tiered.ball) / total, 100 * Double(tiered.mpfr) / total))
}

/// Time of `verify` (first vs last snapshot of the transformer block) against the number of
/// samples, and of `verify` of a chain of elementwise ops against the number of elements.
func scalingTable() {
    let dump = "Fixtures/xla/transformer_block/dump"
    guard let files = try? FileManager.default.contentsOfDirectory(atPath: dump).sorted(), files.count >= 2 else {
        return
    }
    print("\ntime against samples: verify first vs last snapshot of \(dump):")
    print("  samples   seconds   per sample")
    for samples in [128, 256, 512, 1024, 2048] {
        guard
            let t = timedReport([
                "verify", "\(dump)/\(files.first!)", "\(dump)/\(files.last!)", "--samples", "\(samples)", "--no-log",
                "--quiet",
            ])
        else { return }
        print(String(format: "  %7d  %8.2f   %6.2f ms", samples, t.seconds, 1e3 * t.seconds / Double(samples)))
    }
    print(
        "\ntime against graph size: verify of a 10-op elementwise chain on f32[n] against its reassociation, 64 samples:"
    )
    print("  elements   seconds   per element")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fpaudit-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for size in [1024, 4096, 16384, 65536] {
        let (a, b) = (
            directory.appendingPathComponent("a\(size).json"), directory.appendingPathComponent("b\(size).json")
        )
        guard (try? Data(chainGraph(size, reassociated: false).utf8).write(to: a)) != nil,
            (try? Data(chainGraph(size, reassociated: true).utf8).write(to: b)) != nil,
            let t = timedReport(["verify", a.path, b.path, "--samples", "64", "--no-log", "--quiet"])
        else { return }
        print(String(format: "  %8d  %8.2f   %6.2f us", size, t.seconds, 1e6 * t.seconds / Double(size)))
    }
}

/// A square f32 `dot` of two parameters, on f32 operands or on operands rounded to bf16.
func dotGraph(_ n: Int, bf16: Bool) -> String {
    let cast =
        bf16
        ? #"{"name": "ah", "op": "convert", "operands": ["a"], "dtype": "bf16"}, {"name": "bh", "op": "convert", "operands": ["b"], "dtype": "bf16"},"#
        : ""
    let operands = bf16 ? #"["ah", "bh"]"# : #"["a", "b"]"#
    return """
        {"parameters": [{"name": "a", "dtype": "f32", "shape": [\(n), \(n)]},
                        {"name": "b", "dtype": "f32", "shape": [\(n), \(n)]}],
         "nodes": [\(cast)
                   {"name": "c", "op": "dot", "operands": \(operands), "dtype": "f32",
                    "lhs_contracting": [1], "rhs_contracting": [0]}],
         "outputs": ["c"]}
        """
}

/// Peak resident memory of one run of `fpaudit` with `arguments`, in MB (nil without /usr/bin/time).
func peakMegabytes(_ arguments: [String]) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    process.arguments = ["-f", "%M", fpauditBinary] + arguments
    let err = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = err
    guard (try? process.run()) != nil else { return nil }
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    return Double(last.trimmingCharacters(in: .whitespaces)).map { $0 / 1024 }
}

/// `verify` of an n×n dot against the same dot on bf16 operands, 8 samples: every element
/// against `--elements 256` (a random 16×16 box per sample, 16 rows and 16 columns evaluated).
func elementSamplingTable() {
    print("\nelement sampling: verify of an n×n f32 dot vs the dot of bf16-rounded operands, 8 samples:")
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fpaudit-bench-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    func files(_ n: Int) -> (String, String)? {
        let (a, b) = (directory.appendingPathComponent("a\(n).json"), directory.appendingPathComponent("b\(n).json"))
        guard (try? Data(dotGraph(n, bf16: false).utf8).write(to: a)) != nil,
            (try? Data(dotGraph(n, bf16: true).utf8).write(to: b)) != nil
        else { return nil }
        return (a.path, b.path)
    }
    let common = ["--samples", "8", "--no-log", "--quiet", "--max-work", "1e12"]
    for n in [128, 256] {
        guard let (a, b) = files(n),
            let all = processTime(fpauditBinary, ["verify", a, b, "--elements", "all"] + common, repeats: 1),
            let sampled = processTime(fpauditBinary, ["verify", a, b, "--elements", "256"] + common, repeats: 1)
        else { return }
        report("  n = \(n): --elements 256 vs all", ours: sampled, baseline: all)
    }
    guard let (a, b) = files(4096),
        let sampled = processTime(fpauditBinary, ["verify", a, b] + common, repeats: 1)
    else { return }
    let peak = peakMegabytes(["verify", a, b] + common).map { String(format: ", peak %.0f MB", $0) } ?? ""
    print(String(format: "  n = 4096, --elements auto (256): %.2f s", sampled) + peak + " (every element: not run)")
}

/// A graph in our JSON format: y = ((x·x + 1)·x − x/3 + exp(−x))·x, with the sums grouped as
/// written or reassociated.
func chainGraph(_ n: Int, reassociated: Bool) -> String {
    let last =
        reassociated
        ? #"{"name": "s", "op": "add", "operands": ["p", "q"]}, {"name": "t", "op": "subtract", "operands": ["s", "d"]}"#
        : #"{"name": "s", "op": "subtract", "operands": ["p", "d"]}, {"name": "t", "op": "add", "operands": ["s", "q"]}"#
    return """
        {"format": "fpaudit.graph/v1", "parameters": [{"name": "x", "dtype": "f32", "shape": [\(n)]}],
         "nodes": [
          {"name": "one", "op": "constant", "dtype": "f32", "value": "0x1p+0"},
          {"name": "three", "op": "constant", "dtype": "f32", "value": "0x1.8p+1"},
          {"name": "xx", "op": "multiply", "operands": ["x", "x"]},
          {"name": "a", "op": "add", "operands": ["xx", "one"]},
          {"name": "p", "op": "multiply", "operands": ["a", "x"]},
          {"name": "d", "op": "divide", "operands": ["x", "three"]},
          {"name": "nx", "op": "neg", "operands": ["x"]},
          {"name": "q", "op": "exp", "operands": ["nx"]},
          \(last),
          {"name": "y", "op": "multiply", "operands": ["t", "x"]}],
         "outputs": ["y"]}
        """
}

// 4. The audit log: appends and `log verify`, each against the bare SQLite work on the same bytes.
// Entries shaped like a trace's: every field set, and as graphs the real HLO snapshots of the
// transformer block dump, each pair a consecutive (before, after) pass.
let entryCount = 1000
let dumpDirectory = "Fixtures/xla/transformer_block/dump"
let snapshotBlobs = try FileManager.default.contentsOfDirectory(atPath: dumpDirectory).sorted()
    .filter { $0.hasSuffix(".txt") }
    .map { Blob(kind: .graph, data: try Data(contentsOf: URL(fileURLWithPath: "\(dumpDirectory)/\($0)"))) }
let drafts = (0..<entryCount).map { k -> EntryDraft in
    var d = AuditLogFixtures.draft(index: k)
    let (a, b) = (snapshotBlobs[k % snapshotBlobs.count], snapshotBlobs[(k + 1) % snapshotBlobs.count])
    d.blobs = [a, b] + d.blobs.filter { $0.kind != .graph }
    d.record.original.sha256 = a.hash
    d.record.rewritten.sha256 = b.hash
    return d
}
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
    "fpaudit-bench-\(ProcessInfo.processInfo.processIdentifier)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }
var trial = 0
func freshPath() -> String {
    trial += 1
    return scratch.appendingPathComponent("log-\(trial).db").path
}
let graphBytes = snapshotBlobs.map(\.data.count).reduce(0, +) / snapshotBlobs.count
print(
    "\naudit log, \(entryCount) entries of 6 blobs (two HLO snapshots of \(dumpDirectory), \(graphBytes / 1000) kB on average), one transaction per append, WAL, synchronous=FULL (best of 3):"
)
var benchLogPath = ""
let appendTime = try time(repeats: 3) {
    benchLogPath = freshPath()
    let log = try AuditLog(path: benchLogPath)
    for d in drafts { try log.append([d]) }
}
// Baseline: the same record text and blob bytes, INSERTed as they are (no hashing, compression, copied columns or triggers).
let records = try drafts.map { String(decoding: try $0.record.canonicalData(), as: UTF8.self) }
let plainAppend = try time(repeats: 3) {
    var config = Configuration()
    config.journalMode = .wal
    let queue = try DatabaseQueue(path: freshPath(), configuration: config)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA synchronous = FULL")
        try db.execute(
            sql:
                "CREATE TABLE entries (seq INTEGER PRIMARY KEY, record TEXT); CREATE TABLE blobs (hash TEXT, kind TEXT, data BLOB, PRIMARY KEY (hash, kind)) WITHOUT ROWID"
        )
        for (k, d) in drafts.enumerated() {
            try db.inTransaction(.immediate) {
                for b in d.blobs {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)",
                        arguments: [b.hash, b.kind.rawValue, b.data])
                }
                try db.execute(sql: "INSERT INTO entries VALUES (?, ?)", arguments: [k + 1, records[k]])
                return .commit
            }
        }
    }
}
report("append (hash, compress, link, copy)", ours: appendTime, baseline: plainAppend)
print(
    String(
        format: "  %.0f appends/s; %.2f ms per append", Double(entryCount) / appendTime,
        appendTime * 1e3 / Double(entryCount)))

let log = try AuditLog(path: benchLogPath)
var intact = false
let verifyTime = try time(repeats: 3) { intact = try log.verifyChain().isIntact }
// Baseline: read every record and every stored blob and SHA-256 them, nothing more.
let plainVerify = try time(repeats: 3) {
    let queue = try DatabaseQueue(path: benchLogPath)
    try queue.read { db in
        var digest = SHA256()
        let rows = try Row.fetchCursor(db, sql: "SELECT record FROM entries ORDER BY seq")
        while let row = try rows.next() { digest.update(data: Data((row["record"] as String).utf8)) }
        let blobs = try Row.fetchCursor(db, sql: "SELECT data FROM blobs")
        while let row = try blobs.next() { digest.update(data: row["data"] as Data) }
        let bytes = Array(digest.finalize())
        sink += Double(bytes[0])
    }
}
report("log verify (whole chain and blobs)", ours: verifyTime, baseline: plainVerify)
print(String(format: "  %.0f entries/s, intact: %@", Double(entryCount) / verifyTime, intact ? "yes" : "NO"))
if sink.isNaN { print("(checksum NaN)") }
