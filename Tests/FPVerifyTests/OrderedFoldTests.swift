import FPGraph
import XCTest

@testable import FPVerify

final class OrderedFoldTests: XCTestCase {
    /// Twelve measured samples of a cancellation pair, with the run's sampler.
    private func outcomes() throws -> (Verifier, InputSampler, [SampleOutcome]) {
        let a = try subject(cancellationGraph(constant: "1e8"), path: "a.json")
        let b = try subject(cancellationGraph(constant: "1e3"), path: "b.json")
        let config = VerificationConfig(samples: 12, workers: 1)
        let verifier = try Verifier(original: a, rewritten: b, config: config)
        let sampler = try verifier.sampler()
        let worker = SampleWorker(
            original: a.graph, rewritten: b.graph,
            plans: (SharedPlan(graph: a.graph), SharedPlan(graph: b.graph)), interface: verifier.interface,
            config: config)
        let outcomes = try (0..<12).map { try worker.measure(sample: $0, inputs: .drawn(sampler)) }
        return (verifier, sampler, outcomes)
    }

    private func emptyAggregator(_ verifier: Verifier) -> Aggregator {
        Aggregator(graph: verifier.original.graph, exec: verifier.config.exec, tiered: true)
    }

    /// Blocks handed over in any order fold to exactly what folding every
    /// sample in order gives.
    func testBlocksOutOfOrderFoldAsInSampleOrder() throws {
        let (verifier, sampler, outcomes) = try outcomes()
        var inOrder = emptyAggregator(verifier)
        for outcome in outcomes { inOrder.add(outcome) }

        let fold = OrderedFold(emptyAggregator(verifier))
        fold.deliver(8, Array(outcomes[8..<12]))
        fold.deliver(0, Array(outcomes[0..<4]))
        fold.deliver(4, Array(outcomes[4..<8]))

        let expected = inOrder.finish(requested: 12) { sampler.inputs(forSample: $0) }
        let got = fold.aggregate.finish(requested: 12) { sampler.inputs(forSample: $0) }
        XCTAssertEqual(got.0, expected.0)
        XCTAssertEqual(got.1, expected.1)
        XCTAssertEqual(got.1.measured, 12)
    }

    /// A block waits until every earlier block has been folded.
    func testLaterBlockWaitsForEarlierOnes() throws {
        let (verifier, sampler, outcomes) = try outcomes()
        let fold = OrderedFold(emptyAggregator(verifier))
        fold.deliver(4, Array(outcomes[4..<12]))
        XCTAssertEqual(fold.aggregate.finish(requested: 12) { sampler.inputs(forSample: $0) }.1.measured, 0)
        fold.deliver(0, Array(outcomes[0..<4]))
        XCTAssertEqual(fold.aggregate.finish(requested: 12) { sampler.inputs(forSample: $0) }.1.measured, 12)
    }
}
