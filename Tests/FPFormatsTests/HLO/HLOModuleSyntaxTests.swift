import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Module-level grammar: header, computations with and without signatures,
/// ENTRY and ROOT defaults, both name spellings, comments, typed operands.
final class HLOModuleSyntaxTests: XCTestCase {
    func testBareNamesCommentsAndNoSignatures() throws {
        let graph = try hlo(
            """
            // written by hand
            HloModule bare /* a block
            comment */

            add_f32 {
              a = f32[] parameter(0)
              b = f32[] parameter(1)
              ROOT s = f32[] add(a, b)
            }

            ENTRY main {
              x = f32[2,3] parameter(0)
              z = f32[] constant(0)
              r = f32[2] reduce(x, z), dimensions={1}, to_apply=add_f32
              ROOT t = (f32[2], f32[2,3]) tuple(r, /*index=1*/x)
            }
            """
        ).graph
        XCTAssertEqual(graph.entryName, "main")
        XCTAssertEqual(graph.entry.nodes[graph.entry.root].name, "t")
        XCTAssertEqual(graph.outputs.map(\.type), [ArrayType(.f32, [2]), ArrayType(.f32, [2, 3])])
    }

    /// As in XLA: without `ENTRY` the last computation is the entry, and
    /// without `ROOT` the last instruction is the root.
    func testEntryAndRootDefaultToTheLast() throws {
        let graph = try hlo(
            """
            HloModule m
            %helper (p: f32[]) -> f32[] {
              ROOT %p = f32[] parameter(0)
            }
            %main (x: f32[]) -> f32[] {
              %x = f32[] parameter(0)
              %n = f32[] negate(%x)
              %e = f32[] exponential(%n)
            }
            """
        ).graph
        XCTAssertEqual(graph.entryName, "main")
        XCTAssertEqual(graph.entry.nodes[graph.entry.root].name, "e")
        XCTAssertEqual(graph.outputs.map(\.name), ["e"])
    }

    func testTypedOperandsAndLayoutLookahead() throws {
        let graph = try hlo(
            """
            HloModule m, entry_computation_layout={(f32[4]{0})->f32[]}
            ENTRY %main (x: f32[4]) -> f32[] {
              %x = f32[4]{0} parameter(0)
              %c = f32[] constant(1)
              ROOT %d = f32[] dot(f32[4]{0} %x, f32[4] %x), lhs_contracting_dims={0}, rhs_contracting_dims={0}
            }
            """
        ).graph
        XCTAssertEqual(
            graph.entry.nodes[graph.entry.root].operation, .dot(DotDimensions(lhsContracting: [0], rhsContracting: [0]))
        )
        assertError(at: (5, 23), containing: "operand 'x' of 'd': is written as f32[3] but 'x' is f32[4]") {
            _ = try hlo(
                """
                HloModule m
                ENTRY %main (x: f32[4]) -> f32[] {
                  %x = f32[4]{0} parameter(0)
                  %c = f32[] constant(1)
                  ROOT %d = f32[] dot(f32[3]{0} %x, %x), lhs_contracting_dims={0}, rhs_contracting_dims={0}
                }
                """)
        }
    }

    func testSignatureMustMatchTheRoot() {
        assertError(
            at: (2, 28), containing: "computation 'main': its signature returns f32[3] but its root 'n' is f32[4]"
        ) {
            _ = try hlo(
                "HloModule m\nENTRY %main (x: f32[4]) -> f32[3] {\n  %x = f32[4]{0} parameter(0)\n  ROOT %n = f32[4]{0} negate(%x)\n}\n"
            )
        }
    }

