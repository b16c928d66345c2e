import FPGraph
import XCTest

@testable import FPEval

/// Node values one graph stores are reused by another graph on the same
/// inputs: the second graph's results are those of a run that evaluated
/// every node, in every domain that reuses values, and only the nodes it
/// does not share are evaluated.
final class NodeReuseTests: XCTestCase {
    /// `tail(exp(x) · 0.5 + x)`: the two graphs differ only in their last op.
    func chain(_ tail: UnaryOp) throws -> Graph {
        try buildGraph([
            N.parameter("x", 0, .f32, [6]), N.constant("half", .f32, [0.5]), N.unary("e", .exp, "x"),
            N.op("h", .broadcast(dimensions: []), ["half"], shape: [6]), N.binary("m", .multiply, "e", "h"),
            N.binary("s", .add, "m", "x"), N.unary("y", tail, "s"),
        ])
    }

    let inputs: [Tensor.Elements] = [.floats([-3, -0.25, 0, 0.125, 1.5, 4].map { Double(Float($0)) })]

    /// Runs `first` keeping every node, then `second` reusing them; checks
    /// `second`'s outputs against a run without reuse.
    func check<D: RealDomain>(
        _ makeDomain: () -> D, first: Graph, second: Graph, file: StaticString = #filePath, line: UInt = #line
    )
        throws -> (store: NodeValueStore<D>, interpreter: Interpreter<D>)
    {
        let store = NodeValueStore<D>(bytesPerElement: 48)
        let a = Interpreter(graph: first, domain: makeDomain())
        let storing = NodeReuse(
            digests: first.entryValueDigests, keep: first.entry.nodes.map { $0.operation.isStoredForReuse },
            inputs: 7, store: store)
        try a.run(inputs, reuse: storing)
        let b = Interpreter(graph: second, domain: makeDomain())
        let reading = NodeReuse(
            digests: second.entryValueDigests, keep: second.entry.nodes.map { _ in false }, inputs: 7, store: store)
        try b.run(inputs, reuse: reading)
        let fresh = try evaluate(second, in: makeDomain(), inputs)
        for e in 0..<6 {
            XCTAssertEqual(
                b.output(0, e, roundedTo: .f64).bitPattern, fresh.output(0, e, roundedTo: .f64).bitPattern,
                "element \(e)", file: file, line: line)
        }
        return (store, b)
    }

    func testAGraphReusesTheValuesAnotherGraphStoredInEveryReusingDomain() throws {
        let (first, second) = (try chain(.tanh), try chain(.logistic))
        let (ieeeStore, ieee) = try check({ IEEEDomain(mode: .declared) }, first: first, second: second)
        _ = try check({ IntervalDomain() }, first: first, second: second)
        let (ballStore, ball) = try check({ BallDomain() }, first: first, second: second)
        for (store, interpreter) in [
            (ieeeStore.hits, ieee.nodeData(2, format: { _ in .f64 })),
            (ballStore.hits, ball.nodeData(2, format: { _ in .f64 })),
        ] {
            XCTAssertEqual(store, 1, "only the sum feeding the new node is read")
            XCTAssertNil(interpreter, "exp(x), which only the reused sum needed, was not evaluated")
        }
        XCTAssertEqual(ieeeStore.count, 5, "every node but the parameter and the constant was stored")

        // Other inputs are other values: nothing is reused.
        let store = NodeValueStore<IEEEDomain>(bytesPerElement: 8)
        let keepAll = first.entry.nodes.map { $0.operation.isStoredForReuse }
        try Interpreter(graph: first, domain: IEEEDomain(mode: .declared)).run(
            inputs, reuse: NodeReuse(digests: first.entryValueDigests, keep: keepAll, inputs: 1, store: store))
        try Interpreter(graph: second, domain: IEEEDomain(mode: .declared)).run(
            inputs, reuse: NodeReuse(digests: second.entryValueDigests, keep: keepAll, inputs: 2, store: store))
        XCTAssertEqual(store.hits, 0)
    }

    /// An enclosure run stores only what it computed before it gave up: after
    /// an undecided comparison, its values are guesses.
    func testAnEnclosureStoresNothingAfterAStepItDidNotDecide() throws {
        let graph = try buildGraph([
            N.parameter("x", 0, .f32, [1]), N.constant("one", .f32, [1], shape: [1]), N.unary("e", .exp, "x"),
            N.unary("l", .log, "e"), N.compare("c", .ge, "l", "x"), N.op("y", .select, ["c", "l", "one"]),
        ])
        let store = NodeValueStore<IntervalDomain>(bytesPerElement: 16)
        let domain = IntervalDomain()
        try Interpreter(graph: graph, domain: domain).run(
            [.floats([0.3])],
            reuse: NodeReuse(
                digests: graph.entryValueDigests, keep: graph.entry.nodes.map { $0.operation.isStoredForReuse },
                inputs: 0, store: store))
        XCTAssertTrue(domain.undecided, "log(exp(x)) ≥ x overlaps")
        XCTAssertEqual(store.count, 2, "exp and log are stored; the comparison and what follows are not")
    }

    /// Stored values live one generation past the one that last used them.
    func testGenerationsDropWhatTheLastStepDidNotTouch() throws {
        let graph = try chain(.tanh)
        let store = NodeValueStore<IEEEDomain>(bytesPerElement: 8)
        let keep = graph.entry.nodes.map { $0.operation.isStoredForReuse }
        try Interpreter(graph: graph, domain: IEEEDomain(mode: .declared)).run(
            inputs, reuse: NodeReuse(digests: graph.entryValueDigests, keep: keep, inputs: 0, store: store))
        XCTAssertEqual(store.count, 5)
        store.advance()
        XCTAssertEqual(store.count, 5, "stored in the generation just ended")
        store.advance()
        XCTAssertEqual(store.count, 0)
        let bounded = NodeValueStore<IEEEDomain>(bytesPerElement: 8, maxBytes: 150)
        try Interpreter(graph: graph, domain: IEEEDomain(mode: .declared)).run(
            inputs, reuse: NodeReuse(digests: graph.entryValueDigests, keep: keep, inputs: 0, store: bounded))
        XCTAssertEqual(bounded.count, 1, "one value of 6 × 8 + 64 bytes fits in 150, two do not")
    }

    /// Ball origins never repeat across domains, so a stored ball never
    /// passes for the same real as another run's.
    func testBallOriginsAreUniqueAcrossDomains() {
        let (a, b) = (BallDomain(), BallDomain())
        let (x, y) = (a.makeBuffer(count: 4), b.makeBuffer(count: 4))
        a.load([1, 2, 3, 4], into: x)
        b.load([1, 2, 3, 4], into: y)
        let origins = Set((0..<4).flatMap { [x.origin[$0], y.origin[$0]] })
        XCTAssertEqual(origins.count, 8)
        XCTAssertFalse(origins.contains(0))
    }
}
