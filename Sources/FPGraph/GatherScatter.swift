/// Dimension numbers of XLA's `gather` (operation semantics, "Gather").
///
/// Each output element is one element of one slice of the operand. The
/// output's *batch* dimensions (those not in ``offsetDims``) walk over the
/// start indices; its *offset* dimensions walk within the slice. A slice
/// starts where the start-index vector (along ``indexVectorDim`` of the
/// indices) says, through ``startIndexMap``; XLA clamps every start so the
/// whole slice fits in the operand.
public struct GatherDimensions: Hashable, Sendable {
    /// Output dimensions that index within a slice, ascending.
    public var offsetDims: [Int]
    /// Operand dimensions of slice size 1 left out of the output, ascending.
    public var collapsedSliceDims: [Int]
    /// For each component of a start-index vector, the operand dimension it starts.
    public var startIndexMap: [Int]
    /// The dimension of the indices that holds start-index vectors; equal to
    /// the indices' rank for an implicit trailing vector of length 1.
    public var indexVectorDim: Int
    /// The slice's size in every operand dimension.
    public var sliceSizes: [Int]
    /// Operand dimensions that are batch dimensions (of slice size 1), paired
    /// in order with ``startIndicesBatchingDims``: their start is the batch index.
    public var operandBatchingDims: [Int]
    /// Dimensions of the indices paired with ``operandBatchingDims``.
    public var startIndicesBatchingDims: [Int]
    /// The producer's promise that start indices are sorted (it changes nothing computed).
    public var indicesAreSorted: Bool

    /// Creates gather dimension numbers; the batching dimensions default to none.
    public init(
        offsetDims: [Int], collapsedSliceDims: [Int], startIndexMap: [Int], indexVectorDim: Int,
        sliceSizes: [Int], operandBatchingDims: [Int] = [], startIndicesBatchingDims: [Int] = [],
        indicesAreSorted: Bool = false
    ) {
        self.offsetDims = offsetDims
        self.collapsedSliceDims = collapsedSliceDims
        self.startIndexMap = startIndexMap
        self.indexVectorDim = indexVectorDim
        self.sliceSizes = sliceSizes
        self.operandBatchingDims = operandBatchingDims
        self.startIndicesBatchingDims = startIndicesBatchingDims
        self.indicesAreSorted = indicesAreSorted
    }

    /// The result's dimensions for this operand and these indices, or why the
    /// dimension numbers do not fit them.
    public func resultDimensions(operand: ArrayType, indices: ArrayType) -> Result<[Int], IndexingError> {
        let rank = operand.rank
        let layout = IndexVectorLayout(indices: indices, indexVectorDim: indexVectorDim)
        if let problem = layout.problem(vectorLength: startIndexMap.count) { return .failure(problem) }
        if sliceSizes.count != rank {
            return .failure(.init("slice_sizes \(sliceSizes) must have one size per operand dimension (\(rank))"))
        }
        for d in 0..<rank where sliceSizes[d] < 0 || sliceSizes[d] > operand.dimensions[d] {
            return .failure(
                .init("slice_sizes \(sliceSizes) must fit in the operand's dimensions \(operand.dimensions)"))
        }
        if let problem = checkDimensionList(collapsedSliceDims, "collapsed_slice_dims", bound: rank, sorted: true)
            ?? checkDimensionList(operandBatchingDims, "operand_batching_dims", bound: rank, sorted: true)
            ?? checkDimensionList(startIndexMap, "start_index_map", bound: rank, sorted: false)
            ?? checkDimensionList(
                startIndicesBatchingDims, "start_indices_batching_dims", bound: indices.rank, sorted: false)
        {
            return .failure(problem)
        }
        if let d = collapsedSliceDims.first(where: operandBatchingDims.contains) {
            return .failure(.init("operand dimension \(d) cannot be both collapsed and a batching dimension"))
        }
        if let d = (collapsedSliceDims + operandBatchingDims).first(where: { sliceSizes[$0] > 1 }) {
            return .failure(.init("slice size of collapsed or batching dimension \(d) must be at most 1"))
        }
        if let d = startIndexMap.first(where: operandBatchingDims.contains) {
            return .failure(.init("start_index_map cannot name batching dimension \(d)"))
        }
        if let problem = layout.checkBatching(
            operandBatchingDims, startIndicesBatchingDims, operand: operand, names: ("operand", "start_indices"))
        {
            return .failure(problem)
        }
        let windowDims = (0..<rank).filter { !collapsedSliceDims.contains($0) && !operandBatchingDims.contains($0) }
        let outputRank = windowDims.count + layout.batchDimensions.count
        if let problem = checkDimensionList(offsetDims, "offset_dims", bound: outputRank, sorted: true) {
            return .failure(problem)
        }
        if offsetDims.count != windowDims.count {
            return .failure(
                .init(
                    "offset_dims \(offsetDims) must name one output dimension per operand dimension that is neither collapsed nor batching (\(windowDims.count))"
                ))
        }
        var result: [Int] = []
        var (window, batch) = (0, 0)
        for i in 0..<outputRank {
            if offsetDims.contains(i) {
                result.append(sliceSizes[windowDims[window]])
                window += 1
            } else {
                result.append(indices.dimensions[layout.batchDimensions[batch]])
                batch += 1
            }
        }
        return .success(result)
    }

