import Foundation
import Yams

/// Typed access to a composed YAML tree, turning every mismatch into a
/// ``PolicyError`` at the node's mark.
struct YAMLReader {
    let file: String
    let lines: [Substring]
    /// Reads a file the policy names (`data(FILE)`), by resolved path.
    let readFile: (String) -> Data?

    init(
        file: String, yaml: String, readFile: @escaping (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) {
        self.file = file
        self.lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        self.readFile = readFile
    }

    func location(_ node: Node) -> PolicyLocation {
        PolicyLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    /// A short description of a node, for "got ..." in messages.
    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let s):
            switch YAMLScalarKind(s) {
            case .null: return "null"
            case .int: return "the integer \(s.string)"
            case .float: return "the number \(s.string)"
            case .bool: return "the boolean \(s.string)"
            case .string: return "the string '\(s.string)'"
            }
        }
    }

    func wrongType(_ node: Node, _ keyPath: String, _ expected: String) -> PolicyError {
        .wrongType(location(node), keyPath: keyPath, expected: expected, got: describe(node))
    }

    /// The pairs of a mapping whose keys are all in `allowed` (in order).
    func mapping(_ node: Node, _ keyPath: String, allowed: [String]) throws -> [(
        key: String, keyNode: Node, value: Node
    )] {
        guard case .mapping(let m) = node else { throw wrongType(node, keyPath, "a mapping") }
        var result: [(String, Node, Node)] = []
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw wrongType(k, keyPath, "a string key") }
            guard allowed.contains(s.string) else {
                throw PolicyError.unknownKey(
                    location(k), keyPath: join(keyPath, s.string), key: s.string,
                    suggestion: closest(to: s.string, in: allowed))
            }
            result.append((s.string, k, v))
        }
        return result
    }

    /// A mapping with arbitrary string keys (used by `inputs`).
    func anyMapping(_ node: Node, _ keyPath: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else { throw wrongType(node, keyPath, "a mapping") }
        return try m.map { k, v in
            guard case .scalar(let s) = k else { throw wrongType(k, keyPath, "a string key") }
            return (s.string, k, v)
        }
    }

    func sequence(_ node: Node, _ keyPath: String) throws -> [Node] {
        guard case .sequence(let s) = node else { throw wrongType(node, keyPath, "a sequence") }
        return Array(s)
    }

    /// A non-null scalar, as text.
    func string(_ node: Node, _ keyPath: String) throws -> String {
        guard case .scalar(let s) = node, YAMLScalarKind(s) != .null else {
            throw wrongType(node, keyPath, "a string")
        }
        return s.string
    }

    /// A non-empty string.
    func nonEmptyString(_ node: Node, _ keyPath: String) throws -> String {
        let s = try string(node, keyPath)
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PolicyError.invalidValue(location(node), keyPath: keyPath, message: "must not be empty")
        }
        return s
    }

    func integer(_ node: Node, _ keyPath: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let s) = node, YAMLScalarKind(s) == .int else {
            throw wrongType(node, keyPath, "an integer")
        }
        guard let n = YAMLScalarKind.integerValue(s.string), range.contains(n) else {
            throw PolicyError.invalidValue(
                location(node), keyPath: keyPath,
                message: "must be between \(range.lowerBound) and \(range.upperBound), got \(s.string)")
        }
        return n
    }

    /// One of the raw values of a string enum.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ keyPath: String, _: E.Type) throws -> E
    where E.RawValue == String {
        let text = try string(node, keyPath)
        guard let value = E(rawValue: text) else {
            let names = E.allCases.map(\.rawValue)
            throw PolicyError.invalidValue(
                location(node), keyPath: keyPath,
                message: "expected one of \(names.joined(separator: ", ")), got '\(text)'")
        }
        return value
    }

    /// A string or a sequence of strings.
    func stringList(_ node: Node, _ keyPath: String) throws -> [String] {
        if case .sequence(let seq) = node {
            return try seq.enumerated().map { try nonEmptyString($1, "\(keyPath)[\($0)]") }
        }
        guard case .scalar = node else { throw wrongType(node, keyPath, "a string or a sequence of strings") }
        return [try nonEmptyString(node, keyPath)]
    }

    /// Where the first character of a scalar's value is, and how to place an
    /// offset into the value: exact for single-line plain and quoted scalars
    /// and for literal (`|`) block scalars, line-by-line for folded ones.
    func positions(of node: Node) -> (Int) -> PolicyLocation {
        let start = location(node)
        guard case .scalar(let s) = node else { return { _ in start } }
        switch s.style {
        case .singleQuoted, .doubleQuoted:
            return { PolicyLocation(file: start.file, line: start.line, column: start.column + 1 + $0) }
        case .literal, .folded:
            // The content starts on the next line, at its indentation.
            let firstLine = start.line + 1
            let indent = firstLine - 1 < lines.count ? lines[firstLine - 1].prefix { $0 == " " }.count : 0
            let text = Array(s.string)
            return { offset in
                var line = firstLine
                var column = indent + 1
                for c in text.prefix(offset) {
                    if c == "\n" {
                        line += 1
                        column = indent + 1
                    } else {
                        column += 1
                    }
                }
                return PolicyLocation(file: start.file, line: line, column: column)
            }
        default:
            return { PolicyLocation(file: start.file, line: start.line, column: start.column + $0) }
        }
    }
}

/// `a.b`, or `b` when `a` is empty.
func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

extension Node {
    /// What a scalar denotes (``YAMLScalarKind``); nil for mappings, sequences and aliases.
    var scalarKind: YAMLScalarKind? {
        guard case .scalar(let s) = self else { return nil }
        return YAMLScalarKind(s)
    }
}
