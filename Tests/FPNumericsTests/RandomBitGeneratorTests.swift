import XCTest

@testable import FPNumerics

/// One `rng-bit-generator` run of XLA CPU, recorded by `make_rng_bits.py`.
struct RandomBitReference {
    /// The algorithm as StableHLO spells it: `THREE_FRY`, `PHILOX` or `DEFAULT`.
    let algorithm: String
    let state: [UInt64]
    let bitWidth: Int
    let shape: [Int]
    let newState: [UInt64]
    let bits: [UInt64]

    init(
        _ algorithm: String, _ state: [UInt64], _ bitWidth: Int, _ shape: [Int], _ newState: [UInt64],
        _ bits: [UInt64]
    ) {
        self.algorithm = algorithm
        self.state = state
        self.bitWidth = bitWidth
        self.shape = shape
        self.newState = newState
        self.bits = bits
    }
}

final class RandomBitGeneratorTests: XCTestCase {
    // MARK: - Against XLA CPU

    func testTwoWordStatesMatchXLACPU() throws {
        XCTAssertEqual(RandomBitGeneratorReference.twoWordStates.count, 768)
        try checkAgainstXLA(RandomBitGeneratorReference.twoWordStates)
    }

    func testThreeWordPhiloxStatesMatchXLACPU() throws {
        XCTAssertEqual(RandomBitGeneratorReference.threeWordStates.count, 280)
        try checkAgainstXLA(RandomBitGeneratorReference.threeWordStates)
    }

    private func checkAgainstXLA(
        _ references: [RandomBitReference], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var failures = 0
        for r in references {
            let algorithm = try XCTUnwrap(RandomBitAlgorithm(xlaName: r.algorithm), file: file, line: line)
            let result = try RandomBitGenerator.generate(
                algorithm, state: r.state, bitWidth: r.bitWidth, shape: r.shape)
            if result != RandomBits(state: r.newState, bits: r.bits) {
                failures += 1
                // A handful of full reports is enough to debug from.
                if failures <= 5 {
                    XCTFail(
                        "\(r.algorithm) u\(r.bitWidth)\(r.shape) from \(hex(r.state)): got state \(hex(result.state)) "
                            + "bits \(hex(result.bits)), XLA gives \(hex(r.newState)) \(hex(r.bits))",
                        file: file, line: line)
                }
            }
        }
        XCTAssertEqual(failures, 0, "runs that differ from XLA CPU", file: file, line: line)
    }

