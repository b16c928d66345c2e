/// A graph cut down to the elements that boxes of its outputs depend on
/// (``Graph/sliced(outputs:)``): evaluating it on the parameters' boxes gives
/// exactly the values the whole graph gives at those output elements.
public struct SlicedGraph: Sendable {
    /// The cut-down graph: output `k` holds output box `k`'s elements in the
    /// box's row-major order; parameter `i` takes parameter box `i`'s elements.
    public var graph: Graph
    /// Per parameter, the elements of the whole input the sliced graph takes.
    public var parameterBoxes: [ElementBox]
    /// Per output, the elements the sliced graph computes.
    public var outputBoxes: [ElementBox]

    /// The sliced graph's inputs: each whole input cut to its parameter's box.
    public func inputs(from whole: [Tensor.Elements], parameters: [GraphParameter]) -> [Tensor.Elements] {
        zip(zip(whole, parameterBoxes), parameters).map { $0.1.gather($0.0, dimensions: $1.type.dimensions) }
    }
}

extension Graph {
    /// The part of the graph that the given boxes of its outputs depend on.
    ///
    /// Each op's rule says which operand elements a box of its result needs
    /// (`ElementDependence`): elementwise ops, `dot`, `reduce`, `broadcast`,
    /// `transpose`, `sort` and ungrouped `convolution` compute a box of their
    /// result from boxes of their operands with the same attributes; data
    /// movement (`reshape`, `slice`, `pad`, `concatenate`, `reverse`) becomes a
    /// `gather` of the elements it moves; parameters, constants and `iota` are
    /// cut directly; every other op (control flow, calls, data-dependent
    /// indexing, tuples) is kept whole with its operands. Each kept node
    /// computes the same values at its elements as in the whole graph, with
    /// the same operations in the same order, in every number domain.
    ///
    /// - Parameter outputs: one box per output, within the output's shape.
    /// - Returns: nil when the graph's outputs are the parts of one
    ///   tuple-valued node other than a `tuple` (nothing to cut there).
    public func sliced(outputs boxes: [ElementBox]) -> SlicedGraph? {
        var slicer = ElementSlicer(graph: inliningCalls())
        return slicer.slice(outputs: boxes)
    }
}

extension Graph {
    /// The graph with every `call` (an XLA `fusion` is one) in its entry
    /// computation replaced by the called computation's nodes, recursively, so
    /// that slicing sees through fusions; a `get-tuple-element` of a `tuple`
    /// becomes that tuple operand. The values are the same: a call evaluates
    /// its computation on its operands. Inner nodes keep their names
    /// (made unique with a `.k` suffix where they clash).
    public func inliningCalls() -> Graph {
        guard entry.nodes.contains(where: { if case .call = $0.operation { return true } else { return false } })
        else { return self }
        var builder = SliceBuilder()
        var parameters = [Int](repeating: -1, count: entry.parameters.count)
        func emit(_ computation: Computation, arguments: [Int]?, depth: Int) -> Int {
            var built = [Int](repeating: -1, count: computation.nodes.count)
            for (n, original) in computation.nodes.enumerated() {
                var node = original
                node.operands = node.operands.map { built[$0] }
                switch node.operation {
                case .parameter(let index) where arguments != nil:
                    built[n] = arguments![index]
                    continue
                case .call(let name) where depth < 64:
                    if let callee = computations[name] {
                        built[n] = emit(callee, arguments: node.operands, depth: depth + 1)
                        continue
                    }
                case .getTupleElement(let index):
                    let source = builder.nodes[node.operands[0]]
                    if source.operation == .tuple {
                        built[n] = source.operands[index]
                        continue
                    }
                default: break
                }
                built[n] = builder.append(node)
                if case .parameter(let index) = node.operation, arguments == nil { parameters[index] = built[n] }
            }
            return built[computation.root]
        }
        let root = emit(entry, arguments: nil, depth: 0)
        var inlined = self
        inlined.computations[entryName] = Computation(
            name: entry.name, nodes: builder.nodes, parameters: parameters, root: root)
        return inlined
    }
}

/// One slicing in progress: a backward pass that finds each node's box, then
/// a forward pass that builds the cut-down entry computation.
struct ElementSlicer {
    let graph: Graph
    let entry: Computation
    /// Per entry node: needed at all.
    var needed: [Bool]
    /// Per array-valued entry node: the box it computes.
    var boxes: [ElementBox?]
    /// Per entry node: how its result depends on its operands.
    var dependence: [ElementDependence]

    init(graph: Graph) {
        self.graph = graph
        entry = graph.entry
        needed = Array(repeating: false, count: entry.nodes.count)
        boxes = Array(repeating: nil, count: entry.nodes.count)
        dependence = entry.nodes.map { node in
            guard let result = node.type.arrayType else { return .whole }
            let operands = node.operands.compactMap { graph.entry.nodes[$0].type.arrayType }
            guard operands.count == node.operands.count else { return .whole }
            return node.operation.rule.elementDependence(SliceSite(result: result, operands: operands))
        }
    }

    func dimensions(_ n: Int) -> [Int] { entry.nodes[n].type.arrayType?.dimensions ?? [] }

