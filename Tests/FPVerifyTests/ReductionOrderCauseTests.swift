import FPEval
import FPGraph
import FPNumerics
import Foundation
import XCTest
import _TestSupport

@testable import FPVerify

/// The changed reduction order (``ErrorCause/reductionOrder(original:terms:via:rewrittenULPs:originalULPs:)``),
/// decided across the two graphs by ``ReductionOrderRule`` on a verification
/// replayed at one input.
final class ReductionOrderCauseTests: XCTestCase {
    /// An ulp of 1 in f32.
    static let u = 0x1p-23

    /// The hotspots of verifying `original` against `rewritten` at `inputs`.
    func hotspots(_ original: String, _ rewritten: String, _ inputs: [Tensor.Elements]) async throws -> Hotspots {
        let result = try await Verifier(
            original: try subject(original, path: "o.json"), rewritten: try subject(rewritten, path: "r.json"),
            config: VerificationConfig(samples: 1, workers: 1)
        ).run(replay: inputs)
        return try XCTUnwrap(result.hotspots)
    }

    func node(_ name: String, _ errors: [NodeError]) throws -> NodeError {
        try XCTUnwrap(errors.first { $0.node == name }, "\(errors)")
    }

    /// `a + (b + c)` (original) against `(a + b) + c` (rewritten), f32 scalars.
    static func addChain(rewritten: Bool) -> String {
        let nodes =
            rewritten
            ? """
            {"name": "t", "op": "add", "operands": ["a", "b"]}, {"name": "y", "op": "add", "operands": ["t", "c"]}
            """
            : """
            {"name": "t", "op": "add", "operands": ["b", "c"]}, {"name": "y", "op": "add", "operands": ["a", "t"]}
            """
        return """
            {"parameters": [{"name": "a", "dtype": "f32", "shape": []}, {"name": "b", "dtype": "f32", "shape": []},
                            {"name": "c", "dtype": "f32", "shape": []}],
             "nodes": [\(nodes)], "outputs": ["y"]}
            """
    }

    func testReassociatedAddsNameTheOriginalSum() async throws {
        // b = c = 5/8·u: the original adds them first (5/4·u), and 1 + 5/4·u
        // rounds to 1 + u, as the truth does; the rewritten rounds 1 + 5/8·u
        // to 1 + u, then 1 + 13/8·u to 1 + 2u.
        let small = 0.625 * Self.u
        let h = try await hotspots(
            Self.addChain(rewritten: false), Self.addChain(rewritten: true),
            [.floats([1]), .floats([small]), .floats([small])])
        let y = try node("y", h.rewritten)
        XCTAssertEqual(y.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            y.cause, .reductionOrder(original: "y", terms: 3, via: nil, rewrittenULPs: 1, originalULPs: 0))
        XCTAssertEqual(y.cause?.kind, "reduction-order")
        XCTAssertEqual(
            y.cause?.description,
            "reduction order: the original computes this sum (y, 3 terms) in a different order; here the rewritten sum is 1 ulp from the truth at worst, the original's 0 ulps"
        )
        // Only the rewritten graph's hotspots are read across graphs.
        for e in h.original { XCTAssertNotEqual(e.cause?.kind, "reduction-order", "\(e)") }
    }

    func testASplitReduceNamesTheOriginalReduceFromThePartialSum() async throws {
        let h = try await hotspots(
            SplitSumFixture.graph(rewritten: false), SplitSumFixture.graph(rewritten: true), SplitSumFixture.inputs)
        let cols = try node("cols", h.rewritten)
        XCTAssertEqual(cols.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            cols.cause, .reductionOrder(original: "y", terms: 6, via: "y", rewrittenULPs: 1, originalULPs: 0))
        XCTAssertTrue(
            cols.cause!.description.hasPrefix(
                "reduction order: a partial sum of y, a sum the original computes (y, 6 terms) in a different order"),
            cols.cause!.description)
        // The original's reduce keeps its own cause (it loses nothing here).
        XCTAssertNil(try node("y", h.original).cause)
    }

