import FPFormats
import FPGraph
import FPNumerics
import XCTest
import _TestSupport

/// `rng-bit-generator` in HLO text and in graph documents.
final class RngBitGeneratorSyntaxTests: XCTestCase {
    private func rngModule(_ algorithm: String, state: String = "u64[2]{0}") -> String {
        entryModule([
            "%s = \(state) parameter(0)",
            "ROOT %r = (\(state), u32[3,5]{1,0}) rng-bit-generator(%s)\(algorithm)",
        ])
    }

    func testHLOAlgorithmsAndDefault() throws {
        for (text, expected) in [
            (", algorithm=rng_default", RandomBitAlgorithm.philox), (", algorithm=rng_three_fry", .threeFry),
            (", algorithm=rng_philox", .philox), ("", .philox),
        ] {
            let graph = try hlo(rngModule(text)).graph
            XCTAssertEqual(
                graph.entry.nodes[graph.entry.root].operation,
                .rngBitGenerator(algorithm: expected, output: ArrayType(.u32, [3, 5])), text)
        }
    }

    func testHLOErrorsAreLocated() {
        assertError(at: (4, 73), containing: "expected rng_default, rng_three_fry or rng_philox") {
            _ = try hlo(self.rngModule(", algorithm=rng_fast"))
        }
        assertError(at: (4, 8), containing: "rng-bit-generator (three_fry) needs a state of u64[2]") {
            _ = try hlo(self.rngModule(", algorithm=rng_three_fry", state: "u64[3]{0}"))
        }
    }

    func testGraphDocumentRoundTrip() throws {
        let text = document(
            parameters: [#"{ "name": "s", "dtype": "u64", "shape": [3] }"#],
            nodes: [
                #"{ "name": "r", "op": "rng-bit-generator", "operands": ["s"], "algorithm": "default", "bits_dtype": "f32", "bits_shape": [2, 2] }"#,
                #"{ "name": "bits", "op": "get-tuple-element", "operands": ["r"], "index": 1 }"#,
            ],
            outputs: #"["bits"]"#)
        let parsed = try GraphFile.read(data: Data(text.utf8), file: "g.json")
        let node = parsed.graph.entry.nodes[parsed.graph.entry.index(of: "r")!]
        XCTAssertEqual(node.operation, .rngBitGenerator(algorithm: .philox, output: ArrayType(.f32, [2, 2])))
        let written = String(decoding: GraphJSONWriter.write(parsed), as: UTF8.self)
        XCTAssertTrue(
            written.contains(#""algorithm" : "philox""#) || written.contains(#""algorithm": "philox""#), written)
        let again = try GraphFile.read(data: Data(written.utf8), file: "w.json")
        XCTAssertEqual(again.graph.canonicalHash, parsed.graph.canonicalHash)
        assertError(at: (7, 79), containing: "expected three_fry, philox or default") {
            _ = try GraphFile.read(
                data: Data(text.replacingOccurrences(of: #""default""#, with: #""mersenne""#).utf8), file: "g.json")
        }
    }
}
