extension Context {
    /// The result dimensions of `window` slid over `input` (XLA's window output
    /// shape): per dimension, the base-dilated and padded input
    /// `(d - 1) * base_dilation + 1 + low + high` (0 for an empty dimension),
    /// the dilated window `(size - 1) * window_dilation + 1`, and
    /// `(padded - window) / stride + 1` positions (0 when the window does not fit).
    ///
    /// - Throws: a located ``GraphError/invalidAttribute(node:op:message:location:)``
    ///   when the window does not have one entry per dimension, a size, stride or
    ///   dilation is below 1, a padding is negative (XLA refuses negative
    ///   padding for reduce-window and select-and-scatter), or the arithmetic
    ///   overflows.
    func windowOutput(_ w: WindowConfig, over input: ArrayType) throws -> [Int] {
        let rank = input.rank
        let fields = [w.dimensions, w.strides, w.paddingLow, w.paddingHigh, w.baseDilations, w.windowDilations]
        guard fields.allSatisfy({ $0.count == rank }) else {
            throw invalid("the window needs size, stride, padding and dilations for each of the \(rank) dimensions")
        }
        guard w.dimensions.allSatisfy({ $0 >= 1 }), w.strides.allSatisfy({ $0 >= 1 }),
            w.baseDilations.allSatisfy({ $0 >= 1 }), w.windowDilations.allSatisfy({ $0 >= 1 })
        else {
            throw invalid("window sizes, strides and dilations must be >= 1")
        }
        guard w.paddingLow.allSatisfy({ $0 >= 0 }), w.paddingHigh.allSatisfy({ $0 >= 0 }) else {
            throw invalid("window padding must be >= 0 (XLA allows negative padding only in convolutions)")
        }
        var dims: [Int] = []
        for axis in 0..<rank {
            let d = input.dimensions[axis]
            let what = "window dimension \(axis)"
            let dilated = d > 0 ? try sum(what, product(what, d - 1, w.baseDilations[axis]), 1) : 0
            let padded = try sum(what, dilated, w.paddingLow[axis], w.paddingHigh[axis])
            let window = try sum(what, product(what, w.dimensions[axis] - 1, w.windowDilations[axis]), 1)
            dims.append(padded < window ? 0 : (padded - window) / w.strides[axis] + 1)
        }
        return dims
    }
}
