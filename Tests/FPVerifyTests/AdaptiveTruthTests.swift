import FPEval
import FPGraph
import XCTest
import _TestSupport

@testable import FPVerify

final class AdaptiveTruthTests: XCTestCase {
    func truth(_ json: String, cap: Int = 4096, fixed: Int? = nil) throws -> AdaptiveTruth {
        let g = try graph(json)
        return AdaptiveTruth(
            graph: g, plan: GraphPlan(graph: g), startPrecision: 128, maxPrecision: cap, fixedPrecision: fixed)
    }

    /// (1e16 + 1.5) - 1e16: 1e16 < 2^54, so 128 bits already hold the sum
    /// exactly; 128 and 256 agree on 1.5.
    func testSmallCancellationIsStableAtTheFirstDoubling() throws {
        let t = try truth(cancellationGraph(constant: "1e16"))
        XCTAssertEqual(try t.evaluate([.floats([1.5])]), .stable(precision: 256))
        XCTAssertEqual(t.accepted?.outputDouble(0, 0), 1.5)
    }

    /// (2^200 + 1.5) - 2^200 needs ~201 bits: 128 bits give 0, 256 and 512 give 1.5.
    func testCancellationRaisesThePrecision() throws {
        let t = try truth(cancellationGraph(constant: "0x1p200"))
        XCTAssertEqual(try t.evaluate([.floats([1.5])]), .stable(precision: 512))
        XCTAssertEqual(t.accepted?.outputDouble(0, 0), 1.5)
    }

    /// A cancellation that needs more than the cap never stabilises and is
    /// reported, not used: 128 bits give 0, 256 give 1.5, and no 512 is allowed.
    func testBeyondTheCapIsUnstable() throws {
        let t = try truth(cancellationGraph(constant: "0x1p200"), cap: 256)
        XCTAssertEqual(try t.evaluate([.floats([1.5])]), .unstable(lastPrecision: 256))
        XCTAssertNil(t.accepted)
    }

    /// The documented limit of the method: when two successive precisions
    /// lose the same information they agree on a wrong value. (2^1000 + 1.5) -
    /// 2^1000 gives 0 at both 128 and 256 bits.
    func testAgreementOnAWrongValueIsTheMethodsKnownLimit() throws {
        let t = try truth(cancellationGraph(constant: "0x1p1000"))
        XCTAssertEqual(try t.evaluate([.floats([1.5])]), .stable(precision: 256))
        XCTAssertEqual(t.accepted?.outputDouble(0, 0), 0)
    }

    func testFixedPrecisionIsUsedAsIs() throws {
        let t = try truth(cancellationGraph(constant: "0x1p200"), fixed: 128)
        XCTAssertEqual(try t.evaluate([.floats([1.5])]), .stable(precision: 128))
        XCTAssertEqual(t.accepted?.outputDouble(0, 0), 0)
    }

    /// `x + 2^-200 > x` is false at 128 bits and true from 256 on: a branch flip.
    func testBranchFlipIsReported() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f64", "shape": []}],
             "nodes": [
               {"name": "tiny", "op": "constant", "dtype": "f64", "value": "0x1p-200"},
               {"name": "s", "op": "add", "operands": ["x", "tiny"]},
               {"name": "p", "op": "compare", "operands": ["s", "x"], "direction": "GT"},
               {"name": "one", "op": "constant", "dtype": "f64", "value": 1},
               {"name": "zero", "op": "constant", "dtype": "f64", "value": 0},
               {"name": "y", "op": "select", "operands": ["p", "one", "zero"]}],
             "outputs": ["y"]}
            """
        let t = try truth(json)
        XCTAssertEqual(try t.evaluate([.floats([1])]), .stable(precision: 512))
        XCTAssertTrue(t.branchFlipped)
        XCTAssertEqual(t.accepted?.outputDouble(0, 0), 1)
        XCTAssertEqual(try t.evaluate([.floats([0x1p-250])]), .stable(precision: 256))
        XCTAssertFalse(t.branchFlipped)
    }
}