    func testStructuralErrors() {
        assertError(at: (5, 1), containing: "a module has one ENTRY computation; 'a' is already marked ENTRY") {
            _ = try hlo(
                "HloModule m\nENTRY %a {\n  ROOT %x = f32[] parameter(0)\n}\nENTRY %b {\n  ROOT %x = f32[] parameter(0)\n}\n"
            )
        }
        assertError(at: (4, 3), containing: "computation 'main' has two ROOT instructions: 'x' and 'y'") {
            _ = try hlo(entryModule(["ROOT %x = f32[] parameter(0)", "ROOT %y = f32[] negate(%x)"]))
        }
        assertError(at: (4, 3), containing: "node name 'x' is defined twice in computation 'main'") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0)", "%x = f32[] negate(%x)"]))
        }
        assertError(at: (4, 27), containing: "node 'y' uses 'z', which is not defined in computation 'main'") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0)", "ROOT %y = f32[] add(%x, %z)"]))
        }
        assertError(at: (3, 1), containing: "computation 'main' has no instructions") {
            _ = try hlo("HloModule m\nENTRY %main {\n}\n")
        }
        assertError(at: (1, 12), containing: "the module has no computations") {
            _ = try hlo("HloModule m")
        }
        assertError(at: (1, 1), containing: "expected 'HloModule' at the start of the module, found 'ENTRY'") {
            _ = try hlo("ENTRY %main {\n  ROOT %x = f32[] parameter(0)\n}\n")
        }
        assertError(
            at: (3, 27),
            containing: "expected ',' before another attribute, or the end of instruction 'x', found 'sharding'"
        ) {
            _ = try hlo(entryModule(["%x = f32[] parameter(0) sharding={replicated}"]))
        }
    }

    func testLexicalErrors() {
        assertError(at: (3, 28), containing: "unexpected character '$' in HLO text") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0), $"]))
        }
        assertError(at: (3, 46), containing: "unterminated string") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0), metadata={op_name=\"x}"]))
        }
        assertError(at: (2, 1), containing: "unterminated comment") {
            _ = try hlo("HloModule m\n/* never closed\n")
        }
        assertError(at: (3, 28), containing: "unexpected character 'é' (U+E9)") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0), é"]))
        }
        assertError(at: (3, 3), containing: "expected a name after '%'") {
            _ = try hlo(entryModule(["% = f32[] parameter(0)"]))
        }
    }

    /// Columns count characters, not bytes: a non-ASCII character in a string
    /// does not shift the positions after it.
    func testColumnsCountCharacters() {
        assertError(at: (3, 52), containing: "unexpected character '$'") {
            _ = try hlo(entryModule(["%x = f32[] parameter(0), metadata={op_name=\"é\"}, $"]))
        }
    }
}

/// Smaller grammar corners: omitted shapes, lexical forms, limits.
final class HLOSyntaxCornerTests: XCTestCase {
    /// XLA lets an instruction whose shape can be inferred omit it; the
    /// builder infers it.
    func testShapeMayBeOmittedWhereItCanBeInferred() throws {
        let graph = try hlo(
            entryModule(["%x = f32[4]{0} parameter(0)", "%y = negate(%x)", "ROOT %z = f32[4]{0} add(%x, %y)"])
        ).graph
        XCTAssertEqual(graph.entryNode("y")?.type, .array(.f32, [4]))
        assertError(at: (4, 3), containing: "reshape needs the result shape") {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "%y = reshape(%x)"]))
        }
    }

    func testNumberForms() throws {
        let graph = try hlo(
            entryModule([
                "%a = f32[] constant(-nan(0x7fffff))", "%b = f32[] constant(0x1.8p+1)",
                "%c = f64[] constant(-1.5E-3)", "%d = f32[] constant(.5)",
                "ROOT %t = (f32[], f32[], f64[], f32[]) tuple(%a, %b, %c, %d)",
            ])
        ).graph
        let values = graph.entry.nodes.compactMap { node -> Double? in
            if case .constant(let l) = node.operation, case .floats(let v) = l.elements { return v[0] }
            return nil
        }
        XCTAssertTrue(values[0].isNaN && values[0].sign == .minus)
        XCTAssertEqual(Array(values.dropFirst()), [3, -1.5e-3, 0.5])
    }

    /// The node limit is reported at the first instruction over it.
    func testNodeLimitIsLocated() {
        assertError(at: (5, 3), containing: "over the limit of 2") {
            _ = try hlo(
                entryModule(["%x = f32[] parameter(0)", "%y = f32[] negate(%x)", "%z = f32[] negate(%y)"]),
                limits: GraphLimits(maxNodes: 2))
        }
    }

    /// Tuple shapes nested absurdly deep are refused, not recursed into.
    func testDeepTupleShapesAreRefused() {
        let deep = String(repeating: "(", count: 100) + "f32[]" + String(repeating: ")", count: 100)
        assertError(at: (3, 72), containing: "tuple shapes are nested deeper than 64 levels") {
            _ = try hlo(entryModule(["%x = \(deep) parameter(0)"]))
        }
    }
}
