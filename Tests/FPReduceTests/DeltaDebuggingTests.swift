import XCTest

@testable import FPReduce

/// ddmin keeps a 1-minimal failing subset, deterministically, testing no configuration twice.
final class DeltaDebuggingTests: XCTestCase {
    func testFindsTheTwoItemsAFailureNeeds() async throws {
        var seen = Set<[Int]>()
        let (kept, tests) = try await DeltaDebugging.minimize(Array(0..<100)) { subset in
            XCTAssertTrue(seen.insert(subset).inserted, "configuration \(subset) tested twice")
            return subset.contains(17) && subset.contains(42)
        }
        XCTAssertEqual(kept, [17, 42])
        XCTAssertEqual(tests, seen.count)
        XCTAssertLessThan(tests, 100, "fewer tests than items for a two-item cause")
    }

    func testTheResultIsOneMinimal() async throws {
        // Fails while the kept weights add up to at least 40: many minimal answers, none unique.
        let weights = [3, 9, 1, 14, 7, 22, 5, 11, 2, 8, 13, 6]
        func fails(_ subset: [Int]) -> Bool { subset.reduce(0, +) >= 40 }
        let (kept, _) = try await DeltaDebugging.minimize(weights) { fails($0) }
        XCTAssertTrue(fails(kept))
        for k in kept.indices {
            var smaller = kept
            smaller.remove(at: k)
            XCTAssertFalse(fails(smaller), "removing \(kept[k]) from \(kept) still fails: not 1-minimal")
        }
        XCTAssertEqual(kept, weights.filter { kept.contains($0) }, "items keep their order")
    }

    func testTheSameAnswersGiveTheSameTestsAndResult() async throws {
        func run() async throws -> ([Int], [[Int]]) {
            var log: [[Int]] = []
            let (kept, _) = try await DeltaDebugging.minimize(Array(0..<37)) { subset in
                log.append(subset)
                return subset.filter { $0 % 5 == 0 }.count >= 3
            }
            return (kept, log)
        }
        let (first, firstLog) = try await run()
        let (second, secondLog) = try await run()
        XCTAssertEqual(first, second)
        XCTAssertEqual(firstLog, secondLog)
        XCTAssertEqual(first.count, 3)
    }

    func testTheEmptyConfigurationIsTriedFirst() async throws {
        var calls: [[Int]] = []
        let (kept, tests) = try await DeltaDebugging.minimize([1, 2, 3]) { subset in
            calls.append(subset)
            return true
        }
        XCTAssertEqual(kept, [])
        XCTAssertEqual(tests, 1)
        XCTAssertEqual(calls, [[]])
    }

    func testASingleNeededItemIsKept() async throws {
        let (kept, _) = try await DeltaDebugging.minimize(["a", "b", "c", "d", "e"]) { $0.contains("d") }
        XCTAssertEqual(kept, ["d"])
    }

    func testErrorsStopTheSearch() async {
        struct Stop: Error {}
        do {
            _ = try await DeltaDebugging.minimize([1, 2, 3, 4]) { subset in
                if subset.count == 2 { throw Stop() }
                return subset.contains(1)
            }
            XCTFail("expected the predicate's error")
        } catch {
            XCTAssertTrue(error is Stop)
        }
    }

    func testSplitMakesNearlyEqualChunks() {
        XCTAssertEqual(DeltaDebugging.split([0, 1, 2, 3, 4], into: 2), [[0, 1, 2], [3, 4]])
        XCTAssertEqual(DeltaDebugging.split([0, 1, 2], into: 5), [[0], [1], [2]])
    }
}
