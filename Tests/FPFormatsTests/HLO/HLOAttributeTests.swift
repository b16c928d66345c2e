import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Attributes that do not change values are skipped, in every form XLA
/// prints them; those that would change values and are not modelled are errors.
final class HLOAttributeTests: XCTestCase {
    func testAttributesThatDoNotChangeValuesAreSkipped() throws {
        let graph = try hlo(
            """
            HloModule skip, is_scheduled=true, entry_computation_layout={(f32[4]{0})->f32[4]{0}}, input_output_alias={ {}: (0, {}, may-alias) }, frontend_attributes={fingerprint_before_lhs="abc"}

            ENTRY %main (x: f32[4]) -> f32[4] {
              %x = f32[4]{0} parameter(0), sharding={replicated}, parameter_replication={false}
              %a = f32[4]{0} exponential(%x), sharding={devices=[2,1]0,1 last_tile_dim_replicate}, frontend_attributes={_xla_compute_type="host"}
              %b = f32[4]{0} copy(%a), backend_config="{\\"x\\": 1}", statistics={visualizing_index=1,stat-0=50}
              %c = f32[4]{0} negate(%b), backend_config={"outer_dimension_partitions":["2"],"nested":{"n":"5","l":[1,-2.5e3,true,null]}}
              %d = f32[4]{0} tanh(%c), origin={{"tanh.1"}}, control-predecessors={%a}, some_future_attribute=whatever, labels=b01f_01io->b01f
              ROOT %e = f32[4]{0} sqrt(%d), result_accuracy={mode=highest}
            }, execution_thread="main"
            """
        ).graph
        XCTAssertEqual(
            graph.entry.nodes.map(\.operation),
            [
                .parameter(index: 0), .unary(.exp), .unary(.copy), .unary(.neg),
                .unary(.tanh), .unary(.sqrt),
            ])
        XCTAssertEqual(graph.entryNode("e")?.metadata["result_accuracy"], "{ mode = highest }")
    }

