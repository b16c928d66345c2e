import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Metadata: op names, the stack-frame sections that map ops to the user's
/// source lines, and the parameter aliases JAX's argument names give.
final class HLOMetadataTests: XCTestCase {
    private let module = """
        HloModule jit_f, entry_computation_layout={(f32[4]{0}, f32[4]{0})->f32[4]{0}}

        FileNames
        1 "/home/me/model.py"
        2 "/home/me/lib.py"

        FunctionNames
        1 "<module>"
        2 "f"
        3 "helper"

        FileLocations
        1 {file_name_id=1 function_name_id=1 line=30 end_line=30 column=6 end_column=26}
        2 {file_name_id=1 function_name_id=2 line=7 end_line=7 column=8 end_column=42}
        3 {file_name_id=2 function_name_id=3 line=12 end_line=12 column=11 end_column=20}

        StackFrames
        1 {file_location_id=1 parent_frame_id=1}
        2 {file_location_id=2 parent_frame_id=2}
        3 {file_location_id=3 parent_frame_id=3}


        ENTRY %main.3 (x.1: f32[4], params__w__.1: f32[4]) -> f32[4] {
          %x.1 = f32[4]{0} parameter(0), metadata={op_name="x"}
          %params__w__.1 = f32[4]{0} parameter(1), metadata={op_name="params[\\'w\\']"}
          %mul.1 = f32[4]{0} multiply(%x.1, %params__w__.1), metadata={op_name="jit(f)/mul" stack_frame_id=2}
          %exp.1 = f32[4]{0} exponential(%mul.1), metadata={op_name="jit(f)/exp" stack_frame_id=3}
          %old.1 = f32[4]{0} negate(%exp.1), metadata={op_type="Neg" op_name="neg" source_file="old.py" source_line=5}
          ROOT %bad.1 = f32[4]{0} abs(%old.1), metadata={op_name="jit(f)/abs" stack_frame_id=99 profile_type={1} deduplicated_name="d"}
        }
        """

    func testStackFramesResolveToTheUsersSourceLines() throws {
        let graph = try hlo(module).graph
        XCTAssertEqual(
            graph.entryNode("mul.1")?.metadata,
            [
                "op_name": "jit(f)/mul", "source_file": "/home/me/model.py", "source_line": "7", "source_column": "8",
                "source_function": "f", "source_stack": "/home/me/model.py:7 (f) <- /home/me/model.py:30 (<module>)",
            ])
        // Frame 3's printed parent_frame_id=3 means frame 2, whose parent is frame 1.
        XCTAssertEqual(
            graph.entryNode("exp.1")?.metadata["source_stack"],
            "/home/me/lib.py:12 (helper) <- /home/me/model.py:7 (f) <- /home/me/model.py:30 (<module>)")
        XCTAssertEqual(graph.entryNode("exp.1")?.metadata["source_function"], "helper")
        XCTAssertEqual(graph.entryNode("exp.1")?.metadata["hlo_opcode"], "exponential")
    }

    func testOlderSourceFieldsAndUnresolvedFrames() throws {
        let graph = try hlo(module).graph
        XCTAssertEqual(
            graph.entryNode("old.1")?.metadata,
            ["op_name": "neg", "op_type": "Neg", "source_file": "old.py", "source_line": "5", "hlo_opcode": "negate"])
        XCTAssertEqual(
            graph.entryNode("bad.1")?.metadata, ["op_name": "jit(f)/abs"], "an unknown frame id adds nothing")
    }

    /// JAX writes each argument's Python name as its parameter's `op_name`.
    func testParametersAreAliasedByTheirJAXNames() throws {
        let graph = try hlo(module).graph
        XCTAssertEqual(graph.parameters.map(\.name), ["x.1", "params__w__.1"])
        XCTAssertEqual(graph.parameters.map(\.aliases), [["x"], ["params['w']"]])
        XCTAssertEqual(graph.parameters.parameter(named: "x")?.name, "x.1")
        XCTAssertEqual(graph.parameters.parameter(named: "params['w']")?.name, "params__w__.1")
    }

    func testParsedGraphCarriesTheModuleName() throws {
        let parsed = try hlo(module)
        XCTAssertEqual(parsed.metadata, ["hlo_module": "jit_f"])
        XCTAssertEqual(parsed.fileSHA256.count, 64)
    }

    func testAliasIsTheLastComponentOfTheOpName() throws {
        let graph = try hlo(
            entryModule([
                "%a.1 = f32[] parameter(0), metadata={op_name=\"jit(f)/inputs/a\"}",
                "%b = f32[] parameter(1), metadata={op_name=\"b\"}",
                "ROOT %s = f32[] add(%a.1, %b)",
            ])
        ).graph
        XCTAssertEqual(graph.parameters.map(\.aliases), [["a"], []], "no alias that repeats the name")
    }

    func testMalformedStackFrameSections() {
        let broken = module.replacingOccurrences(
            of: "2 {file_location_id=2 parent_frame_id=2}", with: "2 {file_location_id=2}")
        assertError(at: (19, 3), containing: "a StackFrames entry needs 'parent_frame_id='") { _ = try hlo(broken) }
        let missing = module.replacingOccurrences(of: "FunctionNames", with: "Functions")
        assertError(at: (7, 1), containing: "expected the 'FunctionNames' section, found 'Functions'") {
            _ = try hlo(missing)
        }
    }
}
