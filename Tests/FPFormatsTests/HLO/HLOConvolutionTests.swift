import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Reading XLA's `convolution`: `dim_labels` in any layout, the window with
/// `rhs_reversal`, group counts, and located errors for bad attributes.
final class HLOConvolutionTests: XCTestCase {
    private func root(_ body: [String]) throws -> (FPGraph.Operation, ValueType) {
        let graph = try hlo(entryModule(body)).graph
        let node = graph.entry.nodes[graph.entry.root]
        return (node.operation, node.type)
    }

    /// Column (1-based) where `fragment` starts in body line `k` (the module's line k + 3).
    private func column(of fragment: String, in line: String) -> Int {
        line.distance(from: line.startIndex, to: line.range(of: fragment)!.lowerBound) + 3
    }

    func testEveryLayoutAndWindowField() throws {
        let (op, type) = try root([
            "%x = f32[2,7,6,3]{3,2,1,0} parameter(0)", "%w = f32[3,3,3,4]{3,2,1,0} parameter(1)",
            "ROOT %c = f32[2,4,4,4]{3,2,1,0} convolution(%x, %w), window={size=3x3 stride=2x1 pad=1_1x0_2 rhs_dilate=1x2}, dim_labels=b01f_01io->b01f, operand_precision={highest,highest}",
        ])
        XCTAssertEqual(type, .array(.f32, [2, 4, 4, 4]))
        guard case .convolution(let a) = op else { return XCTFail("\(op)") }
        XCTAssertEqual(a.dimensions.labels, "b01f_01io->b01f")
        XCTAssertEqual(
            a.window,
            WindowConfig(
                dimensions: [3, 3], strides: [2, 1], paddingLow: [1, 0], paddingHigh: [1, 2], windowDilations: [1, 2]))
        XCTAssertEqual(a.windowReversal, [false, false])
        XCTAssertEqual([a.featureGroupCount, a.batchGroupCount], [1, 1])

        let (grad, _) = try root([
            "%x = f32[2,5,5,4]{3,2,1,0} parameter(0)", "%g = f32[2,5,5,4]{3,2,1,0} parameter(1)",
            "ROOT %c = f32[3,3,2,4]{3,2,1,0} convolution(%x, %g), window={size=5x5 pad=1_1x1_1}, dim_labels=f01b_i01o->01bf, batch_group_count=2",
        ])
        guard case .convolution(let b) = grad else { return XCTFail("\(grad)") }
        XCTAssertEqual(b.batchGroupCount, 2)
        XCTAssertEqual(b.dimensions.labels, "f01b_i01o->01bf")

        let (matrix, matrixType) = try root([
            "%x = f32[3,5]{1,0} parameter(0)", "%w = f32[4,5]{1,0} parameter(1)",
            "ROOT %c = f32[3,4]{1,0} convolution(%x, %w), dim_labels=bf_oi->bf",
        ])
        XCTAssertEqual(matrixType, .array(.f32, [3, 4]))
        guard case .convolution(let m) = matrix else { return XCTFail("\(matrix)") }
        XCTAssertEqual(m.window.dimensions, [])

        let (reversed, _) = try root([
            "%x = bf16[1,6,4]{2,1,0} parameter(0)", "%w = bf16[3,2,8]{2,1,0} parameter(1)",
            "ROOT %c = f32[1,6,8]{2,1,0} convolution(%x, %w), window={size=3 pad=1_1 rhs_reversal=1}, dim_labels=b0f_0io->b0f, feature_group_count=2",
        ])
        guard case .convolution(let r) = reversed else { return XCTFail("\(reversed)") }
        XCTAssertEqual(r.windowReversal, [true])
        XCTAssertEqual(r.featureGroupCount, 2)
    }

