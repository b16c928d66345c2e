import FPGraph
import Foundation

extension HLOText {
    /// HLO text for a graph cut out of an HLO module: the module's
    /// instructions for the graph's entry nodes, each written as the module
    /// writes it (attributes, metadata), with the graph's parameters as
    /// `parameter(N)` instructions, the graph's root as `ROOT`, the called
    /// computations and the stack-frame tables copied, and operands renamed
    /// where the graph renamed them.
    ///
    /// The text is read back before it is returned: it must give a graph
    /// with the same canonical hash and the same parameter names, so the
    /// HLO pair verifies exactly as the graphs do.
    ///
    /// - Parameters:
    ///   - graph: a graph whose every non-parameter entry node is an entry
    ///     instruction of the module (by name, possibly renamed `NAME.k`), with
    ///     the same operation; its other computations are the module's.
    ///   - source: the module's HLO text.
    ///   - file: the module's path, for messages.
    /// - Throws: ``FormatError/unsupported(message:location:)`` when a node is
    ///   not an instruction of the module, or the text does not read back as
    ///   the same graph; what reading `source` throws.
    public static func subgraph(_ graph: Graph, of source: Data, file: String) throws -> Data {
        let tokens = try HLOLexer.tokenize([UInt8](source), file: file)
        var parser = HLOParser(tokens: tokens, file: file)
        let module = try parser.parseModule()
        let lines = String(decoding: source, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { Array($0.unicodeScalars) }
        func refuse(_ message: String) -> FormatError {
            FormatError.unsupported(
                message: "cannot write the reduced graph as HLO: \(message)",
                location: SourceLocation(file: file, line: 1, column: 1))
        }
        guard let entryIndex = module.entryIndex ?? (module.computations.isEmpty ? nil : module.computations.count - 1)
        else { throw refuse("the module has no computation") }
        let entrySyntax = module.computations[entryIndex]
        var instructionByName: [String: HLOInstructionSyntax] = [:]
        for instruction in entrySyntax.instructions { instructionByName[instruction.name] = instruction }

        var text: [String] = ["HloModule \(module.name)_reduced", ""]
        // The stack-frame tables (between the header and the first computation), so metadata resolves.
        let firstComputationLine = module.computations.map(\.location.line).min() ?? 1
        if firstComputationLine > 2 {
            text += lines[1..<(firstComputationLine - 1)].map { String(String.UnicodeScalarView($0)) }
        }
        // Called computations, as written, in the module's order.
        let starts = module.computations.map(\.location.line).sorted()
        for c in module.computations where c.name != entrySyntax.name && graph.computations[c.name] != nil {
            let end = starts.first { $0 > c.location.line } ?? (lines.count + 1)
            text += lines[(c.location.line - 1)..<(end - 1)].map { String(String.UnicodeScalarView($0)) }
        }

        let entry = graph.entry
        func shape(_ type: ValueType) -> String {
            switch type {
            case .array(let a): return "\(a.dtype.rawValue)[\(a.dimensions.map(String.init).joined(separator: ","))]"
            case .tuple(let elements): return "(\(elements.map(shape).joined(separator: ", ")))"
            }
        }
        let signature = graph.parameters.map { "\($0.name): \(shape(.array($0.type)))" }.joined(separator: ", ")
        text.append("ENTRY %\(entry.name) (\(signature)) -> \(shape(entry.resultType)) {")
        for (k, p) in graph.parameters.enumerated() {
            text.append("  %\(p.name) = \(shape(.array(p.type))) parameter(\(k))")
        }
        for (i, node) in entry.nodes.enumerated() {
            if case .parameter = node.operation { continue }
            let original = instructionByName[node.name] ?? instructionByName[Self.unrenamed(node.name)]
            guard let instruction = original, instruction.location.line <= lines.count else {
                throw refuse("node '\(node.name)' is not an instruction of the module's entry")
            }
            guard instruction.operands.count == node.operands.count else {
                throw refuse(
                    "node '\(node.name)' has \(node.operands.count) operands, its instruction \(instruction.operands.count)"
                )
            }
            // Renames, right to left on the line so earlier columns stay valid.
            var renames: [(column: Int, old: String, new: String)] = []
            if instruction.name != node.name {
                renames.append((instruction.location.column, instruction.name, node.name))
            }
            for (operand, o) in zip(instruction.operands, node.operands) where operand.name != entry.nodes[o].name {
                guard operand.location.line == instruction.location.line else {
                    throw refuse("instruction '\(instruction.name)' spans lines")
                }
                renames.append((operand.location.column, operand.name, entry.nodes[o].name))
            }
            var line = lines[instruction.location.line - 1]
            for rename in renames.sorted(by: { $0.column > $1.column }) {
                let start = rename.column - 1
                let hasPercent = start < line.count && line[start] == "%"
                let old = Array(((hasPercent ? "%" : "") + rename.old).unicodeScalars)
                guard start + old.count <= line.count, Array(line[start..<(start + old.count)]) == old else {
                    throw refuse("instruction '\(instruction.name)' is not where the module says")
                }
                line.replaceSubrange(
                    start..<(start + old.count), with: ((hasPercent ? "%" : "") + rename.new).unicodeScalars)
            }
            var written = String(String.UnicodeScalarView(line))
            let indent = written.prefix { $0 == " " || $0 == "\t" }
            var body = written.dropFirst(indent.count)
            if body.hasPrefix("ROOT ") { body = body.dropFirst(5) }
            written = "  " + (i == entry.root ? "ROOT " : "") + body
            text.append(written)
        }
        text.append("}")
        let data = Data((text.joined(separator: "\n") + "\n").utf8)

        // Read it back: the same semantics and parameters, or nothing.
        let readBack: Graph
        do {
            readBack = try read(data: data, file: file).graph
        } catch {
            throw refuse("the text does not read back (\(error))")
        }
        guard readBack.canonicalHash == graph.canonicalHash,
            readBack.parameters.map(\.name) == graph.parameters.map(\.name)
        else { throw refuse("the text reads back as a different graph") }
        return data
    }

    /// `NAME` for a node the reducer renamed `NAME.k` to keep it apart from a parameter.
    private static func unrenamed(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), Int(name[name.index(after: dot)...]) != nil else { return name }
        return String(name[..<dot])
    }
}
