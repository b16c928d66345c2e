import CMPFRShims
import XCTest

@testable import FPMPFR

final class CMPFRShimsTests: MPFRTestCase {
    /// The C baseline computes the documented formula list: the same graph
    /// evaluated with FPMPFR's kernels, node by node, gives the same checksum.
    func testBenchmarkBaselineMatchesKernels() {
        let n = 96
        let precision = 113
        let c = fpa_bench_c_loop(n, precision, 2)

        let x = MPFRBuffer(count: n, precision: precision)
        for i in 0..<n { x.set(i, (Double(i) - Double(n) / 2.0) / (Double(n) / 8.0)) }
        let one = buffer([1], precision: precision)
        let t = (1...9).map { _ in MPFRBuffer(count: n, precision: precision) }
        let y = MPFRBuffer(count: n, precision: precision)
        MPFRKernels.binary(.multiply, x, aStride: 1, x, bStride: 1, into: t[0], count: n)  // t1
        MPFRKernels.binary(.add, t[0], aStride: 1, one, bStride: 0, into: t[1], count: n)  // t2
        MPFRKernels.unary(.sqrt, t[1], xStride: 1, into: t[2], count: n)  // t3
        MPFRKernels.unary(.exp, x, xStride: 1, into: t[3], count: n)  // t4
        MPFRKernels.binary(.multiply, t[3], aStride: 1, x, bStride: 1, into: t[4], count: n)  // t5
        MPFRKernels.binary(.subtract, t[4], aStride: 1, t[2], bStride: 1, into: t[5], count: n)  // t6
        MPFRKernels.unary(.log1p, t[0], xStride: 1, into: t[6], count: n)  // t7
        MPFRKernels.binary(.divide, t[5], aStride: 1, t[1], bStride: 1, into: t[7], count: n)  // t8
        MPFRKernels.unary(.tanh, t[7], xStride: 1, into: t[8], count: n)  // t9
        MPFRKernels.binary(.add, t[8], aStride: 1, t[6], bStride: 1, into: y, count: n)  // y
        var checksum = 0.0
        for i in 0..<n { checksum += y.double(i) }

        XCTAssertEqual(c.bitPattern, checksum.bitPattern)
        XCTAssertTrue(checksum.isFinite)
        XCTAssertTrue(fpa_bench_c_loop(0, 53, 1).isNaN)
        XCTAssertTrue(MPFRConfiguration.isCurrentThreadPrepared, "the C loop restores the exponent range")
    }

    func testMacroWrappers() {
        XCTAssertEqual(fpa_custom_get_size(64), 8)
        XCTAssertEqual(fpa_custom_get_size(65), 16)
    }
}