    /// The row-major position in the operand of every output element, given
    /// the indices' values (row-major); starts are clamped so the slice fits.
    /// Assumes ``resultDimensions(operand:indices:)`` succeeded.
    public func sourcePositions(operand: ArrayType, indices: ArrayType, indexValues: [Int64], result: [Int]) -> [Int] {
        let layout = IndexVectorLayout(indices: indices, indexVectorDim: indexVectorDim)
        let windowDims = (0..<operand.rank).filter {
            !collapsedSliceDims.contains($0) && !operandBatchingDims.contains($0)
        }
        let batchOutputDims = (0..<result.count).filter { !offsetDims.contains($0) }
        let strides = operand.strides
        var positions: [Int] = []
        positions.reserveCapacity(result.reduce(1, *))
        var start = [Int](repeating: 0, count: operand.rank)
        forEachIndex(result) { out in
            let batch = batchOutputDims.map { out[$0] }
            for d in start.indices { start[d] = 0 }
            for (k, d) in startIndexMap.enumerated() {
                let value = indexValues[layout.position(batch: batch, component: k)]
                let limit = Int64(operand.dimensions[d] - sliceSizes[d])
                start[d] = Int(Swift.min(Swift.max(value, 0), limit))
            }
            for (d, j) in zip(operandBatchingDims, startIndicesBatchingDims) {
                start[d] = batch[layout.batchPosition(ofIndicesDimension: j)]
            }
            var position = 0
            for d in 0..<operand.rank { position += start[d] * strides[d] }
            for (k, d) in windowDims.enumerated() { position += out[offsetDims[k]] * strides[d] }
            positions.append(position)
        }
        return positions
    }
}

/// Dimension numbers of XLA's `scatter` (operation semantics, "Scatter").
///
/// Each update element is combined into one element of the operand: the
/// updates' *scatter* dimensions (those not in ``updateWindowDims``) walk
/// over the scatter indices, its window dimensions walk within the window
/// that a scatter index starts.
public struct ScatterDimensions: Hashable, Sendable {
    /// Update dimensions that index within a window, ascending.
    public var updateWindowDims: [Int]
    /// Operand dimensions of window size 1 that the updates leave out, ascending.
    public var insertedWindowDims: [Int]
    /// For each component of a scatter-index vector, the operand dimension it starts.
    public var scatterDimsToOperandDims: [Int]
    /// The dimension of the scatter indices that holds index vectors (the
    /// indices' rank for an implicit trailing vector of length 1).
    public var indexVectorDim: Int
    /// Operand dimensions that are batch dimensions, paired in order with
    /// ``scatterIndicesBatchingDims``.
    public var inputBatchingDims: [Int]
    /// Dimensions of the scatter indices paired with ``inputBatchingDims``.
    public var scatterIndicesBatchingDims: [Int]
    /// The producer's promise that the indices are sorted (it changes nothing computed).
    public var indicesAreSorted: Bool
    /// The producer's promise that no two updates hit one element. fpaudit
    /// applies updates in XLA's order either way, so the promise changes nothing.
    public var uniqueIndices: Bool

