import ArgumentParser
import FPAuditKit

/// Output format of a report.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension ExecutionMode: ExpressibleByArgument {}
extension ReductionOrder: ExpressibleByArgument {}
extension SubnormalMode: ExpressibleByArgument {}
extension TruthMode: ExpressibleByArgument {}
extension MatchMode: ExpressibleByArgument {}
extension ElementChoice: ExpressibleByArgument {
    /// Parses `auto`, `all` or a positive count.
    public init?(argument: String) { self.init(argument) }
}

/// Truth precision: `auto` (adaptive) or a fixed number of bits.
struct PrecisionOption: ExpressibleByArgument {
    let bits: Int?

    init?(argument: String) {
        if argument == "auto" {
            bits = nil
        } else if let b = Int(argument), b >= 64 {
            bits = b
        } else {
            return nil
        }
    }
}

/// Options shared by the commands that load graphs.
struct GraphOptions: ParsableArguments {
    @Option(name: .customLong("max-elements"), help: "Refuse any tensor with more elements than this.")
    var maxElements: Int = GraphLimits.default.maxElements

    var limits: GraphLimits { GraphLimits(maxElements: maxElements) }
}

extension String {
    /// Splits at the first `separator`; the second part is empty when there is none.
    func splitOnce(_ separator: Character) -> (String, String) {
        guard let i = firstIndex(of: separator) else { return (self, "") }
        return (String(self[..<i]), String(self[index(after: i)...]))
    }
}