    /// The same rewrite at an input where the outer sum is the hotspot: the
    /// columns sum exactly, and 1 + 3/8·u (absorbed) loses the small column.
    func testASplitReduceNamesTheOriginalReduceOnTheOuterSum() async throws {
        // Row-major 3/8·u, 3/8·u, 1, 0, 0, 0: the original 3/4·u + 1 → 1 + u;
        // the rewritten columns 1 + 3/8·u → 1 and 3/8·u, then 1 + 3/8·u → 1.
        let h = try await hotspots(
            SplitSumFixture.graph(rewritten: false), SplitSumFixture.graph(rewritten: true),
            [.floats([0.375 * Self.u, 0.375 * Self.u, 1, 0, 0, 0])])
        let y = try node("y", h.rewritten)
        XCTAssertEqual(y.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            y.cause, .reductionOrder(original: "y", terms: 6, via: nil, rewrittenULPs: 1, originalULPs: 0))
    }

    /// Fixtures/json/sum-pairwise-f64: a sequential reduce against a tree of
    /// adds over slices. The tree's last add, where the rewrite loses, is the
    /// original reduce in another order.
    func testATreeOfAddsOverSlicesNamesTheOriginalReduce() async throws {
        func read(_ file: String) throws -> VerificationSubject {
            let url = fixtureURL("Fixtures/json/sum-pairwise-f64/\(file)")
            return try VerificationSubject.read(data: Data(contentsOf: url), path: file)
        }
        let result = try await Verifier(
            original: read("original.json"), rewritten: read("rewritten.json"), config: VerificationConfig(samples: 256)
        ).run()
        let hotspots = try XCTUnwrap(result.hotspots)
        let named = hotspots.rewritten.filter { $0.cause?.kind == "reduction-order" }
        XCTAssertFalse(named.isEmpty, "\(hotspots.rewritten)")
        for e in named {
            guard case .reductionOrder(let original, let terms, _, _, _)? = e.cause
            else { return XCTFail("\(e)") }
            XCTAssertEqual(original, "y")
            XCTAssertEqual(terms, 16)
            XCTAssertTrue(["l1", "l2", "l3", "l4"].contains(e.node), "\(e)")
        }
    }

    /// A sequential reduce of x[8] (original) against a tree of adds over
    /// slices, level by level, reshaped to a scalar (rewritten).
    static func tree(rewritten: Bool) -> String {
        let nodes =
            rewritten
            ? """
            {"name": "l1_even", "op": "slice", "operands": ["x"], "start": [0], "limit": [8], "stride": [2]},
            {"name": "l1_odd", "op": "slice", "operands": ["x"], "start": [1], "limit": [8], "stride": [2]},
            {"name": "l1", "op": "add", "operands": ["l1_even", "l1_odd"]},
            {"name": "l2_even", "op": "slice", "operands": ["l1"], "start": [0], "limit": [4], "stride": [2]},
            {"name": "l2_odd", "op": "slice", "operands": ["l1"], "start": [1], "limit": [4], "stride": [2]},
            {"name": "l2", "op": "add", "operands": ["l2_even", "l2_odd"]},
            {"name": "l3_even", "op": "slice", "operands": ["l2"], "start": [0], "limit": [2], "stride": [2]},
            {"name": "l3_odd", "op": "slice", "operands": ["l2"], "start": [1], "limit": [2], "stride": [2]},
            {"name": "l3", "op": "add", "operands": ["l3_even", "l3_odd"]},
            {"name": "y", "op": "reshape", "operands": ["l3"], "shape": []}
            """
            : """
            {"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
            {"name": "y", "op": "reduce", "operands": ["x", "zero"], "dimensions": [0], "reducer": "add"}
            """
        return """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [8]}], "nodes": [\(nodes)], "outputs": ["y"]}
            """
    }

    /// x = u/4, u/4, u/4, 1, 0, 0, 0, 0: the original sums 3/4·u, then
    /// 1 + 3/4·u → 1 + u, as the truth rounds; the tree's second level adds
    /// u/2 and 1 (a tie, to 1): the partial sum l2 is the hotspot, and its
    /// sum is reached through slices and an add (l3), then the reshape to the
    /// original's scalar.
    func testAPartialSumOfATreeOverSlicesNamesTheOriginalReduce() async throws {
        let q = 0.25 * Self.u
        let h = try await hotspots(
            Self.tree(rewritten: false), Self.tree(rewritten: true), [.floats([q, q, q, 1, 0, 0, 0, 0])])
        let l2 = try node("l2", h.rewritten)
        XCTAssertEqual(l2.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            l2.cause, .reductionOrder(original: "y", terms: 8, via: "l3", rewrittenULPs: 1, originalULPs: 0))
    }

