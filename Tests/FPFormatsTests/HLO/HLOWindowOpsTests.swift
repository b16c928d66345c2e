import FPFormats
import FPGraph
import Foundation
import XCTest

/// select-and-scatter, map, mulhi, the batch norms and domain in HLO text:
/// lowering, located errors, and the JSON round trip of each.
final class HLOWindowOpsTests: XCTestCase {
    private let computations = """
        %ge (a: f32[], b: f32[]) -> pred[] {
          %a = f32[] parameter(0)
          %b = f32[] parameter(1)
          ROOT %c = pred[] compare(%a, %b), direction=GE
        }

        %add (a: f32[], b: f32[]) -> f32[] {
          %a = f32[] parameter(0)
          %b = f32[] parameter(1)
          ROOT %s = f32[] add(%a, %b)
        }

        """

    private func root(_ body: [String]) throws -> (Graph, FPGraph.Operation) {
        let graph = try hlo(entryModule(body, computations: computations)).graph
        return (graph, graph.entry.nodes[graph.entry.root].operation)
    }

    /// The error `body` throws, with its position.
    private func failure(_ body: [String], file: StaticString = #filePath, line: UInt = #line) -> (
        String, SourceLocation?
    ) {
        do {
            _ = try root(body)
            XCTFail("accepted", file: file, line: line)
        } catch let e as FormatError {
            return ("\(e)", e.location)
        } catch let e as GraphError {
            return ("\(e)", e.location)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
        return ("", nil)
    }

    func testSelectAndScatterLowersWithItsWindowAndComputations() throws {
        let (graph, op) = try root([
            "%x = f32[4,6]{1,0} parameter(0)", "%s = f32[2,3]{1,0} parameter(1)", "%i = f32[] constant(0)",
            "ROOT %r = f32[4,6]{1,0} select-and-scatter(%x, %s, %i), window={size=2x2 stride=2x2}, select=%ge, scatter=%add",
        ])
        XCTAssertEqual(
            op, .selectAndScatter(WindowConfig(dimensions: [2, 2], strides: [2, 2]), select: "ge", scatter: "add"))
        try assertJSONRoundTrip(graph)
    }

    func testSelectAndScatterErrorsAreLocated() {
        var (message, location) = failure([
            "%x = f32[4,6]{1,0} parameter(0)", "%s = f32[2,3]{1,0} parameter(1)", "%i = f32[] constant(0)",
            "ROOT %r = f32[4,6]{1,0} select-and-scatter(%x, %s, %i), window={size=2x2 stride=2x2}, scatter=%add",
        ])
        XCTAssertTrue(message.contains("needs the attribute 'select='"), message)
        XCTAssertEqual(location?.line, 17)  // the ROOT line
        (message, location) = failure([
            "%x = f32[4,6]{1,0} parameter(0)", "%s = f32[2,2]{1,0} parameter(1)", "%i = f32[] constant(0)",
            "ROOT %r = f32[4,6]{1,0} select-and-scatter(%x, %s, %i), window={size=2x2 stride=2x2}, select=%ge, scatter=%add",
        ])
        XCTAssertTrue(message.contains("positions"), message)
        XCTAssertEqual(location?.line, 17)  // the ROOT line
    }

    func testMapMulhiDomainAndBatchNormLower() throws {
        var (graph, op) = try root([
            "%x = f32[2,3]{1,0} parameter(0)", "%y = f32[2,3]{1,0} parameter(1)",
            "ROOT %m = f32[2,3]{1,0} map(%x, %y), dimensions={0,1}, to_apply=%add",
        ])
        XCTAssertEqual(op, .map(computation: "add"))
        try assertJSONRoundTrip(graph)
        (graph, op) = try root([
            "%a = s32[4]{0} parameter(0)", "%b = s32[4]{0} parameter(1)", "ROOT %h = s32[4]{0} mulhi(%a, %b)",
        ])
        XCTAssertEqual(op, .multiplyHigh)
        try assertJSONRoundTrip(graph)
        (graph, op) = try root([
            "%a = f32[4]{0} parameter(0)",
            "ROOT %d = f32[4]{0} domain(%a), domain={kind=\"sharding\", entry={maximal device=0}, exit={replicated}}",
        ])
        XCTAssertEqual(op, .unary(.copy))
        XCTAssertEqual(graph.entryNode("d")?.metadata["hlo_opcode"], "domain")
        (graph, op) = try root([
            "%x = f32[2,3,4]{2,1,0} parameter(0)", "%s = f32[3]{0} parameter(1)", "%o = f32[3]{0} parameter(2)",
            "ROOT %t = (f32[2,3,4]{2,1,0}, f32[3]{0}, f32[3]{0}) batch-norm-training(%x, %s, %o), epsilon=1e-05, feature_index=1",
        ])
        XCTAssertEqual(op, .batchNorm(BatchNormConfig(kind: .training, epsilon: 1e-5, featureIndex: 1)))
        try assertJSONRoundTrip(graph)
        (graph, op) = try root([
            "%x = f32[2,3]{1,0} parameter(0)", "%s = f32[3]{0} parameter(1)",
            "ROOT %y = f32[2,3]{1,0} batch-norm-inference(%x, %s, %s, %s, %s), epsilon=0.001, feature_index=1",
        ])
        XCTAssertEqual(op, .batchNorm(BatchNormConfig(kind: .inference, epsilon: 0.001, featureIndex: 1)))
        try assertJSONRoundTrip(graph)
    }

    func testBadAttributesAreLocated() {
        var (message, location) = failure([
            "%x = f32[2,3]{1,0} parameter(0)", "%y = f32[2,3]{1,0} parameter(1)",
            "ROOT %m = f32[2,3]{1,0} map(%x, %y), dimensions={1,0}, to_apply=%add",
        ])
        XCTAssertTrue(message.contains("must be every operand dimension in order"), message)
        XCTAssertEqual(location?.line, 16)
        (message, location) = failure([
            "%x = f32[2,3]{1,0} parameter(0)", "%s = f32[3]{0} parameter(1)",
            "ROOT %y = f32[2,3]{1,0} batch-norm-inference(%x, %s, %s, %s, %s), epsilon=1e99, feature_index=1",
        ])
        XCTAssertTrue(message.contains("not a finite f32"), message)
        XCTAssertEqual(location?.line, 16)
        (message, location) = failure([
            "%x = f32[2,3]{1,0} parameter(0)", "%s = f32[3]{0} parameter(1)",
            "ROOT %y = f32[2,3]{1,0} batch-norm-inference(%x, %s, %s, %s, %s), epsilon=0.001",
        ])
        XCTAssertTrue(message.contains("feature_index"), message)
        XCTAssertEqual(location?.line, 16)
        (message, location) = failure([
            "%a = f32[4]{0} parameter(0)", "ROOT %h = f32[4]{0} mulhi(%a, %a)",
        ])
        XCTAssertTrue(message.contains("mulhi needs integer operands"), message)
        XCTAssertEqual(location?.line, 15)
    }

    func testTheRemainingOpcodesSayWhyTheyAreRefused() {
        let (message, location) = failure([
            "%a = f32[4,2]{1,0} parameter(0)", "%g = s32[1]{0} parameter(1)",
            "ROOT %r = f32[4,2]{1,0} ragged-dot(%a, %a, %g)",
        ])
        XCTAssertTrue(message.contains("row groups are run-time data"), message)
        XCTAssertEqual(location?.line, 16)
    }

    private func assertJSONRoundTrip(_ graph: Graph, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = GraphJSONWriter.write(graph)
        let back = try GraphJSON.read(data: data, file: "written.json").graph
        XCTAssertEqual(
            back.canonicalHash, graph.canonicalHash, String(decoding: data, as: UTF8.self), file: file, line: line)
        XCTAssertEqual(
            back.entry.nodes[back.entry.root].operation.opcodeName,
            graph.entry.nodes[graph.entry.root].operation.opcodeName, file: file, line: line)
    }
}
