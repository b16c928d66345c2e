import FPFormats
import FPGraph
import FPNumerics
import FPTrace
import FPVerify
import Foundation

/// SARIF 2.1.0 logs of verification and trace results, for code-scanning
/// dashboards (see docs/ci-formats.md).
///
/// One run whose driver lists one rule per rule id seen in the checks and
/// findings, and one result per finding, located at the rewritten graph's
/// file and, when localisation found one, at the line and column of the node
/// that loses the most accuracy. Waived findings carry an external suppression.
public enum SARIFReport {
    /// The `$schema` URI written into every log.
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// The SARIF version written into every log.
    public static let version = "2.1.0"

    /// Encodes the findings of one verification as a SARIF log.
    public static func encode(_ result: VerificationResult) throws -> Data {
        var builder = Builder()
        builder.add(result, uri: result.rewritten.path, pass: nil, step: nil)
        return try JSONCoding.encoder().encode(builder.log(properties: RunProperties(result)))
    }

    /// Encodes the findings of every verified step of a trace (and of the
    /// end-to-end comparison) as a SARIF log. Each result is located at its
    /// step's `to` snapshot and names the pass in its properties; steps that
    /// could not be verified become tool execution notifications.
    public static func encode(_ trace: TraceResult) throws -> Data {
        var builder = Builder()
        var notifications: [Notification] = []
        let steps = trace.steps.enumerated().map { ($0.element, Optional($0.offset + 1)) } + [(trace.endToEnd, nil)]
        for (step, index) in steps {
            switch step.outcome {
            case .verified(let r):
                builder.add(r, uri: step.to.path, pass: step.pass, step: index)
            case .error(let message):
                notifications.append(
                    Notification(
                        level: "error",
                        message: Message(
                            text: "step \(index.map(String.init) ?? "end-to-end") (\(step.pass)): \(message)"),
                        locations: [Location(uri: step.to.path, node: nil)]))
            case .unchanged:
                break
            }
        }
        let verdicts = steps.compactMap { $0.0.verdict }
        let verdict: Verdict = verdicts.contains(.fail) ? .fail : (verdicts.contains(.warn) ? .warn : .pass)
        let properties = RunProperties(module: trace.module, verdict: verdict, policy: nil)
        return try JSONCoding.encoder().encode(builder.log(properties: properties, notifications: notifications))
    }

    /// SARIF `level` of a severity: `error`, `warning` or `note`.
    public static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A measured figure as text: integers exactly, others with 4 significant digits.
    static func number(_ x: Double) -> String {
        if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return CFormat.string("%.4g", x)
    }

    /// Percent-encodes a path as a URI reference (relative paths stay relative).
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#[]@")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Accumulates rules (in first-seen order) and results.
    struct Builder {
        var rules: [ReportingDescriptor] = []
        var ruleIndex: [String: Int] = [:]
        var results: [SARIFResult] = []

        mutating func rule(_ id: String, description: String?, severity: Severity) -> Int {
            if let k = ruleIndex[id] { return k }
            rules.append(
                ReportingDescriptor(
                    id: id, shortDescription: Message(text: description ?? id),
                    defaultConfiguration: Configuration(level: SARIFReport.level(severity))))
            ruleIndex[id] = rules.count - 1
            return rules.count - 1
        }

