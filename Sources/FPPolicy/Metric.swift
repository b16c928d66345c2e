import FPVerify

/// The type of an expression or metric.
public enum ExpressionType: String, Sendable, Equatable {
    case number, boolean
}

/// A value an expression evaluates to.
enum ExpressionValue: Equatable {
    case number(Double)
    case boolean(Bool)

    var number: Double {
        switch self {
        case .number(let x): return x
        case .boolean(let b): return b ? 1 : 0
        }
    }

    var boolean: Bool {
        switch self {
        case .boolean(let b): return b
        case .number(let x): return x != 0
        }
    }
}

/// One metric path of the expression language (see `docs/policy-language.md`).
struct Metric {
    /// The path as written, e.g. `rewritten.bits.p99`.
    let name: String
    let type: ExpressionType
    /// True for per-run metrics (`samples.*`), which need no output.
    let perRun: Bool
    let read: (OutputMetrics?, SampleCounts) -> ExpressionValue

    /// Every metric, by path.
    static let all: [String: Metric] = {
        var list: [Metric] = []
        func output(_ name: String, _ f: @escaping (OutputMetrics) -> Double) {
            list.append(Metric(name: name, type: .number, perRun: false) { o, _ in .number(o.map(f) ?? .nan) })
        }
        func run(_ name: String, _ f: @escaping (SampleCounts) -> Int) {
            list.append(Metric(name: name, type: .number, perRun: true) { _, s in .number(Double(f(s))) })
        }
        let summaries: [(String, (Summary) -> Double)] = [
            ("max", { $0.max }), ("mean", { $0.mean }), ("p50", { $0.p50 }), ("p95", { $0.p95 }), ("p99", { $0.p99 }),
        ]
        for (sideName, side) in [
            ("original", { (o: OutputMetrics) in o.original }),
            ("rewritten", { (o: OutputMetrics) in o.rewritten }),
        ] {
            for (unit, pick) in [("bits", { (m: SideMetrics) in m.bits }), ("ulps", { (m: SideMetrics) in m.ulps })] {
                for (stat, f) in summaries { output("\(sideName).\(unit).\(stat)") { f(pick(side($0))) } }
            }
            output("\(sideName).relative.max") { side($0).relativeMax }
            output("\(sideName).relative.mean") { side($0).relativeMean }
            output("\(sideName).absolute.max") { side($0).absoluteMax }
            output("\(sideName).nonfinite") { Double(side($0).nonfinite) }
        }
        output("new_nonfinite") { Double($0.newNonfinite) }
        output("bits_lost.max") { $0.bitsLost.max }
        output("bits_lost.mean") { $0.bitsLost.mean }
        output("worse_share") { $0.bitsLost.shareOfSamplesWorseThan1Bit }
        output("semantic.max_ulps") { $0.semantic.maxULPs }
        output("semantic.samples_compared") { Double($0.semantic.samplesCompared) }
        output("semantic.samples_differing") { Double($0.semantic.samplesDiffering) }
        list.append(
            Metric(name: "semantic.equivalent", type: .boolean, perRun: false) { o, _ in
                .boolean(o?.semantic.equivalent ?? false)
            })
        // The distribution-level comparison (NaN for log entries recorded before it existed).
        func comparison(_ name: String, _ f: @escaping (ErrorComparison) -> Double) {
            output(name) { $0.comparison.map(f) ?? .nan }
        }
        comparison("points") { Double($0.points) }
        comparison("changed_points") { Double($0.changedPoints) }
        comparison("changed_points_share") { $0.changedShare }
        comparison("worse_points_share") { $0.worseShare }
        comparison("better_points_share") { $0.betterShare }
        comparison("sign_test_z") { $0.signTestZ }
        comparison("reduction_depth") { Double($0.reductionDepth) }
        comparison("budget_bits") { $0.budgetBits }
        for (stat, f) in summaries { output("excess_bits.\(stat)") { $0.excessBits.map(f) ?? .nan } }
        run("samples.requested") { $0.requested }
        run("samples.measured") { $0.measured }
        run("samples.reference_unstable") { $0.referenceUnstable + $0.rewrittenReferenceUnstable }
        run("samples.original_unstable") { $0.referenceUnstable }
        run("samples.rewritten_unstable") { $0.rewrittenReferenceUnstable }
        run("samples.branch_flips") { $0.branchFlips }
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// Every metric path, sorted.
    static var names: [String] { all.keys.sorted() }
}

extension PolicyExpression {
    /// Every metric path the language knows, sorted.
    public static var metricPaths: [String] { Metric.names }
}

/// The closest candidate within a small edit distance, for "did you mean" hints.
func closest(to word: String, in candidates: [String]) -> String? {
    let limit = max(2, word.count / 4)
    var best: (String, Int)?
    for c in candidates.sorted() {
        let d = editDistance(word, c)
        if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

/// Levenshtein distance over characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
