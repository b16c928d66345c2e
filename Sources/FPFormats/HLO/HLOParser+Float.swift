extension HLOParser {
    /// A decimal number word (`0.001`, `1e-05`), read as the nearest f32 and
    /// refused unless finite: XLA's float attributes such as batch-norm's `epsilon`.
    mutating func parseFloat32(_ what: String) throws -> Float {
        guard let text = current.wordText else { throw expected(what) }
        guard let value = Float(text), value.isFinite else {
            throw FormatError.invalidValue(
                what: what, message: "'\(text)' is not a finite f32 number", location: currentLocation)
        }
        advance()
        return value
    }
}
