import FPEval
import FPFormats
import FPGraph
import FPNumerics
import FPTrace
import Foundation
import _TestSupport

@testable import FPVerify

/// A verification subject from JSON text.
func subject(_ json: String, path: String = "test.json") throws -> VerificationSubject {
    try VerificationSubject.read(data: Data(json.utf8), path: path)
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
