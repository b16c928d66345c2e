/// The elementwise ops of two operands of one dtype (every ``BinaryOp``); a
/// scalar operand broadcasts.
struct BinaryRule: OpRule {
    /// Which op.
    let op: BinaryOp

    var name: String { op.rawValue }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let shape = try c.elementwiseShape([0, 1])
        let dtype = try c.sameDType([0, 1])
        if op.isShift {
            if !dtype.isInteger {
                throw c.mismatch("\(op.rawValue) needs integer operands, got \(dtype.rawValue)")
            }
        } else if op.isLogical {
            if dtype.isFloatingPoint {
                throw c.mismatch("\(op.rawValue) needs pred or integer operands, got \(dtype.rawValue)")
            }
        } else if op.requiresFloat {
            if !dtype.isFloatingPoint {
                throw c.mismatch("\(op.rawValue) needs floating-point operands, got \(dtype.rawValue)")
            }
        } else if dtype == .pred {
            throw c.mismatch("\(op.rawValue) needs numeric operands, got pred")
        }
        return .array(dtype, shape)
    }

    func work(at site: WorkSite) -> Double { site.elements }
    var writesResult: Bool { true }
    var canonicalText: String { op.rawValue }
    func reductionDepth(at site: DepthSite) -> Int { 0 }
    /// Maximum, minimum and the logical ops only select or combine bits; the others round.
    var roundsInReducer: Bool { ![.maximum, .minimum, .and, .or, .xor].contains(op) }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension BinaryRule {
    /// Elementwise: any box of the result needs the same box of each operand.
    func elementDependence(_ site: SliceSite) -> ElementDependence { .elementwise(site) }
}
