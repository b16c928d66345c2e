import FPGraph

/// A graph read from a file, with what the file says beyond the graph itself.
public struct ParsedGraph: Sendable {
    /// The validated graph.
    public var graph: Graph
    /// SHA-256 of the file's bytes, hex encoded (changes with any byte, unlike
    /// ``Graph/canonicalHash``).
    public var fileSHA256: String
    /// Default input distributions: parameter name → the `"sample"` text as
    /// written (already checked with `Distribution.parse`).
    public var sampleSpecs: [String: String]
    /// The graph-level `"metadata"` object (free-form; not part of the canonical hash).
    public var metadata: [String: String]

    /// Bundles a built graph with what its file said besides the graph.
    public init(
        graph: Graph, fileSHA256: String, sampleSpecs: [String: String] = [:],
        metadata: [String: String] = [:]
    ) {
        self.graph = graph
        self.fileSHA256 = fileSHA256
        self.sampleSpecs = sampleSpecs
        self.metadata = metadata
    }
}
