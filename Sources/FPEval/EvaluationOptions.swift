/// The order in which `reduce` and `dot` combine their terms.
///
/// Real backends differ (XLA CPU vectorises, GPUs use trees), so the order is
/// an explicit, documented choice:
/// - `sequential`: `acc = init; for each term in row-major order: acc = f(acc, term)`.
/// - `pairwise`: the terms are combined as a balanced binary tree (split at
///   `mid = (lo + hi) / 2`, left subtree first), then `f(init, tree)`.
public enum ReductionOrder: String, CaseIterable, Sendable, Codable {
    case sequential, pairwise
}

/// How the IEEE evaluator rounds.
public enum ExecutionMode: String, CaseIterable, Sendable, Codable {
    /// Every op rounds to its declared result dtype.
    case declared
    /// Every float is held and computed in binary64; float converts are the identity.
    case double
}

/// How the declared-precision evaluator treats subnormal numbers.
public enum SubnormalMode: String, CaseIterable, Sendable, Codable {
    /// IEEE 754: subnormals are produced and used (gradual underflow).
    case keep
    /// As XLA's CPU backend runs (x86 FTZ and DAZ): a subnormal operand of an
    /// arithmetic op counts as zero, and a subnormal result becomes zero, in
    /// the compute type (binary32 for f32, f16 and bf16; binary64 for f64).
    case flush
}