    /// A dot of a[4] and b[4] (original) against the reduce of their
    /// products in reverse order (rewritten): the products are the dot's terms.
    func testADotAsAReversedMultiplyAndReduce() async throws {
        let original = """
            {"parameters": [{"name": "a", "dtype": "f32", "shape": [4]}, {"name": "b", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "y", "op": "dot", "operands": ["a", "b"],
                        "lhs_contracting": [0], "rhs_contracting": [0]}],
             "outputs": ["y"]}
            """
        let rewritten = """
            {"parameters": [{"name": "a", "dtype": "f32", "shape": [4]}, {"name": "b", "dtype": "f32", "shape": [4]}],
             "nodes": [{"name": "m", "op": "multiply", "operands": ["a", "b"]},
                       {"name": "r", "op": "reverse", "operands": ["m"], "dimensions": [0]},
                       {"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
                       {"name": "s", "op": "reduce", "operands": ["r", "zero"], "dimensions": [0], "reducer": "add"}],
             "outputs": ["s"]}
            """
        // The dot sums 3/4·u, then 1 (→ 1 + u, as the truth rounds); the reversed sum starts at 1 and absorbs the rest.
        let q = 0.25 * Self.u
        let h = try await hotspots(original, rewritten, [.floats([q, q, q, 1]), .floats([1, 1, 1, 1])])
        let s = try node("s", h.rewritten)
        XCTAssertEqual(s.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            s.cause, .reductionOrder(original: "y", terms: 4, via: nil, rewrittenULPs: 1, originalULPs: 0))
    }

