internal import CMPFR

/// Vectorised MPFR kernels over ``MPFRBuffer``s.
///
/// Every result is rounded to nearest (ties to even) at the *destination*
/// buffer's precision. Whole-buffer kernels process elements `0..<count`; each
/// operand has a stride of 1 (element `i` is used for result `i`) or 0 (its
/// element 0 is broadcast). The operation is dispatched once, outside the
/// element loop, and no kernel allocates memory (logistic uses the thread's
/// preallocated scratch, which only grows when a larger precision is first
/// seen).
///
/// Aliasing: the destination may be the same buffer as an operand of
/// stride 1 (in-place elementwise update), but not as a broadcast
/// (stride 0) operand when `count > 1`.
public enum MPFRKernels {}

/// `int f(mpfr_ptr rop, mpfr_srcptr op, mpfr_rnd_t rnd)`.
typealias MPFRUnaryFunction =
    @convention(c) (UnsafeMutablePointer<__mpfr_struct>?, UnsafePointer<__mpfr_struct>?, mpfr_rnd_t) -> Int32

/// `int f(mpfr_ptr rop, mpfr_srcptr op1, mpfr_srcptr op2, mpfr_rnd_t rnd)`.
typealias MPFRBinaryFunction =
    @convention(c) (
        UnsafeMutablePointer<__mpfr_struct>?, UnsafePointer<__mpfr_struct>?,
        UnsafePointer<__mpfr_struct>?, mpfr_rnd_t
    ) -> Int32

extension MPFRKernels {
    /// Checks the shape contract of a whole-buffer kernel operand.
    @inline(__always)
    static func checkOperand(_ operand: MPFRBuffer, stride: Int, count: Int, destination: MPFRBuffer) {
        precondition(stride == 0 || stride == 1, "MPFRKernels: operand stride must be 0 or 1, got \(stride)")
        guard count > 0 else { return }
        precondition(
            operand.count >= (stride == 0 ? 1 : count),
            "MPFRKernels: operand has \(operand.count) elements, kernel needs \(stride == 0 ? 1 : count)")
        precondition(
            !(operand === destination && stride == 0 && count > 1),
            "MPFRKernels: destination aliases a broadcast operand")
    }

    /// Checks the destination of a whole-buffer kernel.
    @inline(__always)
    static func checkDestination(_ destination: MPFRBuffer, count: Int) {
        precondition(
            count >= 0 && count <= destination.count,
            "MPFRKernels: count \(count) outside 0...\(destination.count)")
    }
}