    private func hex(_ words: [UInt64]) -> String {
        "[" + words.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]"
    }

    // MARK: - Blocks

    /// The all-zero known-answer vectors of Random123 (Salmon et al.), which
    /// XLA's u64[2]/u64[3] zero states also produce.
    func testZeroKnownAnswers() {
        let t = RandomBitGenerator.threeFry2x32(counter: 0, key: 0)
        XCTAssertEqual([t.0, t.1], [0x6B20_0159, 0x99BA_4EFE])
        let p = RandomBitGenerator.philox4x32(counter: (low: 0, high: 0), key: 0)
        XCTAssertEqual([p.0, p.1, p.2, p.3], [0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8])
    }

    // MARK: - Semantics

    func testDefaultIsPhiloxOnCPU() {
        XCTAssertEqual(RandomBitAlgorithm.xlaCPUDefault, .philox)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "rng_default"), .philox)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "DEFAULT"), .philox)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "rng_three_fry"), .threeFry)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "THREE_FRY"), .threeFry)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "rng_philox"), .philox)
        XCTAssertEqual(RandomBitAlgorithm(xlaName: "PHILOX"), .philox)
        XCTAssertNil(RandomBitAlgorithm(xlaName: "philox"))
    }

    func testThreeFrySplitDimension() {
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([2, 3]), 0)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([3, 4]), 1)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([3, 5]), 1)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([5, 3]), 0)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([3, 5, 5]), 1)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([3, 0]), 1)
        XCTAssertEqual(RandomBitGenerator.threeFrySplit([1]), 0)
    }

    /// Threefry's 32-bit fill depends on the shape, Philox's only on the count.
    func testFillDependsOnShapeOnlyForThreeFry() throws {
        let state: [UInt64] = [0x0123_4567_89AB_CDEF, 42]
        let flat = try RandomBitGenerator.generate(.threeFry, state: state, bitWidth: 32, shape: [6])
        let matrix = try RandomBitGenerator.generate(.threeFry, state: state, bitWidth: 32, shape: [2, 3])
        // [6] pairs along its only dimension, [2, 3] along the first: the same
        // three blocks, placed differently.
        XCTAssertEqual(flat.state, matrix.state)
        XCTAssertEqual(flat.bits.sorted(), matrix.bits.sorted())
        XCTAssertNotEqual(flat.bits, matrix.bits)
        for width in [8, 16, 32, 64] {
            let a = try RandomBitGenerator.generate(.philox, state: state, bitWidth: width, shape: [6])
            let b = try RandomBitGenerator.generate(.philox, state: state, bitWidth: width, shape: [2, 3])
            XCTAssertEqual(a, b)
        }
    }

    /// 8- and 16-bit elements are the low bits of the 32-bit ones, with the same new state.
    func testNarrowElementsAreLowBitsOfThirtyTwo() throws {
        var rng = SplitMix64(seed: 7)
        for algorithm in RandomBitAlgorithm.allCases {
            for shape in [[], [5], [2, 3], [3, 5], [4, 1, 3]] {
                let state = [rng.next(), rng.next()]
                let wide = try RandomBitGenerator.generate(algorithm, state: state, bitWidth: 32, shape: shape)
                for width in [8, 16] {
                    let narrow = try RandomBitGenerator.generate(algorithm, state: state, bitWidth: width, shape: shape)
                    XCTAssertEqual(narrow.state, wide.state)
                    XCTAssertEqual(narrow.bits, wide.bits.map { $0 & ((1 << UInt64(width)) - 1) })
                }
            }
        }
    }

    // MARK: - Errors

    func testWrongStateLengthIsATypedError() {
        for (algorithm, length) in [(RandomBitAlgorithm.threeFry, 3), (.threeFry, 1), (.philox, 1), (.philox, 4)] {
            let state = [UInt64](repeating: 1, count: length)
            XCTAssertThrowsError(try RandomBitGenerator.generate(algorithm, state: state, bitWidth: 32, shape: [2])) {
                XCTAssertEqual(
                    $0 as? RandomBitGeneratorError,
                    .unsupportedStateLength(algorithm: algorithm, length: length, supported: algorithm.stateLengths))
            }
        }
        XCTAssertThrowsError(try RandomBitGenerator.generate(.philox, state: [], bitWidth: 32, shape: [])) {
            XCTAssertEqual(
                "\($0)", "rng-bit-generator: philox needs a state of u64[2] or u64[3], got u64[0]")
        }
    }

    func testOtherErrors() {
        for width in [0, 1, 12, 128] {
            XCTAssertThrowsError(
                try RandomBitGenerator.generate(.threeFry, state: [1, 2], bitWidth: width, shape: [2])
            ) {
                XCTAssertEqual($0 as? RandomBitGeneratorError, .unsupportedBitWidth(width))
            }
        }
        XCTAssertThrowsError(try RandomBitGenerator.generate(.philox, state: [1, 2], bitWidth: 32, shape: [2, -1])) {
            XCTAssertEqual($0 as? RandomBitGeneratorError, .negativeDimension(shape: [2, -1], index: 1))
        }
        let huge = [Int.max / 2, 3]
        XCTAssertThrowsError(try RandomBitGenerator.generate(.philox, state: [1, 2], bitWidth: 64, shape: huge)) {
            XCTAssertEqual($0 as? RandomBitGeneratorError, .tooManyElements(shape: huge))
        }
    }

    func testZeroSizeOutputLeavesTheStateUnchanged() throws {
        for algorithm in RandomBitAlgorithm.allCases {
            for width in [8, 64] {
                let r = try RandomBitGenerator.generate(algorithm, state: [5, 6], bitWidth: width, shape: [2, 0])
                XCTAssertEqual(r, RandomBits(state: [5, 6], bits: []))
            }
        }
    }
}
