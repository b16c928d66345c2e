import FPFormats
import FPGraph
import FPNumerics
import Foundation

extension VerificationSubject {
    /// A graph file's bytes (our JSON format or HLO text) as a verification
    /// subject: the validated graph, its two hashes and its declared input
    /// distributions, keeping the bytes.
    /// - Throws: `FormatError`, `GraphError` or `DistributionError`, located in `path`.
    public static func read(data: Data, path: String, limits: GraphLimits = .default) throws -> VerificationSubject {
        let parsed = try GraphFile.read(data: data, file: path, limits: limits)
        var defaults: [String: Distribution] = [:]
        for (name, spec) in parsed.sampleSpecs { defaults[name] = try Distribution.parse(spec) }
        return VerificationSubject(
            graph: parsed.graph,
            identity: GraphIdentity(
                path: path, fileSHA256: parsed.fileSHA256,
                canonicalHash: parsed.graph.canonicalHash),
            defaultInputs: defaults, bytes: data)
    }
}

extension VerificationSubject {
    /// Reads a graph file from disk (our JSON format or HLO text) as a
    /// verification subject.
    /// - Throws: ``FormatError`` when the file cannot be read, and what
    ///   ``read(data:path:limits:)`` throws.
    public static func read(path: String, limits: GraphLimits = .default) throws -> VerificationSubject {
        try read(data: try FileAccess.read(path), path: path, limits: limits)
    }
}