    mutating func demand(_ n: Int, _ box: ElementBox?) {
        needed[n] = true
        guard entry.nodes[n].type.arrayType != nil else { return }
        let wanted = box ?? .whole(dimensions(n))
        boxes[n] = boxes[n].map { $0.union(wanted) } ?? wanted
    }

    /// The box operand `o` of node `n` must have under a `restricts` dependence.
    func required(_ n: Int, operand o: Int, map: [Int?]) -> ElementBox {
        let box = boxes[n]!
        let sizes = dimensions(entry.nodes[n].operands[o])
        return ElementBox(indices: map.enumerated().map { d, r in r.map { box.indices[$0] } ?? Array(0..<sizes[d]) })
    }

    mutating func slice(outputs outputBoxes: [ElementBox]) -> SlicedGraph? {
        let root = entry.nodes[entry.root]
        let rootIsTuple = root.operation == .tuple
        guard rootIsTuple || root.type.arrayType != nil, outputBoxes.count == graph.outputs.count else { return nil }
        let roots = rootIsTuple ? root.operands : [entry.root]
        for (k, r) in roots.enumerated() { demand(r, outputBoxes[k]) }

        // Backward: every consumer comes after its operands, so a node's box
        // is final when the pass reaches it.
        for n in entry.nodes.indices.reversed() where needed[n] {
            let node = entry.nodes[n]
            switch dependence[n] {
            case .generated: break
            case .whole:
                if node.type.arrayType != nil { boxes[n] = .whole(dimensions(n)) }
                for o in node.operands { demand(o, nil) }
            case .restricts(let maps, let wholeDims):
                var box = boxes[n]!
                for d in wholeDims { box.indices[d] = Array(0..<dimensions(n)[d]) }
                boxes[n] = box
                for (o, map) in maps.enumerated() { demand(node.operands[o], required(n, operand: o, map: map)) }
            case .moves(let source):
                var sets = node.operands.map { dimensions($0).map { _ in Set<Int>() } }
                var used = Set<Int>()
                boxes[n]!.forEachIndex { index in
                    let (o, j) = source(index)
                    used.insert(o)
                    for (d, i) in j.enumerated() { sets[o][d].insert(i) }
                }
                for o in used.sorted() {
                    demand(node.operands[o], ElementBox(indices: sets[o].map { $0.sorted() }))
                }
            }
        }
        // Every parameter stays (the graph's interface is positional); one the
        // outputs do not need takes a single element.
        for p in entry.parameters where !needed[p] {
            let dims = dimensions(p)
            demand(p, dims.contains(0) ? nil : ElementBox(indices: dims.map { _ in [0] }))
        }
        return build(roots: roots, rootIsTuple: rootIsTuple, outputBoxes: outputBoxes)
    }

    // MARK: - Forward pass

    mutating func build(roots: [Int], rootIsTuple: Bool, outputBoxes: [ElementBox]) -> SlicedGraph {
        var builder = SliceBuilder()
        var built = [Int](repeating: -1, count: entry.nodes.count)
        var parameterNodes = [Int](repeating: -1, count: entry.parameters.count)
        var parameterBoxes = [ElementBox](repeating: ElementBox(indices: []), count: entry.parameters.count)

        func take(_ o: Int, _ box: ElementBox) -> Int {
            builder.take(from: [(built[o], boxes[o]!, entry.nodes[o])], positions: nil, box: box, exact: box)
        }

        for n in entry.nodes.indices where needed[n] {
            var node = entry.nodes[n]
            let box = boxes[n]
            let array = node.type.arrayType
            switch dependence[n] {
            case .generated:
                let b = box!
                node.type = .array(array!.dtype, b.shape)
                switch node.operation {
                case .parameter(let index):
                    parameterNodes[index] = builder.nodes.count
                    parameterBoxes[index] = b
                case .constant(let literal):
                    node.operation = .constant(
                        Tensor(
                            dtype: literal.dtype, shape: b.shape,
                            elements: b.gather(literal.elements, dimensions: literal.shape),
                            literals: literal.literals == nil
                                ? nil : literal.literals(at: b.flatIndices(in: literal.shape))))
                case .iota(let axis):
                    node.operation = .constant(Self.iota(axis: axis, box: b, dtype: array!.dtype))
                default:
                    // A rule only says `generated` for the three ops above.
                    node.type = entry.nodes[n].type
                    node.operands = []
                }
                built[n] = builder.append(node)
            case .whole:
                node.operands = node.operands.map { built[$0] }
                built[n] = builder.append(node)
            case .restricts(let maps, _):
                node.operands = maps.enumerated().map { o, map in
                    take(node.operands[o], required(n, operand: o, map: map))
                }
                node.type = .array(array!.dtype, box!.shape)
                built[n] = builder.append(node)
            case .moves(let source):
                let sources = node.operands.map { (built[$0], boxes[$0] ?? ElementBox(indices: []), entry.nodes[$0]) }
                let lookups = sources.map { $0.1.lookup }
                var positions: [(Int, Int)] = []
                positions.reserveCapacity(box!.count)
                box!.forEachIndex { index in
                    let (o, j) = source(index)
                    positions.append((o, sources[o].1.position(of: j, lookup: lookups[o])))
                }
                built[n] = builder.take(
                    from: sources, positions: positions, box: box!, exact: nil, named: node.name, like: node)
            }
        }
        let outputs = roots.enumerated().map { k, r in take(r, outputBoxes[k]) }
        var root = outputs[0]
        if rootIsTuple {
            let parts = outputs.map { builder.nodes[$0].type }
            var tuple = entry.nodes[entry.root]
            tuple.operands = outputs
            tuple.type = .tuple(parts)
            root = builder.append(tuple)
        }
        var computations = graph.computations
        computations[graph.entryName] = Computation(
            name: entry.name, nodes: builder.nodes, parameters: parameterNodes, root: root)
        let parameters = graph.parameters.map { p in
            GraphParameter(
                name: p.name, index: p.index, type: ArrayType(p.type.dtype, parameterBoxes[p.index].shape),
                aliases: p.aliases)
        }
        let sliced = Graph(
            computations: computations, entryName: graph.entryName, parameters: parameters,
            outputs: zip(graph.outputs, outputBoxes).map {
                GraphOutput(name: $0.name, type: ArrayType($0.type.dtype, $1.shape))
            },
            source: graph.source)
        return SlicedGraph(graph: sliced, parameterBoxes: parameterBoxes, outputBoxes: outputBoxes)
    }

