import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// `HLOText.subgraph`: a graph cut out of an HLO module written back as HLO
/// that reads back as the same graph.
final class HLOSubgraphTests: XCTestCase {
    let module = """
        HloModule m, entry_computation_layout={(f32[4]{0}, f32[4]{0})->f32[]}

        %add_r (a: f32[], b: f32[]) -> f32[] {
          %a = f32[] parameter(0)
          %b = f32[] parameter(1)
          ROOT %s = f32[] add(%a, %b)
        }

        %unused_r (a: f32[], b: f32[]) -> f32[] {
          %a = f32[] parameter(0)
          %b = f32[] parameter(1)
          ROOT %s = f32[] maximum(%a, %b)
        }

        ENTRY %main (x: f32[4], y: f32[4]) -> f32[] {
          %x = f32[4]{0} parameter(0), metadata={op_name="x"}
          %y = f32[4]{0} parameter(1)
          %e = f32[4]{0} exponential(%x)
          %m = f32[4]{0} multiply(%e, %y), metadata={op_name="jit(f)/mul"}
          %zero = f32[] constant(0)
          ROOT %r = f32[] reduce(%m, %zero), dimensions={0}, to_apply=%add_r
        }

        """

    /// The module with `e` fed as the parameter `e.cut` and `y` kept: `reduce(e.cut * y)`.
    func cut(_ full: Graph) -> Graph {
        let entry = full.entry
        let f32x4 = ArrayType(.f32, [4])
        func node(_ name: String, operands: [Int]) -> Node {
            var n = entry.nodes[entry.index(of: name)!]
            n.operands = operands
            return n
        }
        let nodes = [
            Node(name: "e.cut", operation: .parameter(index: 0), operands: [], type: .array(f32x4)),
            Node(name: "y", operation: .parameter(index: 1), operands: [], type: .array(f32x4)),
            node("m", operands: [0, 1]), node("zero", operands: []), node("r", operands: [2, 3]),
        ]
        var computations = full.computations.filter { $0.key == "add_r" }
        computations["main"] = Computation(name: "main", nodes: nodes, parameters: [0, 1], root: 4)
        return Graph(
            computations: computations, entryName: "main",
            parameters: [
                GraphParameter(name: "e.cut", index: 0, type: f32x4), GraphParameter(name: "y", index: 1, type: f32x4),
            ],
            outputs: full.outputs, source: "cut")
    }

    func testWritesTheKeptInstructionsWithRenamedOperandsAndReadsBack() throws {
        let full = try HLOText.read(data: Data(module.utf8), file: "m.hlo").graph
        let graph = cut(full)
        let text = String(decoding: try HLOText.subgraph(graph, of: Data(module.utf8), file: "m.hlo"), as: UTF8.self)
        XCTAssert(text.hasPrefix("HloModule m_reduced\n"), text)
        XCTAssert(text.contains("ENTRY %main (e.cut: f32[4], y: f32[4]) -> f32[] {"), text)
        XCTAssert(text.contains("  %e.cut = f32[4] parameter(0)\n  %y = f32[4] parameter(1)\n"), text)
        XCTAssert(text.contains("  %m = f32[4]{0} multiply(%e.cut, %y), metadata={op_name=\"jit(f)/mul\"}\n"), text)
        XCTAssert(text.contains("  ROOT %r = f32[] reduce(%m, %zero), dimensions={0}, to_apply=%add_r\n"), text)
        XCTAssert(text.contains("%add_r (a: f32[], b: f32[]) -> f32[] {"), "the called computation is copied")
        XCTAssertFalse(text.contains("unused_r"), "computations nothing calls are left out")
        XCTAssertFalse(text.contains("exponential"), "the cut instruction is gone")
        let readBack = try HLOText.read(data: Data(text.utf8), file: "reduced.hlo").graph
        XCTAssertEqual(readBack.canonicalHash, graph.canonicalHash)
        XCTAssertEqual(readBack.parameters.map(\.name), ["e.cut", "y"])
    }

    func testMovesTheRootAndRefusesNodesTheModuleDoesNotHave() throws {
        let full = try HLOText.read(data: Data(module.utf8), file: "m.hlo").graph
        var graph = cut(full)
        var entry = graph.entry
        entry.nodes.removeLast()
        entry.root = 2
        graph.computations = ["main": entry]
        graph.outputs = [GraphOutput(name: "m", type: ArrayType(.f32, [4]))]
        let text = String(decoding: try HLOText.subgraph(graph, of: Data(module.utf8), file: "m.hlo"), as: UTF8.self)
        XCTAssert(text.contains("  ROOT %m = f32[4]{0} multiply(%e.cut, %y)"), text)
        XCTAssertEqual(text.components(separatedBy: "ROOT").count - 1, 1, "one ROOT in the entry: \(text)")

        entry.nodes[2].name = "nowhere"
        graph.computations = ["main": entry]
        XCTAssertThrowsError(try HLOText.subgraph(graph, of: Data(module.utf8), file: "m.hlo")) { error in
            guard case .unsupported(let message, _) = error as? FormatError else { return XCTFail("\(error)") }
            XCTAssert(message.contains("node 'nowhere' is not an instruction of the module's entry"), message)
        }
    }
}
