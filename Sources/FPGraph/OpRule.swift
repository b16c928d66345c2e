/// Everything FPGraph knows about one op family, in one place.
///
/// Each ``Operation`` case has one conforming type, `<Family>Rule` in
/// `Sources/FPGraph/Ops/<Family>Rule.swift`, holding the case's attributes.
/// The module reaches it only through ``Operation/rule``, one exhaustive
/// `switch`, so a new `Operation` case does not compile until it has a rule,
/// and a rule does not compile until it answers every requirement below
/// (only ``startIndexBounds(operandTypes:)``, ``varianceOperand`` and
/// ``elementDependence(_:)`` have defaults: most ops have no start index or
/// variance, and the ops element sampling cannot restrict need their operands whole).
///
/// The public facts (``name``, ``calledComputations``, ``isLocalErrorSite``,
/// ``valueFlow``, ...) are published through `Operation`'s properties of the
/// same names; the rest serve the builder (type rule), the work estimate, the
/// canonical hash and the reduction depth.
protocol OpRule {
    /// The opcode name used in our JSON format and in messages (``Operation/opcodeName``).
    var name: String { get }

    /// Names of the computations the op calls, in attribute order (``Operation/calledComputations``).
    var calledComputations: [String] { get }

    /// The op's result type from its operands and attributes, with the checks
    /// that make the node well formed; every failed check is a located ``GraphError``.
    ///
    /// The called computations are already built (``Context/callee(_:)``); the
    /// declared type, dtype and shape are checked against the result afterwards.
    func inferType(_ c: Context) throws -> ValueType

    /// The element operations of one evaluation of the node itself (see
    /// ``EvaluationWork``), the work of called computations included.
    func work(at site: WorkSite) -> Double

    /// True when the op writes its result's elements itself, so its work is at
    /// least their count; false for ops that only name, alias or call values
    /// (parameter, constant, tuple, reshape, call, while, ...).
    var writesResult: Bool { get }

    /// The op and its attributes as text for the canonical hash (names of
    /// called computations left out: they enter through their digests).
    /// Changing it changes every stored canonical hash.
    var canonicalText: String { get }

    /// The rounded accumulation steps the node adds along a path through it
    /// (see ``Graph/outputReductionDepths``).
    func reductionDepth(at site: DepthSite) -> Int

    /// True when, inside a reducer or combiner computation, the op may round
    /// (so the reduction's steps count toward the reduction depth); false when
    /// it only selects or moves values.
    var roundsInReducer: Bool { get }

    /// True when evaluating the op on exactly rounded operands can itself lose
    /// accuracy, so the localizer measures its local error (``Operation/isLocalErrorSite``).
    var isLocalErrorSite: Bool { get }

    /// How the node's value relates to its operands' values, for analyses that
    /// follow values without running the graph (``Operation/valueFlow``).
    var valueFlow: ValueFlow { get }

    /// The operands that are start indices into another operand, each with how
    /// many values it can usefully take (``Operation/startIndexBounds(operandTypes:)``).
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound]

    /// The position of the operand that is a variance (never negative), if the op has one.
    var varianceOperand: Int? { get }

    /// Which operand elements a box of the result needs (see ``ElementDependence``);
    /// asked only for array-valued nodes whose operands are arrays.
    func elementDependence(_ site: SliceSite) -> ElementDependence
}

extension OpRule {
    /// No operand is a start index.
    func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] { [] }

    /// No operand is a variance.
    var varianceOperand: Int? { nil }

    /// Needs its operands whole.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .whole }
}

/// How a node's value relates to its operands' values, as far as analyses
/// that follow a value through a graph without running it care.
public enum ValueFlow: Hashable, Sendable {
    /// The computation's parameter with this position.
    case parameter(index: Int)
    /// Its first operand's values, only moved or converted (broadcast, reshape,
    /// transpose, convert, bitcast, slice, copy).
    case operandValues
    /// Its operands' values side by side (concatenate).
    case concatenation
    /// Its operands passed unchanged as the parameters of the named computation,
    /// whose result it is (call).
    case callee(String)
    /// Anything else: values computed from the operands or made from nothing,
    /// and data movements these analyses do not follow (reverse, gather, ...).
    case other
}

/// An operand that is a start index (or a vector of them) into another operand.
public struct StartIndexBound: Hashable, Sendable {
    /// The operand's position.
    public var operand: Int
    /// How many values it can usefully take (`0 ..< count`: past that the op clamps or skips).
    public var count: Int
    /// What it indexes, for the user (`a start index of a dynamic-slice of f32[8]`).
    public var reason: String

    /// Creates a bound from its parts.
    public init(operand: Int, count: Int, reason: String) {
        self.operand = operand
        self.count = count
        self.reason = reason
    }
}

extension Operation {
    /// Whether evaluating the op on exactly rounded operands can lose accuracy:
    /// true for arithmetic (and the control flow and calls that contain it),
    /// false for ops that only make, move or select values exactly (parameter,
    /// constant, reshape, gather, sort, ...). The localizer measures the local
    /// error of exactly these ops.
    public var isLocalErrorSite: Bool { rule.isLocalErrorSite }

    /// How the node's value relates to its operands' values (see ``ValueFlow``).
    public var valueFlow: ValueFlow { rule.valueFlow }

    /// The operands that are start indices into another operand, with how many
    /// values each can usefully take, given the node's operand types; empty for
    /// ops without start indices (and when the types do not fit the op).
    public func startIndexBounds(operandTypes: [ValueType]) -> [StartIndexBound] {
        rule.startIndexBounds(operandTypes: operandTypes)
    }

    /// The position of the operand that is a variance (never negative), if the
    /// op has one: operand 4 of `batch-norm-inference`, 3 of `batch-norm-grad`.
    public var varianceOperand: Int? { rule.varianceOperand }
}
