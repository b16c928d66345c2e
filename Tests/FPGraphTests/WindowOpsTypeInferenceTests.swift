import FPGraph
import XCTest

/// Type rules of select-and-scatter, map, mulhi, the batch norms and
/// reduce-window's window: every bad input is a located error.
final class WindowOpsTypeInferenceTests: XCTestCase {
    let here = SourceLocation(file: "g.json", line: 9, column: 5)

    func parameter(_ name: String, _ index: Int, _ dtype: DType = .f32, _ shape: [Int] = [4]) -> NodeSpec {
        NodeSpec(name: name, operation: .parameter(index: index), dtype: dtype, shape: shape)
    }

    func scalarComputation(_ name: String, _ root: FPGraph.Operation, result: DType = .f32) -> ComputationSpec {
        ComputationSpec(
            name: name,
            nodes: [
                parameter("a", 0, .f32, []), parameter("b", 1, .f32, []),
                NodeSpec(name: "r", operation: root, operands: ["a", "b"]),
            ])
    }

    /// The graph of `nodes`; its output is the last node, or (`rootOutputs`) the root's tuple elements.
    func build(_ nodes: [NodeSpec], extra: [ComputationSpec] = [], rootOutputs: Bool = false) throws -> Graph {
        let spec = GraphSpec(
            computations: [ComputationSpec(name: "main", nodes: nodes)] + extra, entry: "main",
            outputs: rootOutputs ? nil : [OutputSpec(name: "out", node: nodes.last!.name)], source: "g.json")
        return try GraphBuilder().build(spec)
    }

