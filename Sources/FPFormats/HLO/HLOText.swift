import FPGraph
import Foundation

/// Reads XLA HLO text as JAX and XLA dump it (`--xla_dump_to`): the
/// `before_optimizations`, per-pass and `after_optimizations` modules, or HLO
/// written by hand (see `docs/hlo-import.md`).
///
/// The `ENTRY` computation is the graph; its parameters, in `parameter(N)`
/// order, are the graph's parameters, named as in the text (`x.1`) and
/// aliased by the last component of their metadata `op_name` (`x`, the name
/// JAX gives the argument). The entry's `ROOT` is the output, or one output
/// per element (`#0`, `#1`, ...) when it is a tuple.
///
/// Every error is located at `file:line:column`: lexing and parsing errors
/// and unsupported opcodes, dtypes and attributes are ``FormatError``s;
/// structural problems (arity, shapes, tuple indices, size limits) are the
/// builder's ``GraphError``s at the offending instruction.
public enum HLOText {
    /// Reads and validates a graph from the bytes of an HLO text file.
    ///
    /// - Parameters:
    ///   - data: the file's bytes (UTF-8).
    ///   - file: the name used in error locations and as ``Graph/source``.
    ///   - limits: node and element limits, applied before anything large is allocated.
    /// - Throws: ``FormatError`` or ``GraphError``.
    public static func read(data: Data, file: String, limits: GraphLimits = .default) throws -> ParsedGraph {
        let tokens = try HLOLexer.tokenize([UInt8](data), file: file)
        var parser = HLOParser(tokens: tokens, file: file)
        let module = try parser.parseModule()
        let spec = try HLOLowering(module: module, tokens: tokens, file: file, limits: limits).graphSpec()
        let graph = try GraphBuilder(limits: limits).build(spec)
        return ParsedGraph(graph: graph, fileSHA256: fileSHA256(data), metadata: ["hlo_module": module.name])
    }

    /// Reads and validates a graph from an HLO text file; its path names it in errors.
    public static func read(contentsOf url: URL, limits: GraphLimits = .default) throws -> ParsedGraph {
        let data = try GraphJSON.readFile(url, limits: .default)
        return try read(data: data, file: url.path, limits: limits)
    }
}
