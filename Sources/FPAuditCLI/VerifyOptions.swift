import ArgumentParser
import FPEval
import FPNumerics
import FPVerify
import Foundation

/// The measurement options `verify` and `trace` share.
struct MeasurementOptions: ParsableArguments {
    @Option(help: "Number of sampled input sets.")
    var samples: Int = 1024

    @Option(help: "Seed of the input sampler.")
    var seed: UInt64 = 1

    @Option(name: .customLong("input"),
            help: "NAME=SPEC input distribution: normal(m,s) uniform(lo,hi) loguniform(lo,hi[,symmetric]) ieee const(v).")
    var inputs: [String] = []

    @Option(help: "IEEE evaluation: declared (each op rounds to its dtype) or double.")
    var exec: ExecutionMode = .declared

    @Option(help: "Truth precision: auto (adaptive, from 128 bits) or a fixed number of bits.")
    var precision: PrecisionOption = PrecisionOption(argument: "auto")!

    @Option(name: .customLong("precision-cap"), help: "Highest precision the adaptive truth may use.")
    var precisionCap: Int = 4096

    @Option(name: .customLong("reduction-order"), help: "Order of reduce and dot: sequential or pairwise.")
    var reductionOrder: ReductionOrder = .sequential

    @Option(help: "Subnormals in the declared-precision runs: keep (IEEE) or flush (as XLA CPU runs: FTZ and DAZ).")
    var subnormals: SubnormalMode = .keep

    @Option(help: "Concurrent workers (results do not depend on it).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if samples < 1 { throw ValidationError("--samples must be at least 1") }
        if workers < 1 { throw ValidationError("--workers must be at least 1") }
        if precisionCap < 128 { throw ValidationError("--precision-cap must be at least 128") }
        for spec in inputs where !spec.contains("=") {
            throw ValidationError("--input expects NAME=SPEC, got '\(spec)'")
        }
    }

    /// The verification configuration these options describe.
    func config() throws -> VerificationConfig {
        var overrides: [String: Distribution] = [:]
        for spec in inputs {
            let (name, text) = spec.splitOnce("=")
            overrides[name] = try Distribution.parse(text)
        }
        return VerificationConfig(samples: samples, seed: seed, inputs: overrides, exec: exec,
                                  reductionOrder: reductionOrder, subnormals: subnormals,
                                  fixedPrecision: precision.bits, startPrecision: 128, maxPrecision: precisionCap,
                                  workers: workers)
    }
}
