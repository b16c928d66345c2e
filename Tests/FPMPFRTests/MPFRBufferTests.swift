import CMPFRShims
import XCTest

@testable import FPMPFR

/// Memory accounting with the counting GMP allocator (installed by `MPFRTestCase`).
///
/// What MPFR 4.2 does: limb temporaries of small precisions live on the
/// stack, but many functions (exp, expm1, log, log1p, tanh, sin, tan, erf,
/// pow, atan2, and nearly every transcendental at 4096 bits) also create
/// `mpfr_t` or `mpz_t` temporaries through the GMP allocator and free them
/// before returning. Those transient allocations are MPFR's own; the tests
/// check that nothing stays live during kernel calls, that FPMPFR's own code
/// allocates nothing per operation, and that buffers leak nothing.
final class MPFRBufferTests: MPFRTestCase {
    private let unaryOps = MPFRUnaryOp.allCases
    private let binaryOps = MPFRBinaryOp.allCases
    private var cycleLength: Int { unaryOps.count + binaryOps.count + 1 }

    /// Runs kernel call number `k` of a fixed cycle over every op (and a
    /// rounding to bf16, which uses the thread scratch).
    private func runKernel(_ k: Int, x: MPFRBuffer, b: MPFRBuffer, y: MPFRBuffer) {
        let slot = k % cycleLength
        if slot < unaryOps.count {
            MPFRKernels.unary(unaryOps[slot], x, xStride: 1, into: y, count: y.count)
        } else if slot < unaryOps.count + binaryOps.count {
            MPFRKernels.binary(
                binaryOps[slot - unaryOps.count], x, aStride: 1, b, bStride: 0,
                into: y, count: y.count)
        } else {
            _ = y.rounded(k % y.count, to: .bf16)
        }
    }

    /// Operands in (0.1, 1.8], where every op is finite.
    private func operands(precision: Int, elements: Int) -> (x: MPFRBuffer, b: MPFRBuffer, y: MPFRBuffer) {
        let x = MPFRBuffer(count: elements, precision: precision)
        let b = MPFRBuffer(count: 1, precision: precision)
        let y = MPFRBuffer(count: elements, precision: precision)
        for i in 0..<elements { x.set(i, 0.1 + 1.7 * Double(i + 1) / Double(elements)) }
        b.set(0, 1.25)
        return (x, b, y)
    }

    /// Creates buffers, warms MPFR's caches and pools up with two cycles of
    /// every op, runs `calls` kernel calls checking after each one that the
    /// live-block count never exceeds the warm snapshot, then checks that
    /// after the buffers die and the caches are freed the live counts are
    /// exactly what they were before the buffers existed. Returns the number
    /// of transient allocations MPFR made during the calls.
    private func measure(precision: Int, elements: Int, calls: Int) -> Int {
        XCTAssertEqual(fpa_counting_allocator_installed(), 1)
        MPFRConfiguration.releaseCurrentThreadCaches()
        fpa_free_mpfr_caches()
        let blocksBefore = fpa_live_blocks()
        let bytesBefore = fpa_live_bytes()
        var transient = 0
        do {
            let (x, b, y) = operands(precision: precision, elements: elements)
            XCTAssertEqual(fpa_live_blocks(), blocksBefore + 6, "two blocks per buffer")
            for k in 0..<(2 * cycleLength) { runKernel(k, x: x, b: b, y: y) }

            let blocksWarm = fpa_live_blocks()
            let allocationsWarm = fpa_total_allocations()
            var peakBlocks = blocksWarm
            for k in 0..<calls {
                runKernel(k, x: x, b: b, y: y)
                peakBlocks = max(peakBlocks, fpa_live_blocks())
            }
            XCTAssertEqual(peakBlocks, blocksWarm, "live blocks grew during \(calls) kernel calls at \(precision) bits")
            transient = fpa_total_allocations() - allocationsWarm
        }
        MPFRConfiguration.releaseCurrentThreadCaches()
        fpa_free_mpfr_caches()
        XCTAssertEqual(fpa_live_blocks(), blocksBefore, "blocks leaked at \(precision) bits")
        XCTAssertEqual(fpa_live_bytes(), bytesBefore, "bytes leaked at \(precision) bits")
        return transient
    }

    func testNoGrowthAndNoLeaksAt128Bits() {
        let transient = measure(precision: 128, elements: 4, calls: 10_000)
        print("FPMPFR at 128 bits: \(transient) transient MPFR allocations in 10000 kernel calls, no growth, no leak")
    }

    func testNoGrowthAndNoLeaksAt4096Bits() {
        let transient = measure(precision: 4096, elements: 2, calls: 10_000)
        print("FPMPFR at 4096 bits: \(transient) transient MPFR allocations in 10000 kernel calls, no growth, no leak")
    }

    /// Kernels whose MPFR functions need no heap temporaries allocate nothing
    /// at all once warm: FPMPFR's own dispatch, NaN handling, sign, logistic's
    /// scratch and the narrow-format rounding never allocate.
    func testArithmeticKernelsAllocateNothingPerOperation() {
        let allocationFreeUnary: [MPFRUnaryOp] = [
            .neg, .abs, .sign, .sqrt, .rsqrt, .cbrt, .cos,
            .floor, .ceil, .roundNearestEven,
        ]
        let allocationFreeBinary: [MPFRBinaryOp] = [
            .add, .subtract, .multiply, .divide, .remainder,
            .maximum, .minimum,
        ]
        let (x, b, y) = operands(precision: 128, elements: 4)
        var report: [String] = []
        for op in unaryOps {
            MPFRKernels.unary(op, x, xStride: 1, into: y, count: 4)
            let start = fpa_total_allocations()
            for _ in 0..<100 { MPFRKernels.unary(op, x, xStride: 1, into: y, count: 4) }
            let perElement = Double(fpa_total_allocations() - start) / 400
            report.append("\(op)=\(perElement)")
            if allocationFreeUnary.contains(op) { XCTAssertEqual(perElement, 0, "\(op)") }
        }
        for op in binaryOps {
            MPFRKernels.binary(op, x, aStride: 1, b, bStride: 0, into: y, count: 4)
            let start = fpa_total_allocations()
            for _ in 0..<100 { MPFRKernels.binary(op, x, aStride: 1, b, bStride: 0, into: y, count: 4) }
            let perElement = Double(fpa_total_allocations() - start) / 400
            report.append("\(op)=\(perElement)")
            if allocationFreeBinary.contains(op) { XCTAssertEqual(perElement, 0, "\(op)") }
        }
        _ = y.rounded(0, to: .f16)
        let start = fpa_total_allocations()
        for i in 0..<400 { _ = y.rounded(i % 4, to: TruthFormat.allCases[i % 4]) }
        XCTAssertEqual(fpa_total_allocations() - start, 0, "rounded(_:to:)")
        print("FPMPFR transient MPFR allocations per element at 128 bits: " + report.joined(separator: " "))
    }

    func testBufferMemoryGoesThroughGMPAllocator() {
        let before = fpa_live_bytes()
        let blocks = fpa_live_blocks()
        var buffer: MPFRBuffer? = MPFRBuffer(count: 1000, precision: 256)
        XCTAssertEqual(fpa_live_blocks() - blocks, 2, "one block for the structs, one for the limbs")
        XCTAssertGreaterThanOrEqual(fpa_live_bytes() - before, 1000 * (256 / 8))
        XCTAssertNotNil(buffer)
        buffer = nil
        XCTAssertEqual(fpa_live_bytes(), before)
        XCTAssertEqual(fpa_live_blocks(), blocks)
    }
}
