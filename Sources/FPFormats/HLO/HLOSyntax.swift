import FPGraph

/// The parsed text of an HLO module, before any meaning is given to opcodes
/// and attributes. Attribute values are kept as token ranges and read by
/// ``HLOAttributeReader`` once the opcode says what they must be.
struct HLOModuleSyntax {
    var name: String
    var computations: [HLOComputationSyntax]
    var stackFrames: HLOStackFrameIndex
    /// The `ENTRY` computation's position in ``computations``, if one is marked.
    var entryIndex: Int?
}

/// `[ENTRY] %name (params) -> shape { instructions }`.
struct HLOComputationSyntax {
    var name: String
    var location: SourceLocation
    /// The declared result shape of the signature, when the text has one.
    var resultShape: HLOShapeSyntax?
    var instructions: [HLOInstructionSyntax]
}

/// A dtype and dimensions with an optional layout, or a tuple of shapes.
indirect enum HLOShapeSyntax {
    case array(HLOArrayShapeSyntax)
    case tuple([HLOShapeSyntax], location: SourceLocation)

    var location: SourceLocation {
        switch self {
        case .array(let a): return a.location
        case .tuple(_, let l): return l
        }
    }
}

/// `f32[4,16]{1,0}`: the element type as written (resolved later, so an
/// unsupported opcode is reported before an unsupported dtype), the
/// dimensions and the layout.
struct HLOArrayShapeSyntax {
    var elementType: String
    var dimensions: [Int]
    var layout: HLOLayoutSyntax?
    var location: SourceLocation
}

/// `{1,0}` or `{1,0:T(8,128)S(1)}`: the minor-to-major order, and whether
/// anything (tiling, memory space, element size, ...) follows the colon.
struct HLOLayoutSyntax {
    var minorToMajor: [Int]
    var hasPhysicalExtras: Bool
    var location: SourceLocation
}

/// An operand reference: `%x`, `x`, or with its shape, `f32[4]{0} %x`.
struct HLOOperandSyntax {
    var name: String
    var shape: HLOShapeSyntax?
    var location: SourceLocation
}

/// `name=value`; the value is the token range `valueTokens`.
struct HLOAttributeSyntax {
    var name: String
    var location: SourceLocation
    var valueTokens: Range<Int>
    var valueLocation: SourceLocation
}

/// `[ROOT] %name = shape opcode(operands), attributes`.
struct HLOInstructionSyntax {
    var name: String
    var location: SourceLocation
    var isRoot: Bool
    var shape: HLOShapeSyntax?
    var opcode: String
    var opcodeLocation: SourceLocation
    var operands: [HLOOperandSyntax]
    /// `parameter(N)`: the number N.
    var parameterNumber: Int?
    /// `constant(...)`: the tokens between the parentheses.
    var literalTokens: Range<Int>?
    var literalLocation: SourceLocation?
    var attributes: [HLOAttributeSyntax]
}
