import FPGraph
import FPNumerics

/// How one op is spelled in the graph format: its name, the attribute keys
/// it accepts besides the common node keys, and its family's reader of them.
///
/// Each family declares its spellings (``OpSpelling/graphSpellings``); ``all``
/// and ``byName`` are built from them, so the name → family table has no
/// entry that is not in a family's file.
struct OpSyntax {
    let name: String
    /// Op-specific keys (required and optional).
    let attributes: [String]
    /// Whether the node may declare `dtype` and `shape` (every op except `tuple`
    /// and `rng-bit-generator`, whose results are tuples).
    let allowsDeclaredType: Bool
    /// Reads the op's attributes from a node object whose keys are checked.
    let read: (inout GraphNodeReader) throws -> Operation

    init(
        name: String, attributes: [String], allowsDeclaredType: Bool = true,
        read: @escaping (inout GraphNodeReader) throws -> Operation
    ) {
        self.name = name
        self.attributes = attributes
        self.allowsDeclaredType = allowsDeclaredType
        self.read = read
    }

    /// Keys every node may have.
    static let commonKeys = ["name", "op", "operands", "metadata"]
    static let typeKeys = ["dtype", "shape"]

    /// All keys a node with this op may have, in the order the writer emits them.
    var allowedKeys: [String] {
        ["name", "op", "operands"] + (allowsDeclaredType ? Self.typeKeys : []) + attributes + ["metadata"]
    }

    /// Every op, in documentation order: the families' spellings, in the order of ``OpSpellings/families``.
    static let all: [OpSyntax] = OpSpellings.families.flatMap { $0.graphSpellings }

    static let byName: [String: OpSyntax] = Dictionary(
        all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
