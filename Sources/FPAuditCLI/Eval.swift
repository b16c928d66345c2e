import ArgumentParser
import FPEval
import FPFormats
import FPGraph
import FPNumerics
import FPVerify
import Foundation

/// Which evaluator `eval` uses.
enum EvalMode: String, ExpressibleByArgument, CaseIterable {
    case declared, double, mpfr
}

extension FPAudit {
    /// `fpaudit eval GRAPH --inputs FILE`: outputs at given inputs.
    struct Eval: ConsoleCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a graph at given inputs (IEEE declared, double, or the MPFR truth).")

        @Argument(help: "The graph.")
        var graph: String

        @Option(help: "Values file with one entry per parameter.")
        var inputs: String

        @Option(help: "Evaluator: declared, double or mpfr.")
        var exec: EvalMode = .declared

        @Option(help: "MPFR precision: auto (adaptive) or a number of bits.")
        var precision: PrecisionOption = PrecisionOption(argument: "auto")!

        @Option(name: .customLong("reduction-order"), help: "Order of reduce and dot: sequential or pairwise.")
        var reductionOrder: ReductionOrder = .sequential

        @Option(help: "Subnormals in the declared evaluator: keep (IEEE) or flush (as XLA CPU runs: FTZ and DAZ).")
        var subnormals: SubnormalMode = .keep

        @Option(help: "Output format: text or json (the values format, hex floats).")
        var format: OutputFormat = .text

        @OptionGroup var graphOptions: GraphOptions

        func execute(console: Console) async throws -> ExitCode {
            let subject = try GraphLoader.load(graph, limits: graphOptions.limits)
            let g = subject.graph
            let values = try ValuesJSON.read(data: try FileAccess.read(inputs), file: inputs)
            let host = try ValuesJSON.bind(values, to: g.parameters).map(\.hostData)
            let outputs: [HostData]
            var note = ""
            switch exec {
            case .declared, .double:
                let i = Interpreter(graph: g, domain: IEEEDomain(mode: exec == .double ? .double : .declared,
                                                                 subnormals: subnormals),
                                    reductionOrder: reductionOrder)
                try i.run(host)
                outputs = i.outputValues()
            case .mpfr:
                let truth = AdaptiveTruth(graph: g, plan: GraphPlan(graph: g), startPrecision: 128, maxPrecision: 4096,
                                          fixedPrecision: precision.bits)
                let status = try truth.evaluate(host)
                switch status {
                case .stable(let p):
                    note = "mpfr precision \(p) bits"
                    outputs = truth.accepted!.outputValues()
                case .unstable(let p):
                    throw CLIError.badOption("the MPFR result did not stabilise up to \(p) bits (reference unstable)")
                }
            }
            let tensors = zip(g.outputs, outputs).map { output, data -> (String, TensorValue) in
                (output.name, TensorValue(dtype: output.type.dtype, shape: output.type.dimensions, storage: data.storage))
            }
            switch format {
            case .json:
                console.out(String(decoding: ValuesJSON.write(tensors), as: UTF8.self) + "\n")
            case .text:
                if !note.isEmpty { console.out("# \(note)\n") }
                for (name, t) in tensors {
                    console.out("\(name): \(t.dtype.rawValue)\(t.shape)\n")
                    switch t.storage {
                    case .floats(let v):
                        for (k, x) in v.enumerated() {
                            console.out("  [\(k)] \(HexFloat.format(x))  \(NumberText.format(x))\n")
                        }
                    case .integers(let v):
                        for (k, x) in v.enumerated() { console.out("  [\(k)] \(x)\n") }
                    }
                }
            }
            return .success
        }
    }
}

extension HostData {
    var storage: TensorValue.Storage {
        switch self {
        case .floats(let v): return .floats(v)
        case .integers(let v): return .integers(v)
        }
    }
}