    func testAttributesOfOtherOpcodesAreRefused() {
        assertError(at: (4, 36), containing: "attribute 'dimensions': does not apply to opcode 'add'") {
            _ = try hlo(
                entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = f32[4]{0} add(%x, %x), dimensions={0}"]))
        }
        assertError(at: (4, 55), containing: "attribute 'direction' is given twice (first at 4:41)") {
            _ = try hlo(
                entryModule([
                    "%x = f32[4]{0} parameter(0)", "ROOT %y = pred[4]{0} compare(%x, %x), direction=LT, direction=GT",
                ]))
        }
    }

    func testMissingRequiredAttributes() {
        assertError(at: (4, 19), containing: "instruction 'y' (reduce): needs the attribute 'to_apply='") {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = f32[] reduce(%x, %x), dimensions={0}"]))
        }
        assertError(at: (4, 24), containing: "needs the attribute 'direction='") {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = pred[4]{0} compare(%x, %x)"]))
        }
        assertError(at: (4, 27), containing: "needs the attribute 'dimensions='") {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = f32[2,4]{1,0} broadcast(%x)"]))
        }
        assertError(at: (4, 19), containing: "needs the attribute 'true_computation='") {
            _ = try hlo(entryModule(["%p = pred[] parameter(0)", "ROOT %y = f32[] conditional(%p, %p, %p)"]))
        }
    }

    func testValueChangingAttributesThatAreNotModelledAreRefused() {
        assertError(at: (4, 60), containing: "compare type=UNSIGNED on s32 operands is not supported") {
            _ = try hlo(
                entryModule([
                    "%x = s32[4]{0} parameter(0)", "ROOT %y = pred[4]{0} compare(%x, %x), direction=LT, type=UNSIGNED",
                ]))
        }
        assertError(at: (5, 98), containing: "dot algorithm=dot_bf16_bf16_f32") {
            _ = try hlo(
                entryModule([
                    "%a = f32[4,3]{1,0} parameter(0)", "%b = f32[3]{0} parameter(1)",
                    "ROOT %d = f32[4]{0} dot(%a, %b), lhs_contracting_dims={1}, rhs_contracting_dims={0}, algorithm=dot_bf16_bf16_f32",
                ]))
        }
        assertError(at: (5, 88), containing: "sparse dot") {
            _ = try hlo(
                entryModule([
                    "%a = f32[4,3]{1,0} parameter(0)", "%b = f32[3]{0} parameter(1)",
                    "ROOT %d = f32[4]{0} dot(%a, %b), lhs_contracting_dims={1}, rhs_contracting_dims={0}, sparsity=L.1@2:4",
                ]))
        }
        assertError(at: (3, 18), containing: "bitcast of a tiled or packed layout") {
            _ = try hlo(
                entryModule(["%x = f32[8,128]{1,0:T(8,128)} parameter(0)", "ROOT %b = f32[1024]{0} bitcast(%x)"]))
        }
        assertError(at: (3, 12), containing: "dynamic dimension '<='") {
            _ = try hlo(entryModule(["%x = f32[<=4]{0} parameter(0)", "ROOT %y = f32[<=4]{0} negate(%x)"]))
        }
    }

    /// A tiled layout is tolerated everywhere but in a bitcast, where the
    /// physical order is the meaning.
    func testTiledLayoutsAreToleratedOutsideBitcasts() throws {
        let graph = try hlo(
            entryModule([
                "%x = f32[8,128]{1,0:T(8,128)S(1)} parameter(0)",
                "ROOT %y = f32[8,128]{1,0:T(8,128)} negate(%x)",
            ])
        ).graph
        XCTAssertEqual(graph.parameters[0].type, ArrayType(.f32, [8, 128]))
    }

    func testMalformedAttributeValues() {
        assertError(at: (4, 48), containing: "padding '0_0x1': expected low_high or low_high_interior per dimension") {
            _ = try hlo(
                entryModule(["%x = f32[4,3]{1,0} parameter(0)", "ROOT %p = f32[4,4]{1,0} pad(%x, %x), padding=0_0x1"]))
        }
        assertError(at: (4, 47), containing: "expected ']' after a slice range [start:limit:stride], found ':'") {
            _ = try hlo(
                entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %s = f32[2]{0} slice(%x), slice={[0:4:2:1]}"]))
        }
        assertError(at: (4, 57), containing: "window: 'stride' has 1 entries but 'size' has 2") {
            _ = try hlo(
                entryModule([
                    "%x = f32[4,4]{1,0} parameter(0)",
                    "ROOT %w = f32[3,3]{1,0} reduce-window(%x, %x), window={size=2x2 stride=1}, to_apply=%main",
                ]))
        }
        assertError(at: (4, 67), containing: "window: unknown field 'strides'") {
            _ = try hlo(
                entryModule([
                    "%x = f32[4,4]{1,0} parameter(0)",
                    "ROOT %w = f32[3,3]{1,0} reduce-window(%x, %x), window={size=2x2 strides=1x1}, to_apply=%main",
                ]))
        }
        assertError(at: (4, 51), containing: "direction 'LESS': expected EQ, NE, LT, LE, GT or GE") {
            _ = try hlo(
                entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = pred[4]{0} compare(%x, %x), direction=LESS"]))
        }
        assertError(at: (4, 49), containing: "expected '{' to start the dimensions, found '1'") {
            _ = try hlo(
                entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %t = f32[4]{0} transpose(%x), dimensions=1"]))
        }
        assertError(at: (4, 55), containing: "must name exactly one dimension, found 2") {
            _ = try hlo(
                entryModule([
                    "%x = f32[4]{0} parameter(0)", "ROOT %c = f32[8]{0} concatenate(%x, %x), dimensions={0,1}",
                ]))
        }
    }

    func testComputationReferences() {
        assertError(at: (4, 60), containing: "node 'r' calls computation 'nowhere', which is not defined") {
            _ = try hlo(
                entryModule([
                    "%x = f32[4]{0} parameter(0)", "ROOT %r = f32[] reduce(%x, %x), dimensions={0}, to_apply=%nowhere",
                ]))
        }
        let recursive = """
            HloModule r

            %a (x: f32[]) -> f32[] {
              %x = f32[] parameter(0)
              ROOT %c = f32[] call(%x), to_apply=%b
            }

            %b (x: f32[]) -> f32[] {
              %x = f32[] parameter(0)
              ROOT %c = f32[] call(%x), to_apply=%a
            }

            ENTRY %main (x: f32[]) -> f32[] {
              %x = f32[] parameter(0)
              ROOT %c = f32[] call(%x), to_apply=%a
            }
            """
        assertError(at: (10, 38), containing: "computations call each other recursively: a -> b -> a") {
            _ = try hlo(recursive)
        }
        assertError(at: (4, 38), containing: "inline computation") {
            _ = try hlo(
                entryModule([
                    "%x = f32[] parameter(0)", "ROOT %c = f32[] call(%x), to_apply={ ROOT %y = f32[] parameter(0) }",
                ]))
        }
    }
}
