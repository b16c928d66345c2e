import Dispatch

extension Array {
    /// `map(transform)` with the elements spread over the machine's cores
    /// (Dispatch's `concurrentPerform`); the results are in the elements' order.
    /// `transform` must be safe to call from several threads at once.
    func concurrentMap<Result>(_ transform: (Element) -> Result) -> [Result] {
        guard count > 1 else { return map(transform) }
        var results = [Result?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = SendableSlots(base: slots.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { i in slots.base[i] = transform(self[i]) }
        }
        return results.map { $0! }
    }
}

/// The result slots of ``Swift/Array/concurrentMap(_:)``: each iteration writes only its own slot.
private struct SendableSlots<Result>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Result?>
}
