import FPEval
import FPGraph
import FPNumerics
import XCTest
import _TestSupport

/// An interpreter's observer sees every run of a called computation with
/// that run's node values, in every domain, and never the entry's.
final class CalledComputationRunTests: XCTestCase {
    /// x = 3; while x < 100: x = x · 2 (the body runs at 3, 6, 12, 24, 48, 96).
    let doubling = """
        {"parameters": [{"name": "x", "dtype": "f32", "shape": []}],
         "nodes": [{"name": "y", "op": "while", "operands": ["x"], "condition": "cond", "body": "body"}],
         "outputs": ["y"],
         "computations": [
           {"name": "cond", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
            "nodes": [{"name": "limit", "op": "constant", "dtype": "f32", "value": 100},
                      {"name": "p", "op": "compare", "operands": ["s", "limit"], "direction": "LT"}], "root": "p"},
           {"name": "body", "parameters": [{"name": "s", "dtype": "f32", "shape": []}],
            "nodes": [{"name": "two", "op": "constant", "dtype": "f32", "value": 2},
                      {"name": "d", "op": "multiply", "operands": ["s", "two"]}], "root": "d"}]}
        """

    func observedRuns<D: RealDomain>(_ domain: D) throws -> [(String, [Double])] {
        let interpreter = Interpreter(graph: try graph(doubling), domain: domain)
        var seen: [(String, [Double])] = []
        interpreter.observeCalledComputations { run in
            let values = run.computation.nodes.indices.compactMap { i -> Double? in
                guard case .floats(let v)? = run.nodeData(i, format: { _ in .f32 }) else { return nil }
                return v.first
            }
            seen.append((run.computation.name, values))
        }
        try interpreter.run([.floats([3])])
        return seen
    }

    func testEveryRunOfTheConditionAndBodyIsSeenWithItsValues() throws {
        for seen in [try observedRuns(IEEEDomain(mode: .declared)), try observedRuns(MPFRDomain(precision: 64))] {
            XCTAssertEqual(seen.map(\.0), Array(repeating: ["cond", "body"], count: 6).flatMap { $0 } + ["cond"])
            let body = seen.filter { $0.0 == "body" }.map(\.1)
            // Each body run: the parameter s, the constant 2, d = 2s.
            XCTAssertEqual(body, [[3, 2, 6], [6, 2, 12], [12, 2, 24], [24, 2, 48], [48, 2, 96], [96, 2, 192]])
        }
    }

    func testEnclosuresDecideTheBodysValues() throws {
        let interpreter = Interpreter(graph: try graph(doubling), domain: IntervalDomain())
        var decided: [Double] = []
        interpreter.observeCalledComputations { run in
            guard run.computation.name == "body", case .floats(let d)? = run.decidedNodeData(2, format: { _ in .f32 })
            else { return }
            decided += d
        }
        try interpreter.run([.floats([3])])
        XCTAssertEqual(decided, [6, 12, 24, 48, 96, 192])
    }

    func testClearingTheObserverStopsIt() throws {
        let interpreter = Interpreter(graph: try graph(doubling), domain: IEEEDomain(mode: .declared))
        var runs = 0
        interpreter.observeCalledComputations { _ in runs += 1 }
        try interpreter.run([.floats([3])])
        XCTAssertEqual(runs, 13)
        interpreter.observeCalledComputations(nil)
        try interpreter.run([.floats([3])])
        XCTAssertEqual(runs, 13)
    }
}
