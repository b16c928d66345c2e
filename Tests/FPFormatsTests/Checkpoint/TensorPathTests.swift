import FPFormats
import XCTest

/// The one naming rule: every spelling of a pytree path reads as the same components.
final class TensorPathTests: XCTestCase {
    func testSpellingsOfOnePath() {
        let want = ["params", "Dense_0", "kernel"]
        for name in [
            "params['Dense_0']['kernel']", #"params["Dense_0"]["kernel"]"#, "params/Dense_0/kernel",
            "params.Dense_0.kernel", "params['Dense_0'].kernel", "/params/Dense_0/kernel/",
        ] {
            XCTAssertEqual(TensorPath(name).components, want, name)
        }
    }

    func testIndicesQuotesAndEscapes() {
        XCTAssertEqual(TensorPath("x[0]").components, ["x", "0"])
        XCTAssertEqual(TensorPath("layer.0.weight").components, ["layer", "0", "weight"])
        XCTAssertEqual(TensorPath("p['a.b']['c/d']").components, ["p", "a.b", "c/d"])
        XCTAssertEqual(TensorPath(#"p['it\'s']"#).components, ["p", "it's"])
        XCTAssertEqual(TensorPath("").components, [])
        XCTAssertEqual(TensorPath("p['unterminated").components, ["p", "unterminated"])
    }

    func testJAXSanitisedHLONames() {
        XCTAssertEqual(
            TensorPath(hloInstructionName: "variables__params____Dense_0____kernel__.1").components,
            ["variables", "params", "Dense_0", "kernel"])
        XCTAssertEqual(TensorPath(hloInstructionName: "params__head____bias__").components, ["params", "head", "bias"])
        XCTAssertEqual(TensorPath(hloInstructionName: "x.12").components, ["x"])
        XCTAssertEqual(TensorPath(hloInstructionName: "Arg_0.1").components, ["Arg_0"])
    }

    func testMatching() {
        let long = TensorPath("variables['params']['Dense_0']['kernel']")
        XCTAssertEqual(long.match(TensorPath("variables.params.Dense_0.kernel")), .exact)
        XCTAssertEqual(long.match(TensorPath("params.Dense_0.kernel")), .suffix)
        XCTAssertEqual(TensorPath("Dense_0/kernel").match(long), .suffix)
        XCTAssertNil(long.match(TensorPath("Dense_1.kernel")))
        XCTAssertNil(long.match(TensorPath("el")), "suffixes are whole components")
        XCTAssertNil(long.match(TensorPath("")))
        XCTAssert(TensorPath.Match.suffix < .exact)
        XCTAssertEqual(
            TensorPath("params.a.b").dropping(prefix: TensorPath("params"))?.components, ["a", "b"])
        XCTAssertNil(TensorPath("params").dropping(prefix: TensorPath("params")))
        XCTAssertNil(TensorPath("other.a").dropping(prefix: TensorPath("params")))
    }
}
