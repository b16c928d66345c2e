import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Every supported HLO opcode maps onto the expected operation, with its attributes.
final class HLOOpcodeTests: XCTestCase {
    private let reducers = """
        %add_f32 (a: f32[], b: f32[]) -> f32[] {
          %a = f32[] parameter(0)
          %b = f32[] parameter(1)
          ROOT %sum = f32[] add(%a, %b)
        }

        """

    /// The operation of the entry root of a module whose entry is `body`.
    private func rootOperation(
        _ body: [String], computations: String = "", file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> FPGraph.Operation {
        let graph = try hlo(entryModule(body, computations: computations)).graph
        return graph.entry.nodes[graph.entry.root].operation
    }

    func testElementwiseUnaryOpcodes() throws {
        let table: [(String, UnaryOp)] = [
            ("negate", .neg), ("abs", .abs), ("sign", .sign), ("exponential", .exp), ("exponential-minus-one", .expm1),
            ("log", .log), ("log-plus-one", .log1p), ("sqrt", .sqrt), ("rsqrt", .rsqrt), ("cbrt", .cbrt),
            ("tanh", .tanh), ("logistic", .logistic), ("sine", .sin), ("cosine", .cos), ("tan", .tan), ("erf", .erf),
            ("floor", .floor), ("ceil", .ceil), ("round-nearest-even", .roundNearestEven), ("copy", .copy),
        ]
        for (opcode, op) in table {
            let operation = try rootOperation(["%x = f32[4]{0} parameter(0)", "ROOT %r = f32[4]{0} \(opcode)(%x)"])
            XCTAssertEqual(operation, .unary(op), opcode)
        }
        XCTAssertEqual(
            try rootOperation(["%x = f32[4]{0} parameter(0)", "ROOT %r = pred[4]{0} is-finite(%x)"]), .unary(.isFinite))
        XCTAssertEqual(
            try rootOperation(["%p = pred[4]{0} parameter(0)", "ROOT %r = pred[4]{0} not(%p)"]), .unary(.not))
    }

    func testElementwiseBinaryOpcodes() throws {
        let table: [(String, BinaryOp)] = [
            ("add", .add), ("subtract", .subtract), ("multiply", .multiply), ("divide", .divide),
            ("remainder", .remainder), ("power", .power), ("maximum", .maximum), ("minimum", .minimum),
            ("atan2", .atan2),
        ]
        for (opcode, op) in table {
            let operation = try rootOperation([
                "%x = f32[4]{0} parameter(0)", "%y = f32[4]{0} parameter(1)",
                "ROOT %r = f32[4]{0} \(opcode)(%x, %y)",
            ])
            XCTAssertEqual(operation, .binary(op), opcode)
        }
        for (opcode, op) in [("and", BinaryOp.and), ("or", .or), ("xor", .xor)] {
            let operation = try rootOperation([
                "%p = pred[4]{0} parameter(0)", "%q = pred[4]{0} parameter(1)",
                "ROOT %r = pred[4]{0} \(opcode)(%p, %q)",
            ])
            XCTAssertEqual(operation, .binary(op), opcode)
        }
    }

    func testCompareSelectClampConvert() throws {
        let x = ["%x = f32[4]{0} parameter(0)", "%y = f32[4]{0} parameter(1)"]
        XCTAssertEqual(try rootOperation(x + ["ROOT %c = pred[4]{0} compare(%x, %y), direction=LT"]), .compare(.lt))
        XCTAssertEqual(
            try rootOperation(x + ["ROOT %c = pred[4]{0} compare(%x, %y), direction=GE, type=FLOAT"]), .compare(.ge))
        XCTAssertEqual(
            try rootOperation([
                "%i = s32[] parameter(0)", "ROOT %c = pred[] compare(%i, %i), direction=EQ, type=SIGNED",
            ]),
            .compare(.eq))
        XCTAssertEqual(
            try rootOperation([
                "%u = u32[] parameter(0)", "ROOT %c = pred[] compare(%u, %u), direction=NE, type=UNSIGNED",
            ]),
            .compare(.ne))
        XCTAssertEqual(
            try rootOperation(x + ["%p = pred[4]{0} parameter(2)", "ROOT %s = f32[4]{0} select(%p, %x, %y)"]), .select)
        XCTAssertEqual(
            try rootOperation(x + ["%lo = f32[] parameter(2)", "ROOT %c = f32[4]{0} clamp(%lo, %x, %lo)"]), .clamp)
        let convert = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %b = bf16[4]{0} convert(%x)"])).graph
        XCTAssertEqual(convert.entry.nodes[convert.entry.root].operation, .convert)
        XCTAssertEqual(convert.entry.nodes[convert.entry.root].type, .array(.bf16, [4]))
        XCTAssertEqual(
            try rootOperation([
                "%x = f32[4]{0} parameter(0)",
                "ROOT %r = f32[4]{0} reduce-precision(%x), exponent_bits=5, mantissa_bits=10",
            ]),
            .reducePrecision(exponentBits: 5, mantissaBits: 10))
    }

    func testShapeOpcodes() throws {
        let x = "%x = f32[4,3]{1,0} parameter(0)"
        XCTAssertEqual(
            try rootOperation([x, "ROOT %b = f32[2,4,3]{2,1,0} broadcast(%x), dimensions={1,2}"]),
            .broadcast(dimensions: [1, 2]))
        XCTAssertEqual(
            try rootOperation(["%s = f32[] parameter(0)", "ROOT %b = f32[2,2]{1,0} broadcast(%s)"]),
            .broadcast(dimensions: []), "a scalar operand may omit dimensions")
        XCTAssertEqual(try rootOperation([x, "ROOT %r = f32[12]{0} reshape(%x)"]), .reshape)
        XCTAssertEqual(
            try rootOperation([x, "ROOT %t = f32[3,4]{0,1} transpose(%x), dimensions={1,0}"]),
            .transpose(permutation: [1, 0]))
        XCTAssertEqual(
            try rootOperation([x, "ROOT %s = f32[2,2]{1,0} slice(%x), slice={[0:4:2], [1:3]}"]),
            .slice(SliceBounds(starts: [0, 1], limits: [4, 3], strides: [2, 1])))
        XCTAssertEqual(
            try rootOperation([x, "ROOT %c = f32[8,3]{1,0} concatenate(%x, %x), dimensions={0}"]),
            .concatenate(dimension: 0))
        XCTAssertEqual(
            try rootOperation([x, "%z = f32[] constant(0)", "ROOT %p = f32[5,7]{1,0} pad(%x, %z), padding=0_1x1_1_1"]),
            .pad(PaddingConfig(low: [0, 1], high: [1, 1], interior: [0, 1])))
        XCTAssertEqual(
            try rootOperation([x, "%z = f32[] constant(0)", "ROOT %p = f32[3,3]{1,0} pad(%x, %z), padding=-1_0x0_0"]),
            .pad(PaddingConfig(low: [-1, 0], high: [0, 0], interior: [0, 0])), "negative padding crops")
        XCTAssertEqual(try rootOperation(["ROOT %i = s32[2,3]{1,0} iota(), iota_dimension=1"]), .iota(dimension: 1))
    }

    func testReduceAndReduceWindow() throws {
        let graph = try hlo(
            entryModule(
                [
                    "%x = f32[4,3]{1,0} parameter(0)", "%z = f32[] constant(0)",
                    "ROOT %r = f32[4]{0} reduce(%x, %z), dimensions={1}, to_apply=%add_f32",
                ],
                computations: reducers)
        ).graph
        XCTAssertEqual(graph.entry.nodes[graph.entry.root].operation, .reduce(dimensions: [1], reducer: "add_f32"))
        XCTAssertNotNil(graph.computations["add_f32"])

        let window = try rootOperation(
            [
                "%x = f32[4,4]{1,0} parameter(0)", "%z = f32[] constant(0)",
                "ROOT %w = f32[5,2]{1,0} reduce-window(%x, %z), window={size=2x2 stride=1x2 pad=1_1x0_0 rhs_dilate=1x1}, to_apply=%add_f32",
            ],
            computations: reducers)
        XCTAssertEqual(
            window,
            .reduceWindow(
                WindowConfig(
                    dimensions: [2, 2], strides: [1, 2], paddingLow: [1, 0],
                    paddingHigh: [1, 0]), reducer: "add_f32"))
        let dilated = try rootOperation(
            [
                "%x = f32[4]{0} parameter(0)", "%z = f32[] constant(0)",
                "ROOT %w = f32[4]{0} reduce-window(%x, %z), window={size=2 lhs_dilate=2 rhs_dilate=3}, to_apply=%add_f32",
            ],
            computations: reducers)
        XCTAssertEqual(
            dilated,
            .reduceWindow(
                WindowConfig(dimensions: [2], baseDilations: [2], windowDilations: [3]),
                reducer: "add_f32"))
    }

    func testDot() throws {
        let operation = try rootOperation([
            "%a = f32[2,4,3]{2,1,0} parameter(0)", "%b = f32[2,3,5]{2,1,0} parameter(1)",
            "ROOT %d = f32[2,4,5]{2,1,0} dot(%a, %b), lhs_batch_dims={0}, lhs_contracting_dims={2}, rhs_batch_dims={0}, rhs_contracting_dims={1}, operand_precision={highest,highest}",
        ])
        XCTAssertEqual(
            operation, .dot(DotDimensions(lhsBatch: [0], rhsBatch: [0], lhsContracting: [2], rhsContracting: [1])))
        let same = try rootOperation([
            "%a = f32[4,3]{1,0} parameter(0)", "%b = f32[3]{0} parameter(1)",
            "ROOT %d = f32[4]{0} dot(%a, %b), lhs_contracting_dims={1}, rhs_contracting_dims={0}, algorithm=dot_f32_f32_f32",
        ])
        XCTAssertEqual(same, .dot(DotDimensions(lhsContracting: [1], rhsContracting: [0])))
    }

    func testTupleAndGetTupleElement() throws {
        let graph = try hlo(
            entryModule([
                "%x = f32[4]{0} parameter(0)", "%i = s32[] parameter(1)",
                "%t = (f32[4]{0}, s32[]) tuple(%x, %i)",
                "%g = s32[] get-tuple-element(%t), index=1",
                "ROOT %r = (s32[], f32[4]{0}) tuple(%g, %x)",
            ])
        ).graph
        XCTAssertEqual(graph.entryNode("t")?.operation, .tuple)
        XCTAssertEqual(graph.entryNode("g")?.operation, .getTupleElement(index: 1))
        XCTAssertEqual(graph.outputs.map(\.name), ["#0", "#1"], "a tuple root gives one output per element")
        XCTAssertEqual(graph.outputs.map(\.type), [ArrayType(.s32, []), ArrayType(.f32, [4])])
    }

    func testCallAndFusion() throws {
        let callee = """
            %fused (p0: f32[4]) -> f32[4] {
              %p0 = f32[4]{0} parameter(0)
              ROOT %e = f32[4]{0} exponential(%p0)
            }

            """
        let graph = try hlo(
            entryModule(
                [
                    "%x = f32[4]{0} parameter(0)",
                    "%c = f32[4]{0} call(%x), to_apply=%fused",
                    "ROOT %f = f32[4]{0} fusion(%c), kind=kLoop, calls=%fused",
                ], computations: callee)
        ).graph
        XCTAssertEqual(graph.entryNode("c")?.operation, .call(computation: "fused"))
        XCTAssertEqual(graph.entryNode("f")?.operation, .call(computation: "fused"))
        XCTAssertEqual(graph.entryNode("f")?.metadata["fusion_kind"], "kLoop")
        XCTAssertEqual(graph.entryNode("f")?.metadata["hlo_opcode"], "fusion")
        XCTAssertNil(graph.entryNode("c")?.metadata["hlo_opcode"])
    }

    func testWhileAndConditional() throws {
        let computations = """
            %cond (s: (s32[], f32[4])) -> pred[] {
              %s = (s32[], f32[4]{0}) parameter(0)
              %i = s32[] get-tuple-element(%s), index=0
              %n = s32[] constant(5)
              ROOT %lt = pred[] compare(%i, %n), direction=LT
            }

            %body (s: (s32[], f32[4])) -> (s32[], f32[4]) {
              %s = (s32[], f32[4]{0}) parameter(0)
              %i = s32[] get-tuple-element(%s), index=0
              %one = s32[] constant(1)
              %next = s32[] add(%i, %one)
              %v = f32[4]{0} get-tuple-element(%s), index=1
              ROOT %t = (s32[], f32[4]{0}) tuple(%next, %v)
            }

            %neg (v: f32[4]) -> f32[4] {
              %v = f32[4]{0} parameter(0)
              ROOT %n = f32[4]{0} negate(%v)
            }

            %same (v: f32[4]) -> f32[4] {
              ROOT %v = f32[4]{0} parameter(0)
            }

            """
        let graph = try hlo(
            entryModule(
                [
                    "%x = f32[4]{0} parameter(0)", "%p = pred[] parameter(1)", "%k = s32[] parameter(2)",
                    "%zero = s32[] constant(0)",
                    "%init = (s32[], f32[4]{0}) tuple(%zero, %x)",
                    "%w = (s32[], f32[4]{0}) while(%init), condition=%cond, body=%body",
                    "%c1 = f32[4]{0} conditional(%p, %x, %x), true_computation=%neg, false_computation=%same",
                    "%c2 = f32[4]{0} conditional(%k, %x, %x, %c1), branch_computations={%same, %neg, %neg}",
                    "%wv = f32[4]{0} get-tuple-element(%w), index=1",
                    "ROOT %r = (f32[4]{0}, f32[4]{0}, f32[4]{0}) tuple(%c1, %c2, %wv)",
                ], computations: computations)
        ).graph
        XCTAssertEqual(graph.entryNode("w")?.operation, .whileLoop(condition: "cond", body: "body"))
        XCTAssertEqual(graph.entryNode("c1")?.operation, .conditional(branches: ["neg", "same"]))
        XCTAssertEqual(graph.entryNode("c2")?.operation, .conditional(branches: ["same", "neg", "neg"]))
    }

    func testDynamicSliceAndUpdate() throws {
        let graph = try hlo(
            entryModule([
                "%x = f32[5]{0} parameter(0)", "%i = s32[] parameter(1)",
                "%s = f32[1]{0} dynamic-slice(%x, %i), dynamic_slice_sizes={1}",
                "ROOT %u = f32[5]{0} dynamic-update-slice(%x, %s, %i)",
            ])
        ).graph
        XCTAssertEqual(graph.entryNode("s")?.operation, .dynamicSlice(sizes: [1]))
        XCTAssertEqual(graph.entryNode("u")?.operation, .dynamicUpdateSlice)
    }

    /// A bitcast carries both layouts: the operand's from its defining
    /// instruction, the result's from its own shape; a missing layout is the
    /// default `{rank-1,...,0}`.
    func testBitcastLayouts() throws {
        let graph = try hlo(
            entryModule([
                "%x = f32[4,3]{1,0} parameter(0)",
                "%t = f32[4,3]{0,1} copy(%x)",
                "%b1 = f32[12]{0} bitcast(%t)",
                "%b2 = f32[3,4]{0,1} bitcast(%x)",
                "%y = f32[2,3,2] parameter(1)",
                "%b3 = f32[6,2] bitcast(%y)",
                "%s = f32[] parameter(2)",
                "%b4 = f32[1]{0} bitcast(%s)",
                "ROOT %r = (f32[12]{0}, f32[3,4]{0,1}, f32[6,2], f32[1]{0}) tuple(%b1, %b2, %b3, %b4)",
            ])
        ).graph
        XCTAssertEqual(graph.entryNode("b1")?.operation, .bitcast(operandLayout: [0, 1], resultLayout: [0]))
        XCTAssertEqual(graph.entryNode("b2")?.operation, .bitcast(operandLayout: [1, 0], resultLayout: [0, 1]))
        XCTAssertEqual(graph.entryNode("b3")?.operation, .bitcast(operandLayout: [2, 1, 0], resultLayout: [1, 0]))
        XCTAssertEqual(graph.entryNode("b4")?.operation, .bitcast(operandLayout: [], resultLayout: [0]))
    }

    /// Parameters keep their HLO names and `parameter(N)` order; the entry's
    /// parameters are the graph's, whatever order the text lists them in.
    func testParametersFollowTheirNumbers() throws {
        let graph = try hlo(
            entryModule([
                "%b = f32[2]{0} parameter(1)", "%a = f32[3]{0} parameter(0)",
                "ROOT %t = (f32[2]{0}, f32[3]{0}) tuple(%b, %a)",
            ])
        ).graph
        XCTAssertEqual(graph.parameters.map(\.name), ["a", "b"])
        XCTAssertEqual(graph.parameters.map(\.type), [ArrayType(.f32, [3]), ArrayType(.f32, [2])])
    }

    /// Each node is located at its name, and declares XLA's type.
    func testLocationsAndDeclaredTypes() throws {
        let graph = try hlo(
            entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = f32[4]{0} sine(%x)"]), file: "ops.hlo"
        ).graph
        XCTAssertEqual(graph.entryNode("x")?.location, SourceLocation(file: "ops.hlo", line: 3, column: 3))
        XCTAssertEqual(graph.entryNode("y")?.location, SourceLocation(file: "ops.hlo", line: 4, column: 8))
        XCTAssertEqual(graph.source, "ops.hlo")
        assertError(at: (4, 8), containing: "declared type f32[5] but the operands give f32[4]") {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", "ROOT %y = f32[5]{0} sine(%x)"]))
        }
    }
}
