import XCTest

@testable import FPNumerics

/// `integers(lo, hi)`: uniform over the integers of an inclusive range.
final class IntegersDistributionTests: XCTestCase {
    func testParsesAndPrintsBack() throws {
        XCTAssertEqual(try Distribution.parse("integers(0, 9)"), .integers(lo: 0, hi: 9))
        XCTAssertEqual(try Distribution.parse("integers(hi=3, lo=-2)"), .integers(lo: -2, hi: 3))
        XCTAssertEqual(try Distribution.parse("integers(5,5)"), .integers(lo: 5, hi: 5))
        XCTAssertEqual(Distribution.integers(lo: 0, hi: 9).description, "integers(0, 9)")
        XCTAssertEqual(
            try Distribution.parse(Distribution.integers(lo: -7, hi: 1 << 40).description),
            .integers(lo: -7, hi: 1 << 40))
    }

    func testRejectsNonIntegersAndEmptyRanges() {
        for text in ["integers(0.5, 3)", "integers(3, 1)", "integers(0, 1e300)", "integers(0)", "integers(0, inf)"] {
            XCTAssertThrowsError(try Distribution.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains("integer"), "\(text): \(error)")
            }
        }
    }

    func testDrawsEveryValueOfTheRangeAndNothingElse() {
        var rng = Xoshiro256StarStar(seed: 5)
        var counts: [Int64: Int] = [:]
        for _ in 0..<20_000 {
            counts[Int64(Distribution.integers(lo: -2, hi: 7).sample(in: .f32, using: &rng)), default: 0] += 1
        }
        XCTAssertEqual(Set(counts.keys), Set(-2...7))
        // Uniform: each of the 10 values about 2000 times (5 sigma is about 210).
        XCTAssertTrue(counts.values.allSatisfy { abs($0 - 2000) < 210 }, "\(counts)")
        var integerRng = Xoshiro256StarStar(seed: 6)
        let labels = (0..<1000).map { _ in
            Distribution.integers(lo: 0, hi: 3).sampleInteger(min: 0, max: 255, using: &integerRng)
        }
        XCTAssertEqual(Set(labels), [0, 1, 2, 3])
    }
}
