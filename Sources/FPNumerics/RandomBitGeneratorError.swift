import Foundation

/// Why ``RandomBitGenerator/generate(_:state:bitWidth:shape:)`` rejected its
/// arguments (XLA would reject the same `rng-bit-generator`).
public enum RandomBitGeneratorError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The state has a length the algorithm does not accept.
    case unsupportedStateLength(algorithm: RandomBitAlgorithm, length: Int, supported: [Int])
    /// The output element width is not 8, 16, 32 or 64 bits.
    case unsupportedBitWidth(Int)
    /// A dimension of the output shape is negative.
    case negativeDimension(shape: [Int], index: Int)
    /// The output shape has more elements than can be generated.
    case tooManyElements(shape: [Int])

    /// A one-line message naming the problem and what was expected.
    public var description: String {
        switch self {
        case .unsupportedStateLength(let algorithm, let length, let supported):
            let lengths = supported.map { "u64[\($0)]" }.joined(separator: " or ")
            return "rng-bit-generator: \(algorithm) needs a state of \(lengths), got u64[\(length)]"
        case .unsupportedBitWidth(let width):
            return "rng-bit-generator: output elements must be 8, 16, 32 or 64 bits wide, got \(width)"
        case .negativeDimension(let shape, let index):
            return "rng-bit-generator: dimension \(index) of the output shape \(shape) is negative"
        case .tooManyElements(let shape):
            return "rng-bit-generator: the output shape \(shape) has too many elements"
        }
    }

    /// Same as ``description``, for `localizedDescription`.
    public var errorDescription: String? { description }
}
