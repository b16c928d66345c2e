import FPEval
import FPFormats
import FPGraph
import FPNumerics
@testable import FPVerify
import _TestSupport

/// A verification subject from JSON text.
func subject(_ json: String, path: String = "test.json") throws -> VerificationSubject {
    let parsed = try parsedGraph(json, file: path)
    var defaults: [String: Distribution] = [:]
    for (k, v) in parsed.sampleSpecs { defaults[k] = try Distribution.parse(v) }
    return VerificationSubject(graph: parsed.graph,
                               identity: GraphIdentity(path: path, fileSHA256: parsed.fileSHA256,
                                                       canonicalHash: parsed.graph.canonicalHash),
                               defaultInputs: defaults)
}

/// `y = (c + x) - c` in f64, a cancellation whose truth needs more than log2(c) bits.
func cancellationGraph(constant: String) -> String {
    """
    {"parameters": [{"name": "x", "dtype": "f64", "shape": []}],
     "nodes": [
       {"name": "c", "op": "constant", "dtype": "f64", "value": "\(constant)"},
       {"name": "s", "op": "add", "operands": ["c", "x"]},
       {"name": "y", "op": "subtract", "operands": ["s", "c"]}],
     "outputs": ["y"]}
    """
}
