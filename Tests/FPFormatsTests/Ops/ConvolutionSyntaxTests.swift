import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// `convolution` in our JSON format: read, written and read back, and
/// located errors for bad attributes.
final class ConvolutionSyntaxTests: XCTestCase {
    private func convolutionDocument(
        _ attributes: String, dtype: String = "bf16", kernel: String = "[3, 2, 6]", result: String = ""
    ) -> String {
        document(
            parameters: [
                #"{ "name": "x", "dtype": "\#(dtype)", "shape": [2, 6, 4] }"#,
                #"{ "name": "w", "dtype": "\#(dtype)", "shape": \#(kernel) }"#,
            ],
            nodes: [#"{ "name": "c", "op": "convolution", "operands": ["x", "w"]\#(result), \#(attributes) }"#],
            outputs: #"["c"]"#)
    }

    func testEveryAttributeRoundTrips() throws {
        let text = convolutionDocument(
            #""dim_labels": "b0f_0io->b0f", "window": [3], "stride": [2], "padding_low": [2], "padding_high": [-1], "lhs_dilation": [2], "rhs_dilation": [1], "rhs_reversal": [1], "feature_group_count": 2"#,
            result: #", "dtype": "f32""#)
        let g = try graph(text)
        let c = g.node("c")
        guard case .convolution(let a) = c.operation else { return XCTFail("\(c.operation)") }
        XCTAssertEqual(a.windowReversal, [true])
        XCTAssertEqual(a.featureGroupCount, 2)
        XCTAssertEqual(a.window.baseDilations, [2])
        // (5 * 2 + 1 + 2 - 1 - 3) / 2 + 1 = 5 positions; 6 output features; f32 from bf16 operands.
        XCTAssertEqual(c.type, .array(.f32, [2, 5, 6]))
        let written = GraphJSONWriter.write(ParsedGraph(graph: g, fileSHA256: "", sampleSpecs: [:], metadata: [:]))
        let back = try GraphJSON.read(data: written, file: "written.json").graph
        XCTAssertEqual(back.canonicalHash, g.canonicalHash, String(decoding: written, as: UTF8.self))
        XCTAssertEqual(back.node("c").operation, c.operation)
        XCTAssertEqual(back.node("c").type, c.type)
        let writtenText = String(decoding: written, as: UTF8.self)
        XCTAssertTrue(writtenText.contains(#""dim_labels": "b0f_0io->b0f""#), writtenText)
        XCTAssertTrue(writtenText.contains(#""rhs_reversal": [1]"#), writtenText)
    }

    func testDefaultsAndTheHashSeesEveryAttribute() throws {
        let plain = try graph(
            convolutionDocument(#""dim_labels": "b0f_0io->b0f", "window": [3]"#, dtype: "f32", kernel: "[3, 4, 6]"))
        guard case .convolution(let a) = plain.node("c").operation else { return XCTFail() }
        XCTAssertEqual(a.window, WindowConfig(dimensions: [3]))
        XCTAssertEqual([a.featureGroupCount, a.batchGroupCount], [1, 1])
        XCTAssertEqual(a.windowReversal, [false])
        let reversed = try graph(
            convolutionDocument(
                #""dim_labels": "b0f_0io->b0f", "window": [3], "rhs_reversal": [1]"#, dtype: "f32", kernel: "[3, 4, 6]")
        )
        XCTAssertNotEqual(plain.canonicalHash, reversed.canonicalHash)
    }

    func testBadAttributesAreLocated() {
        let labels = convolutionDocument(#""dim_labels": "b0f_0io->b0", "window": [3]"#)
        assertError(at: (8, 79), containing: "must have the same length") { _ = try graph(labels) }
        let reversal = convolutionDocument(#""dim_labels": "b0f_0io->b0f", "window": [3], "rhs_reversal": [2]"#)
        assertError(at: (8, 126), containing: "expected 0 or 1") { _ = try graph(reversal) }
        let groups = convolutionDocument(#""dim_labels": "b0f_0io->b0f", "window": [3], "feature_group_count": 4"#)
        assertError(at: (8, 5), containing: "divided by feature_group_count (4)") { _ = try graph(groups) }
        let missing = convolutionDocument(#""window": [3]"#)
        assertError(at: (8, 5), containing: "dim_labels") { _ = try graph(missing) }
    }
}