    /// Creates scatter dimension numbers; the batching dimensions default to none.
    public init(
        updateWindowDims: [Int], insertedWindowDims: [Int], scatterDimsToOperandDims: [Int], indexVectorDim: Int,
        inputBatchingDims: [Int] = [], scatterIndicesBatchingDims: [Int] = [], indicesAreSorted: Bool = false,
        uniqueIndices: Bool = false
    ) {
        self.updateWindowDims = updateWindowDims
        self.insertedWindowDims = insertedWindowDims
        self.scatterDimsToOperandDims = scatterDimsToOperandDims
        self.indexVectorDim = indexVectorDim
        self.inputBatchingDims = inputBatchingDims
        self.scatterIndicesBatchingDims = scatterIndicesBatchingDims
        self.indicesAreSorted = indicesAreSorted
        self.uniqueIndices = uniqueIndices
    }

    /// Why these dimension numbers do not fit the operand, indices and updates (nil when they do).
    public func check(operand: ArrayType, indices: ArrayType, updates: ArrayType) -> IndexingError? {
        let rank = operand.rank
        let layout = IndexVectorLayout(indices: indices, indexVectorDim: indexVectorDim)
        if let problem = layout.problem(vectorLength: scatterDimsToOperandDims.count) { return problem }
        if let problem = checkDimensionList(updateWindowDims, "update_window_dims", bound: updates.rank, sorted: true)
            ?? checkDimensionList(insertedWindowDims, "inserted_window_dims", bound: rank, sorted: true)
            ?? checkDimensionList(inputBatchingDims, "input_batching_dims", bound: rank, sorted: true)
            ?? checkDimensionList(scatterDimsToOperandDims, "scatter_dims_to_operand_dims", bound: rank, sorted: false)
            ?? checkDimensionList(
                scatterIndicesBatchingDims, "scatter_indices_batching_dims", bound: indices.rank, sorted: false)
        {
            return problem
        }
        if let d = insertedWindowDims.first(where: inputBatchingDims.contains) {
            return .init("operand dimension \(d) cannot be both inserted and a batching dimension")
        }
        if let d = scatterDimsToOperandDims.first(where: inputBatchingDims.contains) {
            return .init("scatter_dims_to_operand_dims cannot name batching dimension \(d)")
        }
        if let problem = layout.checkBatching(
            inputBatchingDims, scatterIndicesBatchingDims, operand: operand, names: ("input", "scatter_indices"))
        {
            return problem
        }
        let windowDims = (0..<rank).filter { !insertedWindowDims.contains($0) && !inputBatchingDims.contains($0) }
        if updateWindowDims.count != windowDims.count {
            return .init(
                "update_window_dims \(updateWindowDims) must name one update dimension per operand dimension that is neither inserted nor batching (\(windowDims.count))"
            )
        }
        for (k, d) in windowDims.enumerated() where updates.dimensions[updateWindowDims[k]] > operand.dimensions[d] {
            return .init("update window \(updates) does not fit in the operand \(operand) along dimension \(d)")
        }
        let scatterDims = (0..<updates.rank).filter { !updateWindowDims.contains($0) }
        let expected = layout.batchDimensions.map { indices.dimensions[$0] }
        if scatterDims.map({ updates.dimensions[$0] }) != expected {
            return .init(
                "the updates' scatter dimensions \(scatterDims.map { updates.dimensions[$0] }) must be the scatter indices' batch dimensions \(expected)"
            )
        }
        return nil
    }

