import FPFormats
import FPGraph
import FPNumerics
import Foundation

extension VerificationSubject {
    /// A graph file's bytes (our JSON format or HLO text) as a verification
    /// subject: the validated graph, its two hashes and its declared input
    /// distributions.
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
            defaultInputs: defaults)
    }
}
