extension JSONValue {
    /// A finite number read as the nearest f32 (XLA's float attributes, e.g. batch-norm's epsilon).
    func float32(_ what: String) throws -> Float {
        guard case .number(let text) = kind else { throw wrongType(what, expected: "a number") }
        guard let value = Float(text), value.isFinite else {
            throw FormatError.invalidValue(what: what, message: "\(text) is not a finite f32", location: location)
        }
        return value
    }
}