    /// For every update element in row-major order, the row-major position in
    /// the operand it is combined into, or nil when XLA skips it: a window is
    /// skipped whole when any part of it would fall outside the operand.
    /// Assumes ``check(operand:indices:updates:)`` found nothing.
    public func targetPositions(operand: ArrayType, indices: ArrayType, indexValues: [Int64], updates: ArrayType)
        -> [Int?]
    {
        let layout = IndexVectorLayout(indices: indices, indexVectorDim: indexVectorDim)
        let windowDims = (0..<operand.rank).filter {
            !insertedWindowDims.contains($0) && !inputBatchingDims.contains($0)
        }
        let scatterDims = (0..<updates.rank).filter { !updateWindowDims.contains($0) }
        var windowSize = [Int](repeating: 1, count: operand.rank)
        for (k, d) in windowDims.enumerated() { windowSize[d] = updates.dimensions[updateWindowDims[k]] }
        let strides = operand.strides
        var targets: [Int?] = []
        targets.reserveCapacity(updates.elementCount)
        var start = [Int](repeating: 0, count: operand.rank)
        forEachIndex(updates.dimensions) { u in
            let batch = scatterDims.map { u[$0] }
            for d in start.indices { start[d] = 0 }
            for (k, d) in scatterDimsToOperandDims.enumerated() {
                let value = indexValues[layout.position(batch: batch, component: k)]
                start[d] = Int(clamping: value)
            }
            for (d, j) in zip(inputBatchingDims, scatterIndicesBatchingDims) {
                start[d] = batch[layout.batchPosition(ofIndicesDimension: j)]
            }
            for d in 0..<operand.rank where start[d] < 0 || start[d] > operand.dimensions[d] - windowSize[d] {
                targets.append(nil)
                return
            }
            var position = 0
            for d in 0..<operand.rank { position += start[d] * strides[d] }
            for (k, d) in windowDims.enumerated() { position += u[updateWindowDims[k]] * strides[d] }
            targets.append(position)
        }
        return targets
    }
}

/// Why gather or scatter dimension numbers do not fit their operands.
public struct IndexingError: Error, Equatable, Sendable {
    /// What is wrong, for the user.
    public var message: String
    init(_ message: String) { self.message = message }
}

/// Where the index vectors of gather's start indices and scatter's scatter
/// indices are: along `indexVectorDim`, or an implicit trailing vector of
/// length 1 when it equals the indices' rank.
struct IndexVectorLayout {
    let indices: ArrayType
    let indexVectorDim: Int

    /// The dimensions of the indices that are not the index-vector dimension, in order.
    var batchDimensions: [Int] { (0..<indices.rank).filter { $0 != indexVectorDim } }

    func problem(vectorLength: Int) -> IndexingError? {
        if !indices.dtype.isInteger {
            return .init("indices must have an integer dtype, got \(indices)")
        }
        guard (0...indices.rank).contains(indexVectorDim) else {
            return .init("index_vector_dim \(indexVectorDim) must be within 0...\(indices.rank)")
        }
        let length = indexVectorDim == indices.rank ? 1 : indices.dimensions[indexVectorDim]
        if length != vectorLength {
            return .init(
                "the index vectors have \(length) components but the dimension map names \(vectorLength) dimensions")
        }
        return nil
    }

    func checkBatching(_ operandDims: [Int], _ indexDims: [Int], operand: ArrayType, names: (String, String))
        -> IndexingError?
    {
        if operandDims.count != indexDims.count {
            return .init("\(names.0)_batching_dims and \(names.1)_batching_dims must pair up, one for one")
        }
        if indexDims.contains(indexVectorDim) {
            return .init("\(names.1)_batching_dims cannot name index_vector_dim \(indexVectorDim)")
        }
        for (d, j) in zip(operandDims, indexDims) where operand.dimensions[d] != indices.dimensions[j] {
            return .init("batching dimension \(d) of the operand and \(j) of the indices must have one size")
        }
        return nil
    }

    /// Position in the batch index of indices dimension `j`.
    func batchPosition(ofIndicesDimension j: Int) -> Int { j > indexVectorDim ? j - 1 : j }

    /// Row-major position in the indices of component `k` of the vector at `batch`.
    func position(batch: [Int], component k: Int) -> Int {
        var position = 0
        var b = 0
        for d in 0..<indices.rank {
            let i: Int
            if d == indexVectorDim {
                i = k
            } else {
                i = batch[b]
                b += 1
            }
            position = position * indices.dimensions[d] + i
        }
        return position
    }
}

/// Checks a list of dimension numbers: within `0..<bound`, distinct, and ascending when `sorted`.
func checkDimensionList(_ dims: [Int], _ name: String, bound: Int, sorted: Bool) -> IndexingError? {
    if dims.contains(where: { !(0..<bound).contains($0) }) {
        return .init("\(name) \(dims) must be within 0..<\(bound)")
    }
    if Set(dims).count != dims.count { return .init("\(name) \(dims) must be distinct") }
    if sorted && dims != dims.sorted() { return .init("\(name) \(dims) must be ascending") }
    return nil
}
