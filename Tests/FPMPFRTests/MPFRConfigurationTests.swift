import Foundation
import XCTest

@testable import FPMPFR

final class MPFRConfigurationTests: MPFRTestCase {
    func testBufferInitPreparesTheThread() {
        _ = MPFRBuffer(count: 1, precision: 53)
        XCTAssertTrue(MPFRConfiguration.isCurrentThreadPrepared)
        XCTAssertLessThan(MPFRConfiguration.widestMinimumExponent, -(1 << 40))
        XCTAssertGreaterThan(MPFRConfiguration.widestMaximumExponent, 1 << 40)
    }

    /// Kernels prepare the calling thread even when the buffers were created
    /// on another one: exp(-1e10) = 2^-1.44e10 underflows MPFR's default
    /// range (emin = 1 - 2^30) but not the widest one.
    func testKernelsPrepareOtherThreads() {
        XCTAssertTrue(MPFRConfiguration.isThreadLocal, "this MPFR build keeps its state per thread")
        let x = buffer([-1e10], precision: 64)
        let y = MPFRBuffer(count: 1, precision: 64)
        let logistic = MPFRBuffer(count: 1, precision: 64)
        let done = DispatchSemaphore(value: 0)
        let wasPrepared = Box(true)
        let thread = Thread {
            wasPrepared.value = MPFRConfiguration.isCurrentThreadPrepared
            MPFRKernels.unary(.exp, x, xStride: 1, into: y, count: 1)
            MPFRKernels.unary(.logistic, x, xStride: 1, into: logistic, count: 1)
            done.signal()
        }
        thread.start()
        done.wait()
        XCTAssertFalse(wasPrepared.value, "a new thread starts with MPFR's default exponent range")
        XCTAssertFalse(y.isZero(0))
        XCTAssertFalse(logistic.isZero(0))
        XCTAssertEqual(y.compare(0, logistic, 0), 0)
    }
}

/// A mutable box for results produced on another thread (read after a join).
private final class Box<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}
