import ArgumentParser
import FPAuditKit
import Foundation

/// How `eval --exec mpfr` prints the truth: rounded to each output's dtype
/// (the default), rounded to f64, or in decimal with a number of significant
/// digits, correctly rounded from the MPFR value.
enum TruthFormat: ExpressibleByArgument, Equatable {
    case dtype
    case f64
    case decimal(digits: Int)

    init?(argument: String) {
        switch argument {
        case "dtype": self = .dtype
        case "f64": self = .f64
        default:
            guard argument.hasPrefix("decimal:"), let d = Int(argument.dropFirst("decimal:".count)),
                (1...100_000).contains(d)
            else { return nil }
            self = .decimal(digits: d)
        }
    }

    static var allValueStrings: [String] { ["dtype", "f64", "decimal:DIGITS"] }
}

/// Which evaluator `eval` uses.
enum EvalMode: String, ExpressibleByArgument, CaseIterable {
    case declared, double, mpfr
}

extension FPAudit {
    /// `fpaudit eval GRAPH --inputs FILE`: outputs at given inputs.
    struct Eval: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
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

        @Option(
            name: .customLong("truth-format"),
            help: ArgumentHelp(
                "With --exec mpfr: dtype (the truth rounded to each output's dtype, the default), f64 (rounded to binary64), or decimal:DIGITS (that many significant digits, correctly rounded; DIGITS at most 100000).",
                valueName: "format"))
        var truthFormat: TruthFormat = .dtype

        @OptionGroup var graphOptions: GraphOptions

        func validate() throws {
            if truthFormat != .dtype && exec != .mpfr {
                throw ValidationError("--truth-format applies to --exec mpfr only")
            }
            if case .decimal = truthFormat, format == .json {
                throw ValidationError(
                    "--truth-format decimal:DIGITS prints text; the json format holds hex floats of a dtype (use --truth-format f64)"
                )
            }
        }

        func execute(console: Console) async throws -> ExitCode {
            let subject = try VerificationSubject.read(path: graph, limits: graphOptions.limits)
            let g = subject.graph
            let values = try ValuesJSON.read(data: try FileAccess.read(inputs), file: inputs)
            let host = try ValuesJSON.bind(values, to: g.parameters).map(\.elements)
            var outputs: [Tensor.Elements]
            var outputTypes = g.outputs.map(\.type)
            var decimals: [[String]]? = nil
            var note = ""
            switch exec {
            case .declared, .double:
                let i = Interpreter(
                    graph: g,
                    domain: IEEEDomain(
                        mode: exec == .double ? .double : .declared,
                        subnormals: subnormals),
                    reductionOrder: reductionOrder)
                try i.run(host)
                outputs = i.outputValues()
            case .mpfr:
                // Decimal digits start the adaptive truth with 64 guard bits beyond the digits asked for.
                var start = 128
                if case .decimal(let digits) = truthFormat {
                    start = max(start, Int((Double(digits) * 3.33).rounded(.up)) + 64)
                }
                let truth = AdaptiveTruth(
                    graph: g, plan: GraphPlan(graph: g), startPrecision: start,
                    maxPrecision: max(4096, 2 * start), fixedPrecision: precision.bits)
                let status = try truth.evaluate(host)
                switch status {
                case .stable(let p):
                    note = "mpfr precision \(p) bits"
                    let accepted = truth.accepted!
                    outputs = accepted.outputValues()
                    switch truthFormat {
                    case .dtype:
                        break
                    case .f64:
                        note += ", truth rounded to f64"
                        for (k, output) in g.outputs.enumerated() where output.type.dtype.isFloatingPoint {
                            outputs[k] = .floats(
                                (0..<output.type.elementCount).map { accepted.output(k, $0, roundedTo: .f64) })
                            outputTypes[k] = ArrayType(.f64, output.type.dimensions)
                        }
                    case .decimal(let digits):
                        note += ", truth in decimal to \(digits) significant digits"
                        decimals = g.outputs.enumerated().map { k, output in
                            (0..<output.type.elementCount).map { accepted.outputDecimal(k, $0, digits: digits) ?? "" }
                        }
                    }
                case .unstable(let p):
                    throw CLIError.badOption("the MPFR result did not stabilise up to \(p) bits (reference unstable)")
                case .enclosed:
                    preconditionFailure("AdaptiveTruth evaluates with MPFR only")
                }
            }
            let tensors = zip(zip(g.outputs, outputTypes), outputs).map { named, data -> (String, Tensor) in
                (named.0.name, Tensor(dtype: named.1.dtype, shape: named.1.dimensions, elements: data.elements))
            }
            switch format {
            case .json:
                console.out(String(decoding: ValuesJSON.write(tensors), as: UTF8.self) + "\n")
            case .text:
                if !note.isEmpty { console.out("# \(note)\n") }
                for (j, (name, t)) in tensors.enumerated() {
                    console.out("\(name): \(t.dtype.rawValue)\(t.shape)\n")
                    switch t.elements {
                    case .floats(let v):
                        for (k, x) in v.enumerated() {
                            if let decimals, !decimals[j][k].isEmpty {
                                console.out("  [\(k)] \(decimals[j][k])\n")
                            } else {
                                console.out("  [\(k)] \(HexFloat.format(x))  \(NumberText.format(x))\n")
                            }
                        }
                    case .integers(let v):
                        for (k, x) in v.enumerated() { console.out("  [\(k)] \(t.dtype.integerText(x))\n") }
                    }
                }
            }
            return .success
        }
    }
}

extension Tensor.Elements {
    var elements: Tensor.Elements {
        switch self {
        case .floats(let v): return .floats(v)
        case .integers(let v): return .integers(v)
        }
    }
}