    /// The message of the located error `body` throws at `here`.
    func locatedMessage(_ body: () throws -> Graph, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("accepted", file: file, line: line)
            return ""
        } catch let error as GraphError {
            XCTAssertEqual(error.location, here, file: file, line: line)
            return "\(error)"
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return ""
        }
    }

    var selectAndScatterHelpers: [ComputationSpec] {
        [scalarComputation("ge", .compare(.ge)), scalarComputation("add", .binary(.add))]
    }

    func selectAndScatter(_ window: WindowConfig, source: [Int], select: String = "ge") -> [NodeSpec] {
        [
            parameter("x", 0, .f32, [4, 6]), parameter("s", 1, .f32, source), parameter("i", 2, .f32, []),
            NodeSpec(
                name: "out", operation: .selectAndScatter(window, select: select, scatter: "add"),
                operands: ["x", "s", "i"], location: here),
        ]
    }

    func testSelectAndScatterTakesTheOperandsType() throws {
        let g = try build(
            selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 3]),
            extra: selectAndScatterHelpers)
        XCTAssertEqual(g.outputs[0].type, ArrayType(.f32, [4, 6]))
    }

    func testSelectAndScatterErrorsAreLocated() {
        let helpers = selectAndScatterHelpers
        var message = locatedMessage {
            try self.build(
                self.selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 2]),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("the window has [2, 3] positions"), message)
        message = locatedMessage {
            try self.build(
                self.selectAndScatter(WindowConfig(dimensions: [2, 2], windowDilations: [2, 1]), source: [2, 5]),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("no base or window dilation"), message)
        message = locatedMessage {
            try self.build(
                self.selectAndScatter(
                    WindowConfig(dimensions: [2, 2], strides: [2, 2]), source: [2, 3], select: "add"),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("select 'add'"), message)
        message = locatedMessage {
            try self.build(
                self.selectAndScatter(WindowConfig(dimensions: [2, 2], paddingLow: [-1, 0]), source: [2, 5]),
                extra: helpers)
        }
        XCTAssertTrue(message.contains("padding must be >= 0"), message)
    }

    func testReduceWindowRefusesNegativePaddingAndOverflow() {
        let add = scalarComputation("add", .binary(.add))
        let zero = Tensor(type: ArrayType(.f32, []), elements: .floats([0]))
        func reduceWindow(_ w: WindowConfig) -> [NodeSpec] {
            [
                parameter("x", 0, .f32, [4]), NodeSpec(name: "z", operation: .constant(zero)),
                NodeSpec(
                    name: "out", operation: .reduceWindow(w, reducer: "add"), operands: ["x", "z"], location: here),
            ]
        }
        var message = locatedMessage {
            try self.build(reduceWindow(WindowConfig(dimensions: [2], paddingHigh: [-1])), extra: [add])
        }
        XCTAssertTrue(message.contains("padding must be >= 0"), message)
        message = locatedMessage {
            try self.build(reduceWindow(WindowConfig(dimensions: [2], baseDilations: [Int.max / 2])), extra: [add])
        }
        XCTAssertTrue(message.contains("overflows"), message)
    }

    func testMapAndMulhiChecks() throws {
        let add = scalarComputation("add", .binary(.add))
        let g = try build(
            [
                parameter("x", 0, .f32, [2, 3]), parameter("y", 1, .f32, [2, 3]),
                NodeSpec(name: "m", operation: .map(computation: "add"), operands: ["x", "y"]),
            ], extra: [add])
        XCTAssertEqual(g.outputs[0].type, ArrayType(.f32, [2, 3]))
        var message = locatedMessage {
            try self.build(
                [
                    self.parameter("x", 0, .f32, [2, 3]), self.parameter("y", 1, .f32, [3]),
                    NodeSpec(
                        name: "m", operation: .map(computation: "add"), operands: ["x", "y"], location: self.here),
                ], extra: [add])
        }
        XCTAssertTrue(message.contains("map does not broadcast"), message)
        message = locatedMessage {
            try self.build([
                self.parameter("a", 0, .f32), self.parameter("b", 1, .f32),
                NodeSpec(name: "h", operation: .multiplyHigh, operands: ["a", "b"], location: self.here),
            ])
        }
        XCTAssertTrue(message.contains("mulhi needs integer operands"), message)
        let h = try build([
            parameter("a", 0, .u32), parameter("b", 1, .u32, []),
            NodeSpec(name: "h", operation: .multiplyHigh, operands: ["a", "b"]),
        ])
        XCTAssertEqual(h.outputs[0].type, ArrayType(.u32, [4]))
    }

    func testBatchNormShapes() throws {
        func training(featureIndex: Int, scale: [Int] = [3]) -> [NodeSpec] {
            [
                parameter("x", 0, .f32, [2, 3, 5]), parameter("scale", 1, .f32, scale),
                parameter("offset", 2, .f32, [3]),
                NodeSpec(
                    name: "t",
                    operation: .batchNorm(BatchNormConfig(kind: .training, epsilon: 1e-3, featureIndex: featureIndex)),
                    operands: ["x", "scale", "offset"], location: here),
                NodeSpec(name: "y", operation: .getTupleElement(index: 2), operands: ["t"]),
            ]
        }
        let g = try build(training(featureIndex: 1))
        XCTAssertEqual(g.outputs[0].type, ArrayType(.f32, [3]))
        // A batch-norm-training root: three outputs, each with the depth of the 10-element sums.
        let root = try build(Array(training(featureIndex: 1).dropLast()), rootOutputs: true)
        XCTAssertEqual(root.outputs.count, 3)
        XCTAssertEqual(root.outputReductionDepths, [9, 9, 9])
        var message = locatedMessage { try self.build(training(featureIndex: 3)) }
        XCTAssertTrue(message.contains("feature_index 3 is out of range"), message)
        message = locatedMessage { try self.build(training(featureIndex: 1, scale: [5])) }
        XCTAssertTrue(message.contains("the scale is f32[5]"), message)
        message = locatedMessage {
            try self.build([
                self.parameter("x", 0, .f32, [2, 3]), self.parameter("s", 1, .f32, [3]),
                NodeSpec(
                    name: "t", operation: .batchNorm(BatchNormConfig(kind: .grad, epsilon: 1e-3, featureIndex: 1)),
                    operands: ["x", "s", "s"], location: self.here),
            ])
        }
        XCTAssertTrue(message.contains("batch-norm-grad") && message.contains("5"), message)
    }
}
