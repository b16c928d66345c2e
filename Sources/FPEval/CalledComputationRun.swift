import FPGraph
import FPNumerics

/// One finished run of a called computation (a fusion, a loop body or
/// condition, a conditional's branch, a general reducer or comparator)
/// inside an ``Interpreter`` run: its node values, read before the caller
/// moves on. Valid only inside the observer it is given to
/// (``Interpreter/observeCalledComputations(_:)``): the next run of the same
/// computation overwrites its values.
public struct CalledComputationRun<D: RealDomain> {
    let runner: ComputationRunner<D>

    /// The computation that ran.
    public var computation: Computation { runner.computation }

    /// The value node `node` of ``computation`` had in this run, as
    /// ``Interpreter/nodeData(_:format:)`` reads an entry node.
    public func nodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        runner.nodeData(node, format: format)
    }
}

extension CalledComputationRun where D: EnclosureDomain {
    /// The value node `node` of ``computation`` had in this run, when the
    /// enclosure decides the rounding of every element, as
    /// ``Interpreter/decidedNodeData(_:format:)`` reads an entry node.
    public func decidedNodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        runner.decidedNodeData(node, format: format)
    }
}

/// What an interpreter's runners call after each run of a called
/// computation; shared by every runner of one interpreter, set or cleared
/// between runs.
final class CalledRunObserver<D: RealDomain> {
    var handler: ((CalledComputationRun<D>) throws -> Void)?
}

extension ComputationRunner {
    /// The value of node `node` in the current run: floats rounded to
    /// `format(dtype)`, integers exact; nil for tuples and nodes not reached.
    func nodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        guard let type = computation.nodes[node].type.arrayType, let value = values[node] else { return nil }
        switch value {
        case .real(let b):
            let f = format(type.dtype)
            return .floats((0..<type.elementCount).map { domain.rounded(b, $0, to: f) })
        case .integer(let b):
            return .integers(b.values)
        case .tuple:
            return nil
        }
    }
}

extension ComputationRunner where D: EnclosureDomain {
    /// ``nodeData(_:format:)`` when the enclosure decides the rounding of every
    /// element (an element known only to round to a zero of either sign reads
    /// as +0); nil otherwise.
    func decidedNodeData(_ node: Int, format: (DType) -> FloatFormat) -> Tensor.Elements? {
        guard let type = computation.nodes[node].type.arrayType, let value = values[node] else { return nil }
        switch value {
        case .real(let b):
            let f = format(type.dtype)
            var decided = [Double](repeating: 0, count: type.elementCount)
            for e in decided.indices {
                if let v = domain.decided(b, e, in: f) {
                    decided[e] = v
                } else if domain.roundsToZero(b, e, in: f) {
                    decided[e] = 0
                } else {
                    return nil
                }
            }
            return .floats(decided)
        case .integer(let b):
            return .integers(b.values)
        case .tuple:
            return nil
        }
    }
}
