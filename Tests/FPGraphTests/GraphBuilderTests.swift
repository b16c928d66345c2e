import FPGraph
import XCTest

/// The builder on hand-made specs (the JSON reader's tests cover the same
/// errors through files with positions).
final class GraphBuilderTests: XCTestCase {
    let here = SourceLocation(file: "g.json", line: 3, column: 7)

    func parameter(_ name: String, _ index: Int, _ dtype: DType = .f32, _ shape: [Int] = [4]) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: dtype, shape: shape)
    }

    func build(
        _ nodes: [NodeSpec], outputs: [String]? = nil, extra: [ComputationSpec] = [],
        limits: GraphLimits = .default
    ) throws -> Graph {
        let spec = GraphSpec(
            computations: [ComputationSpec(name: "main", nodes: nodes)] + extra, entry: "main",
            outputs: outputs?.map { OutputSpec(name: $0, node: $0) }, source: "g.json")
        return try GraphBuilder(limits: limits).build(spec)
    }

    func testInfersElementwiseAndReduceTypes() throws {
        let add = ComputationSpec(
            name: "sum",
            nodes: [
                parameter("a", 0, .f32, []), parameter("b", 1, .f32, []),
                NodeSpec(name: "r", operation: .binary(.add), operands: ["a", "b"]),
            ])
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        let g = try build(
            [
                parameter("x", 0, .f32, [2, 3]),
                NodeSpec(name: "e", operation: .unary(.exp), operands: ["x"]),
                NodeSpec(name: "z", operation: .constant(zero)),
                NodeSpec(name: "s", operation: .reduce(dimensions: [1], reducer: "sum"), operands: ["e", "z"]),
            ], extra: [add])
        XCTAssertEqual(g.outputs, [GraphOutput(name: "s", type: ArrayType(.f32, [2]))])
        XCTAssertEqual(g.parameters.map(\.name), ["x"])
    }

    func testCycleIsReportedWithItsPath() {
        XCTAssertThrowsError(
            try build(
                [
                    parameter("x", 0),
                    NodeSpec(name: "a", operation: .binary(.add), operands: ["x", "b"], location: here),
                    NodeSpec(name: "b", operation: .unary(.exp), operands: ["a"], location: here),
                ], outputs: ["b"])
        ) { error in
            guard case GraphError.cycle(_, let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(Set(path), ["a", "b"])
        }
    }

    func testUndefinedOperandArityAndShapeErrorsNameTheNodeAndPosition() {
        XCTAssertThrowsError(
            try build([NodeSpec(name: "y", operation: .unary(.exp), operands: ["nope"], location: here)])
        ) {
            XCTAssertEqual(
                $0 as? GraphError,
                .undefinedOperand(computation: "main", node: "y", operand: "nope", location: here))
            XCTAssert("\($0)".hasPrefix("g.json:3:7: error: node 'y' uses 'nope'"))
        }
        XCTAssertThrowsError(
            try build([
                parameter("x", 0),
                NodeSpec(name: "y", operation: .binary(.add), operands: ["x"], location: here),
            ])
        ) {
            XCTAssertEqual($0 as? GraphError, .arity(node: "y", op: "add", expected: "2", got: 1, location: here))
        }
        XCTAssertThrowsError(
            try build([
                parameter("x", 0), parameter("w", 1, .f32, [5]),
                NodeSpec(name: "y", operation: .binary(.add), operands: ["x", "w"], location: here),
            ])
        ) {
            guard case GraphError.typeMismatch(let node, _, _, let location) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(node, "y")
            XCTAssertEqual(location, here)
        }
    }

    func testSizeLimitRefusesBeforeAllocating() {
        XCTAssertThrowsError(
            try build(
                [
                    parameter("x", 0, .f32, [1]),
                    NodeSpec(name: "y", operation: .broadcast(dimensions: [0]), operands: ["x"], shape: [1, 1 << 40]),
                ],
                limits: GraphLimits(maxElements: 1 << 20))
        ) {
            guard case GraphError.tooLarge(let node, let elements, let limit, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(node, "y")
            XCTAssertEqual(elements, 1 << 40)
            XCTAssertEqual(limit, 1 << 20)
        }
    }

    func testCanonicalHashIgnoresNamesAndOrderButNotOperandOrder() throws {
        let a = try build(
            [
                parameter("x", 0), parameter("y", 1),
                NodeSpec(name: "e", operation: .unary(.exp), operands: ["x"]),
                NodeSpec(name: "s", operation: .binary(.subtract), operands: ["e", "y"]),
            ], outputs: ["s"])
        let renamed = try build(
            [
                NodeSpec(name: "q", operation: .binary(.subtract), operands: ["p", "b"]),
                parameter("b", 1), parameter("a", 0),
                NodeSpec(name: "p", operation: .unary(.exp), operands: ["a"]),
            ], outputs: ["q"])
        let swapped = try build(
            [
                parameter("x", 0), parameter("y", 1),
                NodeSpec(name: "e", operation: .unary(.exp), operands: ["x"]),
                NodeSpec(name: "s", operation: .binary(.subtract), operands: ["y", "e"]),
            ], outputs: ["s"])
        XCTAssertEqual(a.canonicalHash, renamed.canonicalHash)
        XCTAssertNotEqual(a.canonicalHash, swapped.canonicalHash)
        XCTAssertEqual(a.canonicalHash.count, 64)
    }

    /// A chain of `n` computations, each calling the next; the entry calls the first.
    func callChain(_ n: Int, limits: GraphLimits) throws -> Graph {
        var chain = [
            ComputationSpec(
                name: "c0",
                nodes: [
                    parameter("p", 0, .f32, []), NodeSpec(name: "r", operation: .unary(.neg), operands: ["p"]),
                ])
        ]
        for i in 1..<n {
            chain.append(
                ComputationSpec(
                    name: "c\(i)",
                    nodes: [
                        parameter("p", 0, .f32, []),
                        NodeSpec(
                            name: "r", operation: .call(computation: "c\(i - 1)"), operands: ["p"], location: here),
                    ]))
        }
        return try build(
            [
                parameter("x", 0, .f32, []),
                NodeSpec(name: "y", operation: .call(computation: "c\(n - 1)"), operands: ["x"], location: here),
            ], extra: chain, limits: limits)
    }

    func testCallsNestedDeeperThanTheLimitAreALocatedError() throws {
        var limits = GraphLimits.default
        limits.maxCallDepth = 8
        XCTAssertNoThrow(try callChain(8, limits: limits))
        XCTAssertThrowsError(try callChain(9, limits: limits)) { error in
            XCTAssertEqual(error as? GraphError, .callsTooDeep(node: "r", limit: 8, location: here))
        }
        // far beyond the default: refused, not a stack overflow
        XCTAssertThrowsError(try callChain(20_000, limits: .default)) { error in
            guard case .callsTooDeep(_, 128, _)? = error as? GraphError else { return XCTFail("\(error)") }
        }
    }

    func testSizesThatOverflowAreLocatedErrorsNotTraps() throws {
        let huge = 1 << 62
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        func refused(_ nodes: [NodeSpec], extra: [ComputationSpec] = [], line: UInt = #line) {
            XCTAssertThrowsError(try build(nodes, extra: extra), line: line) { error in
                guard case .invalidAttribute(_, _, let message, let location)? = error as? GraphError else {
                    return XCTFail("\(error)", line: line)
                }
                XCTAssert(message.contains("overflows"), message, line: line)
                XCTAssertEqual(location, here, line: line)
            }
        }
        let x = parameter("x", 0, .f32, [4])
        let z = NodeSpec(name: "z", operation: .constant(zero))
        refused([
            x, z,
            NodeSpec(
                name: "p", operation: .pad(PaddingConfig(low: [huge], high: [huge], interior: [0])),
                operands: ["x", "z"], location: here),
        ])
        refused([
            x, z,
            NodeSpec(
                name: "p", operation: .pad(PaddingConfig(low: [0], high: [0], interior: [huge])), operands: ["x", "z"],
                location: here),
        ])
        refused([
            parameter("a", 0, .f32, [0, huge]), parameter("b", 1, .f32, [0, huge]),
            NodeSpec(name: "c", operation: .concatenate(dimension: 1), operands: ["a", "b"], location: here),
        ])
        let add = ComputationSpec(
            name: "add",
            nodes: [
                parameter("a", 0, .f32, []), parameter("b", 1, .f32, []),
                NodeSpec(name: "r", operation: .binary(.add), operands: ["a", "b"]),
            ])
        let windows = [
            WindowConfig(dimensions: [2], baseDilations: [huge]),
            WindowConfig(dimensions: [3], windowDilations: [huge]),
            WindowConfig(dimensions: [2], paddingLow: [Int.max], paddingHigh: [1]),
        ]
        for window in windows {
            let node = NodeSpec(
                name: "w", operation: .reduceWindow(window, reducer: "add"), operands: ["x", "z"], location: here)
            refused([x, z, node], extra: [add])
        }
        // a huge stride is fine: one element
        let g = try build([
            x,
            NodeSpec(
                name: "s", operation: .slice(SliceBounds(starts: [1], limits: [4], strides: [Int.max])), operands: ["x"]
            ),
        ])
        XCTAssertEqual(g.outputs.first?.type, ArrayType(.f32, [1]))
    }
}
