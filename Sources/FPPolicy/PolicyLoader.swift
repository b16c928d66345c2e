import Foundation
import Yams

/// Reads policies from YAML, resolving `extends`.
///
/// Merge rules for `extends: parent.yaml` (a path relative to the child's directory):
/// - `name`, `version`: the child's when given, else the parent's;
/// - `settings`: key by key, the child's value wins;
/// - `inputs`: the child's patterns first, then the parent's (the first matching pattern wins);
/// - `rules`: by `id`: a child rule replaces the parent's rule with the same id in place,
///   new ids are appended in the child's order;
/// - `waivers`: the parent's, then the child's.
public enum PolicyLoader {
    /// Loads a policy file and the files it extends.
    /// - Throws: ``PolicyError``.
    public static func load(path: String) throws -> Policy {
        try load(path: path, stack: [])
    }

    /// Loads a policy from YAML text; `path` names it in errors and anchors relative `extends` paths.
    /// - Throws: ``PolicyError``.
    public static func load(yaml: String, path: String) throws -> Policy {
        try load(yaml: yaml, path: path, stack: [])
    }

    /// Loads a self-contained policy (no `extends`, such as a policy's
    /// ``Policy/canonicalText``) whose `data(FILE)` inputs are read with
    /// `readFile` (given the path resolved against `path`'s directory)
    /// instead of from disk: how `log replay` loads a recorded policy.
    /// - Throws: ``PolicyError``.
    public static func load(yaml: String, path: String, readFile: @escaping (String) -> Data?) throws -> Policy {
        try load(yaml: yaml, path: path, stack: [], readFile: readFile)
    }

    /// The path `data(name)` resolves to in a policy file at `policyPath`.
    public static func dataPath(_ name: String, policyPath: String) -> String {
        name.hasPrefix("/")
            ? name : ((policyPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    /// The built-in policy: `Policies/default.yaml`, used when no `--policy` is given.
    public static let builtinDefault: Policy = {
        do {
            return try load(yaml: builtinDefaultYAML, path: "<builtin>/default.yaml")
        } catch {
            fatalError("the built-in default policy does not load: \(error)")
        }
    }()

    // MARK: - Implementation

    private static func load(path: String, stack: [String]) throws -> Policy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PolicyError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try load(yaml: text, path: path, stack: stack)
    }

    private static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func load(
        yaml: String, path: String, stack: [String],
        readFile: ((String) -> Data?)? = nil
    ) throws -> Policy {
        let reader =
            readFile.map { YAMLReader(file: path, yaml: yaml, readFile: $0) } ?? YAMLReader(file: path, yaml: yaml)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml, .basic) else {
                throw PolicyError.wrongType(
                    PolicyLocation(file: path, line: 1, column: 1), keyPath: "",
                    expected: "a mapping", got: "an empty document")
            }
            root = node
        } catch let error as YamlError {
            throw yamlError(error, file: path)
        }
        let file = try PolicyFile(root, reader: reader)
        let stack = stack + [normalized(path)]

        var parent: Policy?
        if let (extendsPath, node) = file.extends {
            let base = URL(fileURLWithPath: path).deletingLastPathComponent()
            let target = extendsPath.hasPrefix("/") ? extendsPath : base.appendingPathComponent(extendsPath).path
            if stack.contains(normalized(target)) {
                throw PolicyError.extendsCycle(
                    reader.location(node), keyPath: "extends",
                    chain: stack + [normalized(target)])
            }
            guard FileManager.default.isReadableFile(atPath: target) else {
                throw PolicyError.invalidValue(
                    reader.location(node), keyPath: "extends",
                    message: "cannot read '\(extendsPath)' (resolved to '\(target)')")
            }
            parent = try load(path: target, stack: stack)
        }
        let policy = try file.merged(over: parent, path: path)
        try file.checkWaivers(against: policy, reader: reader)
        return policy
    }

    /// A Yams error as a located ``PolicyError``.
    static func yamlError(_ error: YamlError, file: String) -> PolicyError {
        func at(_ mark: Mark, _ message: String) -> PolicyError {
            .yaml(PolicyLocation(file: file, line: mark.line, column: mark.column), message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return at(mark, "invalid YAML: " + problem + (context.map { " " + $0.text } ?? ""))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(
                context.mark,
                "duplicate key\(duplicates.count == 1 ? "" : "s") "
                    + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))
        default:
            return .yaml(PolicyLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(error)")
        }
    }
}

extension PolicyLoader {
    /// The policy loader's whole path on arbitrary bytes, as the `policy`
    /// fuzz target and its corpus replay test run it: UTF-8 text loaded as a
    /// policy file (no file around it: `extends` finds nothing) and its
    /// canonical text taken. Returns or throws a located ``PolicyError``.
    public static func exercise(_ data: Data) throws {
        guard let yaml = String(data: data, encoding: .utf8) else { return }
        let policy = try load(yaml: yaml, path: "/nonexistent/fuzz/policy.yaml") { _ in nil }
        _ = policy.canonicalText
    }
}
