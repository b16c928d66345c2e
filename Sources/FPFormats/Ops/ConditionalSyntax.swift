import FPGraph

/// `conditional(selector, operands...)`: `"branches"` (computation names) in
/// the graph format; `branch_computations={...}` or
/// `true_computation=`/`false_computation=` in HLO.
struct ConditionalSyntax: OpSpelling {
    let branches: [String]

    static let graphSpellings = [
        OpSyntax(name: "conditional", attributes: ["branches"]) { node in
            .conditional(branches: try node.required("branches").nameArray(node.describe("branches")))
        }
    ]
    static let hloOpcodes = ["conditional"]
    static let hloAttributes: Set<String> = ["true_computation", "false_computation", "branch_computations"]

    var writtenCallees: WrittenCallees { .called(branches) }

    func write(into node: inout GraphNodeWriter) {
        let written = branches.map { node.written($0) }
        node.operation = .conditional(branches: written)
        node.attributes.append(("branches", .strings(written)))
    }

    func staticDType(of node: NodeSpec, in byName: [String: NodeSpec]) -> StaticDTypeStep { .unknown }

    static func lower(_ context: inout HLOInstructionContext) throws -> Operation { try context.conditional() }
}

extension HLOInstructionContext {
    fileprivate mutating func conditional() throws -> Operation {
        let branchList = attributes.take("branch_computations")
        let trueBranch = attributes.take("true_computation")
        let falseBranch = attributes.take("false_computation")
        if let list = branchList {
            if let extra = trueBranch ?? falseBranch {
                throw FormatError.invalidValue(
                    what: "conditional '\(name)'",
                    message: "has both branch_computations and \(extra.name)", location: extra.location)
            }
            let references = try lowering.read(list) { try $0.parseComputationList("branch_computations") }
            if references.isEmpty {
                throw FormatError.invalidValue(
                    what: "conditional '\(name)'", message: "branch_computations is empty",
                    location: list.valueLocation)
            }
            return .conditional(branches: try references.map { try resolve($0) })
        }
        guard let t = trueBranch else { throw missing("true_computation") }
        guard let f = falseBranch else { throw missing("false_computation") }
        let onTrue = try resolve(try lowering.read(t) { try $0.parseComputationReference("'true_computation'") })
        let onFalse = try resolve(try lowering.read(f) { try $0.parseComputationReference("'false_computation'") })
        return .conditional(branches: [onTrue, onFalse])
    }
}