        mutating func add(_ r: VerificationResult, uri: String, pass: String?, step: Int?) {
            for c in r.checks { _ = rule(c.rule, description: c.expression, severity: c.severity) }
            let hotspot = r.hotspots?.rewritten.first.flatMap { $0.bits > 0 ? $0 : nil }
            for f in r.findings {
                // The node most responsible, from localisation; without one, the node producing the output.
                let root = r.outputs.firstIndex { $0.name == f.output }.map { min($0, r.rewrittenRoots.count - 1) } ?? 0
                let node =
                    hotspot.map(Site.init)
                    ?? (r.rewrittenRoots.indices.contains(root) ? Site(r.rewrittenRoots[root]) : nil)
                let check = r.checks.first { $0.rule == f.rule && $0.output == f.output }
                let index = rule(f.rule, description: check?.expression, severity: f.severity)
                var text = f.message
                if !f.message.contains("measured"), let v = f.value {
                    text += " (measured \(number(v))"
                    text += f.threshold.map { ", threshold \(number($0)))" } ?? ")"
                }
                if let h = hotspot, let cause = h.cause {
                    text += "; \(h.displayName) loses \(number(h.bits)) bits: \(cause.description)"
                }
                if let output = f.output { text = "[\(output)] " + text }
                if let pass { text = "\(pass): " + text }
                let properties = ResultProperties(
                    value: f.value, threshold: f.threshold, comparison: check?.comparison, output: f.output,
                    pass: pass, step: step, waived: f.waiver != nil, severity: f.severity.rawValue,
                    node: node?.node, op: node?.op, sourceLine: node?.sourceLine,
                    cause: hotspot?.cause?.kind, causeDescription: hotspot?.cause?.description,
                    graphSHA256: r.rewritten.fileSHA256, canonicalHash: r.rewritten.canonicalHash)
                results.append(
                    SARIFResult(
                        ruleId: f.rule, ruleIndex: index, level: SARIFReport.level(f.severity),
                        message: Message(text: text),
                        locations: [Location(uri: uri, node: node)],
                        suppressions: f.waiver.map { [Suppression(kind: "external", justification: $0)] },
                        properties: properties))
            }
        }

        func log(properties: RunProperties, notifications: [Notification] = []) -> Log {
            let driver = Driver(
                name: "fpaudit", version: ToolVersion.current, semanticVersion: ToolVersion.current,
                rules: rules)
            let invocation = Invocation(
                executionSuccessful: notifications.isEmpty,
                toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
            return Log(runs: [
                Run(
                    tool: Tool(driver: driver), invocations: [invocation], results: results,
                    properties: properties)
            ])
        }
    }

    // MARK: - SARIF objects (only the properties fpaudit writes)

    struct Log: Encodable {
        let schema = SARIFReport.schemaURI
        let version = SARIFReport.version
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let invocations: [Invocation]
        let results: [SARIFResult]
        let properties: RunProperties
    }

    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name: String
        let version: String
        let semanticVersion: String
        let rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        let id: String
        let shortDescription: Message
        let defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { let level: String }

    struct Message: Encodable { let text: String }

    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let toolExecutionNotifications: [Notification]?
    }

    struct Notification: Encodable {
        let level: String
        let message: Message
        let locations: [Location]
    }

    struct SARIFResult: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]
        let suppressions: [Suppression]?
        let properties: ResultProperties
    }

    struct Suppression: Encodable {
        let kind: String
        let justification: String
    }

    /// Where a result points: a node, its location and, when known, the user's source line.
    struct Site {
        let node: String
        let op: String
        let location: SourceLocation?
        let sourceLine: String?

        init(_ e: NodeError) { (node, op, location, sourceLine) = (e.qualifiedName, e.op, e.location, e.sourceLine) }
        init(_ s: NodeSite) { (node, op, location, sourceLine) = (s.node, s.op, s.location, nil) }
    }

    struct Location: Encodable {
        let physicalLocation: PhysicalLocation
        let logicalLocations: [LogicalLocation]?

        init(uri path: String, node: Site?) {
            physicalLocation = PhysicalLocation(
                artifactLocation: ArtifactLocation(uri: SARIFReport.uri(path)),
                region: node?.location.map { Region(startLine: $0.line, startColumn: $0.column) })
            logicalLocations = node.map { [LogicalLocation(name: $0.node)] }
        }
    }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region?
    }

    struct ArtifactLocation: Encodable { let uri: String }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }

    struct LogicalLocation: Encodable {
        let name: String
    }

    struct ResultProperties: Encodable {
        let value: Double?
        let threshold: Double?
        let comparison: String?
        let output: String?
        let pass: String?
        let step: Int?
        let waived: Bool
        let severity: String
        let node: String?
        let op: String?
        let sourceLine: String?
        /// The hotspot's cause class and its description (``ErrorCause``).
        let cause: String?
        let causeDescription: String?
        let graphSHA256: String
        let canonicalHash: String
    }

    struct RunProperties: Encodable {
        var module: String?
        let verdict: Verdict
        let policy: PolicyStamp?

        init(module: String?, verdict: Verdict, policy: PolicyStamp?) {
            self.module = module
            self.verdict = verdict
            self.policy = policy
        }

        init(_ r: VerificationResult) {
            module = nil
            verdict = r.verdict
            policy = r.policy
        }
    }
}