    func testBadDimLabelsAreLocated() {
        let line = "ROOT %c = f32[1,4,2]{2,1,0} convolution(%x, %w), window={size=2}, dim_labels=b0f_0oi->b0x"
        assertError(at: (5, column(of: "b0f_0oi", in: line)), containing: "output labels 'b0x' have 'x' where") {
            _ = try hlo(
                entryModule(["%x = f32[1,5,3]{2,1,0} parameter(0)", "%w = f32[2,2,3]{2,1,0} parameter(1)", line]))
        }
        let short = "ROOT %c = f32[1,4,2]{2,1,0} convolution(%x, %w), window={size=2}, dim_labels=b0f_0io"
        assertError(at: (5, column(of: "b0f_0io", in: short)), containing: "must have the form lhs_rhs->out") {
            _ = try hlo(
                entryModule(["%x = f32[1,5,3]{2,1,0} parameter(0)", "%w = f32[2,3,2]{2,1,0} parameter(1)", short]))
        }
        let missing = "ROOT %c = f32[1,4,2]{2,1,0} convolution(%x, %w), window={size=2}"
        assertError(at: (5, column(of: "convolution", in: missing)), containing: "needs the attribute 'dim_labels='") {
            _ = try hlo(
                entryModule(["%x = f32[1,5,3]{2,1,0} parameter(0)", "%w = f32[2,3,2]{2,1,0} parameter(1)", missing]))
        }
        let reversal =
            "ROOT %c = f32[1,4,2]{2,1,0} convolution(%x, %w), window={size=2 rhs_reversal=2}, dim_labels=b0f_0io->b0f"
        assertError(at: (5, column(of: "{size", in: reversal)), containing: "'rhs_reversal' takes 0 or 1") {
            _ = try hlo(
                entryModule(["%x = f32[1,5,3]{2,1,0} parameter(0)", "%w = f32[2,3,2]{2,1,0} parameter(1)", reversal]))
        }
    }

    func testInconsistentAttributesAreLocatedTypeErrors() {
        func body(_ root: String) -> String {
            entryModule(["%x = f32[1,5,4]{2,1,0} parameter(0)", "%w = f32[2,2,6]{2,1,0} parameter(1)", root])
        }
        let groups =
            "ROOT %c = f32[1,4,6]{2,1,0} convolution(%x, %w), window={size=2}, dim_labels=b0f_0io->b0f, feature_group_count=3"
        XCTAssertThrowsError(try hlo(body(groups))) { error in
            XCTAssertEqual((error as? GraphError)?.location?.line, 5, "\(error)")
            XCTAssertTrue("\(error)".contains("divided by feature_group_count (3)"), "\(error)")
        }
        let window =
            "ROOT %c = f32[1,4,6]{2,1,0} convolution(%x, %w), window={size=3}, dim_labels=b0f_0io->b0f, feature_group_count=2"
        XCTAssertThrowsError(try hlo(body(window))) { error in
            XCTAssertEqual((error as? GraphError)?.location?.line, 5, "\(error)")
            XCTAssertTrue("\(error)".contains("window size [3] does not match"), "\(error)")
        }
        let declared =
            "ROOT %c = f32[1,5,6]{2,1,0} convolution(%x, %w), window={size=2}, dim_labels=b0f_0io->b0f, feature_group_count=2"
        XCTAssertThrowsError(try hlo(body(declared))) { error in
            XCTAssertTrue("\(error)".contains("f32[1,4,6]"), "\(error)")
        }
        let integer =
            "ROOT %c = s32[1,4,6]{2,1,0} convolution(%x, %w), window={size=2}, dim_labels=b0f_0io->b0f, feature_group_count=2"
        XCTAssertThrowsError(try hlo(body(integer))) { error in
            XCTAssertTrue("\(error)".contains("cannot produce s32"), "\(error)")
        }
        let huge =
            "ROOT %c = f32[1,4,6]{2,1,0} convolution(%x, %w), window={size=2 pad=9223372036854775807_9223372036854775807}, dim_labels=b0f_0io->b0f, feature_group_count=2"
        XCTAssertThrowsError(try hlo(body(huge))) { error in
            XCTAssertTrue("\(error)".contains("overflows"), "\(error)")
        }
    }

    func testReduceWindowStillRefusesAReversedWindow() {
        let line = "ROOT %w = f32[3]{0} reduce-window(%x, %x), window={size=2 rhs_reversal=1}, to_apply=%main"
        assertError(
            at: (4, column(of: "{size", in: line)), containing: "rhs_reversal (a reversed window) is not supported"
        ) {
            _ = try hlo(entryModule(["%x = f32[4]{0} parameter(0)", line]))
        }
    }
}
