/// Exact storage for integer and pred arrays (pred as 0/1).
final class IntegerBuffer {
    var values: [Int64]

    init(count: Int) { values = [Int64](repeating: 0, count: count) }
}

/// The value of one node during an evaluation.
enum Value<Buffer: AnyObject> {
    case real(Buffer)
    case integer(IntegerBuffer)
    case tuple([Value<Buffer>])

    var real: Buffer {
        if case .real(let b) = self { return b }
        preconditionFailure("expected a float array value")
    }

    var integer: IntegerBuffer {
        if case .integer(let b) = self { return b }
        preconditionFailure("expected an integer array value")
    }

    var elements: [Value<Buffer>] {
        if case .tuple(let e) = self { return e }
        preconditionFailure("expected a tuple value")
    }
}

/// Records the outcome of every float comparison of one evaluation, so that
/// two evaluations at different precisions can be checked for flipped branches.
final class BranchRecorder {
    private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var comparisons = 0

    func reset() {
        digest = 0xcbf2_9ce4_8422_2325
        comparisons = 0
    }

    @inline(__always)
    func record(_ outcome: Bool) {
        digest = (digest ^ (outcome ? 1 : 0)) &* 0x100_0000_01b3
        comparisons += 1
    }
}