    /// A reduce of x[2, 2] (original) against the reduce of its transpose (rewritten).
    func testAReduceOfATransposedOperand() async throws {
        func graph(_ transposed: Bool) -> String {
            let operand = transposed ? "xt" : "x"
            let transpose =
                transposed ? #"{"name": "xt", "op": "transpose", "operands": ["x"], "permutation": [1, 0]},"# : ""
            return """
                {"parameters": [{"name": "x", "dtype": "f32", "shape": [2, 2]}],
                 "nodes": [\(transpose) {"name": "zero", "op": "constant", "dtype": "f32", "value": 0},
                           {"name": "y", "op": "reduce", "operands": ["\(operand)", "zero"], "dimensions": [0, 1],
                            "reducer": "add"}],
                 "outputs": ["y"]}
                """
        }
        // Row-major 3/8·u, 3/8·u, 1, 0: 3/4·u + 1 → 1 + u; transposed 3/8·u + 1 → 1, then + 3/8·u → 1.
        let h = try await hotspots(graph(false), graph(true), [.floats([0.375 * Self.u, 0.375 * Self.u, 1, 0])])
        let y = try node("y", h.rewritten)
        XCTAssertEqual(y.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(
            y.cause, .reductionOrder(original: "y", terms: 4, via: nil, rewrittenULPs: 1, originalULPs: 0))
    }

    func testAnIdenticalPairKeepsItsOwnCause() async throws {
        let h = try await hotspots(
            SplitSumFixture.graph(rewritten: true), SplitSumFixture.graph(rewritten: true), SplitSumFixture.inputs)
        let cols = try node("cols", h.rewritten)
        XCTAssertEqual(cols.ulps, 1)
        XCTAssertEqual(cols.cause, .absorbedAddends(absorbed: 1, terms: 3, accumulatorExponent: 0))
    }

    /// A bf16 cast before the sum: the truth reads converts as the identity,
    /// so the sums' true values match, but their terms (the cast's values
    /// against x's) do not, and the rewritten's hotspot keeps its own cause.
    func testACastBeforeTheSumIsNotAReductionOrder() async throws {
        // 1.1 is not a bf16 value; the first column 1.1, 3/8·u, 3/8·u absorbs both small terms.
        let x = Double(Float(1.1))
        let inputs: [Tensor.Elements] = [.floats([x, 0, 0.375 * Self.u, 0, 0.375 * Self.u, 0])]
        let h = try await hotspots(
            SplitSumFixture.graph(rewritten: true), SplitSumFixture.graph(rewritten: true, bf16: true), inputs)
        let cols = try node("cols", h.rewritten)
        XCTAssertEqual(cols.ulps, 1, "\(h.rewritten)")
        XCTAssertEqual(cols.cause?.kind, "absorption")
    }

    /// The reassociation makes the rewritten's last add cancel: cancellation
    /// describes the element's arithmetic and stays first.
    func testCancellationStaysFirst() async throws {
        // Original 2^24 + (1 + −2^24) = 1 exactly; rewritten (2^24 + 1) → 2^24, then + −2^24 = 0.
        let h = try await hotspots(
            Self.addChain(rewritten: false), Self.addChain(rewritten: true),
            [.floats([0x1p24]), .floats([1]), .floats([-0x1p24])])
        let y = try node("y", h.rewritten)
        XCTAssertGreaterThan(y.bits, 20, "\(h.rewritten)")
        XCTAssertEqual(y.cause?.kind, "cancellation")
        // Without the precedence the rule would name the original sum.
        XCTAssertNotNil(
            ReductionOrderRule.cause(
                of: "y", cause: .rounding, rewritten: try profile(rewritten: true, [0x1p24, 1, -0x1p24]),
                original: try profile(rewritten: false, [0x1p24, 1, -0x1p24])))
    }

    /// The add chain's sums at scalar inputs, from a 200-bit MPFR truth.
    func profile(rewritten: Bool, _ inputs: [Double]) throws -> SumProfile {
        let graph = try subject(Self.addChain(rewritten: rewritten)).graph
        let truth = Interpreter(graph: graph, domain: MPFRDomain(precision: 200))
        try truth.run(inputs.map { .floats([$0]) })
        return try Localizer(graph: graph, exec: .declared, order: .sequential, subnormals: .keep)
            .localization(inputs.map { .floats([$0]) }, truth: truth).sums
    }

    /// Sums of equal true values whose terms are computed differently (`x / b`
    /// against `x * (1 / b)` under the sum) differ upstream, not in order.
    func testSumsOfDifferentlyComputedTermsAreNotAReductionOrder() throws {
        let inputs = [0x1p24, 1, -0x1p24]
        let original = try profile(rewritten: false, inputs)
        var rewritten = try profile(rewritten: true, inputs)
        XCTAssertNotNil(ReductionOrderRule.cause(of: "y", cause: .rounding, rewritten: rewritten, original: original))
        let y = try XCTUnwrap(rewritten.sums["y"])
        rewritten.sums["y"] = SumProfile.Sum(
            node: y.node, op: y.op, sum: y.sum, dtype: y.dtype, dimensions: y.dimensions, terms: y.terms,
            truth: y.truth, nonzero: y.nonzero, computed: y.computed, leaves: y.leaves.map { $0 &+ 1 },
            computedULPs: y.computedULPs)
        XCTAssertNil(ReductionOrderRule.cause(of: "y", cause: .rounding, rewritten: rewritten, original: original))
    }

    /// The profile's figures: terms, and how far each sum is computed from the truth.
    func testTheProfileCountsTermsAndComputedError() throws {
        let small = 0.625 * Self.u
        let p = try profile(rewritten: true, [1, small, small])
        XCTAssertEqual(p.order, ["t", "y"])
        XCTAssertEqual(p.sums["t"]?.terms, 2)
        XCTAssertEqual(p.sums["y"]?.terms, 3)
        XCTAssertEqual(p.sums["y"]?.computedULPs, 1)
        XCTAssertEqual(p.consumers["t"], ["y"])
        XCTAssertEqual(p.sums["y"]?.leaves.count, 2, "a, and b and c (equal values)")
    }

    /// The JSON report's `cause` carries the kind and the description.
    func testJSONShowsTheKind() throws {
        let error = NodeError(
            node: "cols", op: "reduce", location: nil, sourceName: nil, sourceLine: nil, bits: 1, ulps: 1,
            cause: .reductionOrder(original: "y", terms: 6, via: "y", rewrittenULPs: 1, originalULPs: 0))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(error)) as? [String: Any]
        let cause = try XCTUnwrap(json?["cause"] as? [String: Any])
        XCTAssertEqual(cause["kind"] as? String, "reduction-order")
        XCTAssertEqual(cause["description"] as? String, error.cause?.description)
    }
}