    /// The values of an `iota` along `axis` at the box's elements.
    static func iota(axis: Int, box: ElementBox, dtype: DType) -> Tensor {
        var values: [Int] = []
        values.reserveCapacity(box.count)
        box.forEachIndex { values.append($0[axis]) }
        let elements: Tensor.Elements =
            dtype.isFloatingPoint ? .floats(values.map { Double($0) }) : .integers(values.map { Int64($0) })
        return Tensor(dtype: dtype, shape: box.shape, elements: elements)
    }
}

/// The nodes of a sliced entry computation, with the `gather`s that move
/// elements between boxes.
struct SliceBuilder {
    var nodes: [Node] = []
    private var names = Set<String>()

    mutating func append(_ node: Node) -> Int {
        var node = node
        node.name = names.freshName(node.name)
        names.insert(node.name)
        nodes.append(node)
        return nodes.count - 1
    }

    /// A node holding, in `box`'s row-major order, the elements `positions`
    /// names (operand, row-major position in that operand's box), or when
    /// `exact` is given, operand 0's elements at `exact` (a sub-box of its box).
    /// Reuses the operand when it already is that value.
    mutating func take(
        from sources: [(node: Int, box: ElementBox, original: Node)], positions: [(Int, Int)]?, box: ElementBox,
        exact: ElementBox?, named: String? = nil, like: Node? = nil
    ) -> Int {
        let dtype = sources[0].original.type.arrayType!.dtype
        var pairs: [(Int, Int)]
        if let exact {
            let (sourceBox, lookup) = (sources[0].box, sources[0].box.lookup)
            if sourceBox == exact { return sources[0].node }
            pairs = []
            pairs.reserveCapacity(exact.count)
            exact.forEachIndex { pairs.append((0, sourceBox.position(of: $0, lookup: lookup))) }
        } else {
            pairs = positions!
        }
        let base = named ?? sources[0].original.name
        let location = like?.location ?? sources[0].original.location
        // Flatten the operands used and lay them end to end.
        let used = Array(Set(pairs.map(\.0))).sorted()
        var offsets = [Int: Int]()
        var flat: [Int] = []
        var total = 0
        for o in used {
            offsets[o] = total
            let count = sources[o].box.count
            flat.append(
                append(
                    Node(
                        name: "\(base).flat", operation: .reshape, operands: [sources[o].node],
                        type: .array(dtype, [count]), location: location)))
            total += count
        }
        let identity =
            used == [0] && pairs.count == total && pairs.enumerated().allSatisfy { $0.offset == $0.element.1 }
        var values = flat[0]
        if !identity {
            if flat.count > 1 {
                values = append(
                    Node(
                        name: "\(base).joined", operation: .concatenate(dimension: 0), operands: flat,
                        type: .array(dtype, [total]), location: location))
            }
            let indices = pairs.map { Int64(offsets[$0.0]! + $0.1) }
            let constant = append(
                Node(
                    name: "\(base).indices",
                    operation: .constant(Tensor(dtype: .s64, shape: [indices.count, 1], elements: .integers(indices))),
                    operands: [], type: .array(.s64, [indices.count, 1]), location: location))
            values = append(
                Node(
                    name: "\(base).take",
                    operation: .gather(
                        GatherDimensions(
                            offsetDims: [], collapsedSliceDims: [0], startIndexMap: [0], indexVectorDim: 1,
                            sliceSizes: [1])),
                    operands: [values, constant], type: .array(dtype, [indices.count]), location: location))
        }
        return append(
            Node(
                name: named ?? "\(base).box", operation: .reshape, operands: [values], type: .array(dtype, box.shape),
                location: location, metadata: like?.metadata ?? [:]))
    }
}
