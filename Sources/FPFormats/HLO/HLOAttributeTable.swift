import FPGraph

/// An instruction's attributes by name; the lowering takes the ones the
/// opcode uses, and what remains is checked against
/// ``HLOOpcodes/semanticAttributes``.
struct HLOAttributeTable {
    private var byName: [String: HLOAttributeSyntax] = [:]

    /// - Throws: ``FormatError`` at the second of two attributes with one name.
    init(_ instruction: HLOInstructionSyntax) throws {
        for attribute in instruction.attributes {
            if let first = byName.updateValue(attribute, forKey: attribute.name) {
                throw FormatError.invalidValue(
                    what: "instruction '\(instruction.name)'",
                    message:
                        "attribute '\(attribute.name)' is given twice (first at \(first.location.line):\(first.location.column))",
                    location: attribute.location)
            }
        }
    }

    /// Removes and returns the attribute `name`, if present.
    mutating func take(_ name: String) -> HLOAttributeSyntax? {
        byName.removeValue(forKey: name)
    }

    /// The attributes not taken, in text order.
    var remaining: [HLOAttributeSyntax] {
        byName.values.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }
}
