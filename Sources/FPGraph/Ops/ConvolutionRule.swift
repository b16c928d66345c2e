/// XLA `convolution(lhs, rhs)` (see ``ConvolutionAttributes``): both operands
/// of one dtype; the result may declare another of the same kind (float or
/// integer), as `preferred_element_type` does.
struct ConvolutionRule: OpRule {
    /// The attributes.
    let attributes: ConvolutionAttributes

    var name: String { "convolution" }
    var calledComputations: [String] { [] }

    func inferType(_ c: Context) throws -> ValueType {
        try c.arity(2)
        let lhs = try c.array(0)
        let rhs = try c.array(1)
        guard lhs.dtype == rhs.dtype else {
            throw c.mismatch("convolution operands differ in dtype: \(lhs) and \(rhs)")
        }
        let dims: [Int]
        switch attributes.resultDimensions(lhs: lhs, rhs: rhs) {
        case .success(let d): dims = d
        case .failure(let problem): throw c.invalid(problem.message)
        }
        var dtype = lhs.dtype
        if let declared = c.spec.dtype ?? c.spec.declaredType?.arrayType?.dtype {
            guard declared.isFloatingPoint == lhs.dtype.isFloatingPoint, declared != .pred else {
                throw c.mismatch("convolution of \(lhs.dtype.rawValue) operands cannot produce \(declared.rawValue)")
            }
            dtype = declared
        }
        if dtype == .pred { throw c.mismatch("convolution needs numeric operands") }
        return .array(dtype, dims)
    }

    /// One product and sum per output element and term.
    func work(at site: WorkSite) -> Double {
        let rhs = site.operandArray(1)
        return site.elements * Double(rhs.map { attributes.termsPerOutput(rhs: $0) } ?? 1)
    }

    var writesResult: Bool { true }

    var canonicalText: String {
        let (w, d) = (attributes.window, attributes.dimensions)
        let roles =
            "\(d.inputBatch) \(d.inputFeature) \(d.inputSpatial) \(d.kernelInputFeature) \(d.kernelOutputFeature) \(d.kernelSpatial) \(d.outputBatch) \(d.outputFeature) \(d.outputSpatial)"
        return
            "convolution \(roles) \(w.dimensions) \(w.strides) \(w.paddingLow) \(w.paddingHigh) \(w.baseDilations) \(w.windowDilations) \(attributes.windowReversal) \(attributes.featureGroupCount) \(attributes.batchGroupCount)"
    }

    /// K, the products per output element (the kernel's input features times its window size), as for a dot.
    func reductionDepth(at site: DepthSite) -> Int {
        let (node, computation) = (site.node, site.computation)
        guard node.operands.count == 2, let kernel = computation.nodes[node.operands[1]].type.arrayType,
            kernel.dimensions.indices.contains(attributes.dimensions.kernelOutputFeature)
        else { return 0 }
        return attributes.termsPerOutput(rhs: kernel)
    }

    var roundsInReducer: Bool { false }
    var isLocalErrorSite: Bool { true }
    var valueFlow: ValueFlow { .other }
}

extension ConvolutionRule {
    /// Without feature or batch groups: the input's batch dimension takes the
    /// result's batch indices, the kernel's output-feature dimension the
    /// result's feature indices; spatial and input-feature dimensions are whole.
    func elementDependence(_ site: SliceSite) -> ElementDependence {
        let a = attributes
        guard a.featureGroupCount == 1, a.batchGroupCount == 1, site.operands.count == 2 else { return .whole }
        let d = a.dimensions
        var lhs = [Int?](repeating: nil, count: site.operands[0].rank)
        var rhs = [Int?](repeating: nil, count: site.operands[1].rank)
        lhs[d.inputBatch] = d.outputBatch
        rhs[d.kernelOutputFeature] = d.outputFeature
        return .restricts(operands: [lhs, rhs], wholeResultDimensions: d.outputSpatial)
    }
}
