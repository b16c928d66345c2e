import FPEval
import FPGraph
import XCTest
import _TestSupport

/// `--subnormals flush` emulates XLA CPU's FTZ + DAZ in the compute type.
final class SubnormalModeTests: XCTestCase {
    func run(_ op: String, dtype: String, _ inputs: [Double], mode: SubnormalMode, extra: String = "") throws
        -> [Double]
    {
        let json = """
            {"parameters": [{"name": "x", "dtype": "\(dtype)", "shape": [\(inputs.count)]}],
             "nodes": [{"name": "y", "op": "\(op)", "operands": ["x"\(extra.isEmpty ? "" : ", \"k\"")]}
                       \(extra.isEmpty ? "" : ", " + extra)],
             "outputs": ["y"]}
            """
        let i = Interpreter(graph: try graph(json), domain: IEEEDomain(mode: .declared, subnormals: mode))
        try i.run([.floats(inputs)])
        guard case .floats(let v) = i.outputValues()[0] else { return [] }
        return v
    }

    /// exp(-100) = 3.7e-44 is an f32 subnormal: XLA CPU gives 0.
    func testSubnormalResultsFlushToZero() throws {
        let keep = try run("exp", dtype: "f32", [-100], mode: .keep)
        XCTAssertEqual(keep, [Double(Float(Foundation.exp(-100.0)))])
        XCTAssertTrue(Float(keep[0]).isSubnormal)
        XCTAssertEqual(try run("exp", dtype: "f32", [-100], mode: .flush), [0])
    }

    /// A subnormal operand counts as zero: 2^-140 * 2^30 is 2^-110 with IEEE, 0 with DAZ.
    func testSubnormalOperandsAreZero() throws {
        let k = #"{"name": "k", "op": "constant", "dtype": "f32", "value": "0x1p30"}"#
        XCTAssertEqual(try run("multiply", dtype: "f32", [0x1p-140], mode: .keep, extra: k), [0x1p-110])
        XCTAssertEqual(try run("multiply", dtype: "f32", [0x1p-140], mode: .flush, extra: k), [0])
        // f64 flushes at binary64's threshold: 2^-1060 * 2^30 = 2^-1030 is normal only without DAZ.
        let k64 = #"{"name": "k", "op": "constant", "dtype": "f64", "value": "0x1p30"}"#
        XCTAssertEqual(try run("multiply", dtype: "f64", [0x1p-1060], mode: .keep, extra: k64), [0x1p-1030])
        XCTAssertEqual(try run("multiply", dtype: "f64", [0x1p-1060], mode: .flush, extra: k64), [0])
    }

    /// f16 computes in binary32, where f16's subnormals are normal numbers: they are kept.
    func testF16SubnormalsAreKeptBecauseTheyAreNormalInBinary32() throws {
        let k = #"{"name": "k", "op": "constant", "dtype": "f16", "value": 1}"#
        XCTAssertEqual(try run("multiply", dtype: "f16", [0x1p-20], mode: .flush, extra: k), [0x1p-20])
    }

    /// Converting f64 1e-40 to f32 gives an f32 subnormal, flushed under FTZ.
    func testConvertFlushesAtTheTarget() throws {
        let json = """
            {"parameters": [{"name": "x", "dtype": "f64", "shape": []}],
             "nodes": [{"name": "y", "op": "convert", "operands": ["x"], "dtype": "f32"}], "outputs": ["y"]}
            """
        for (mode, expected) in [(SubnormalMode.keep, Double(Float(1e-40))), (.flush, 0)] {
            let i = Interpreter(graph: try graph(json), domain: IEEEDomain(mode: .declared, subnormals: mode))
            try i.run([.floats([1e-40])])
            XCTAssertEqual(i.outputValues(), [.floats([expected])], "\(mode)")
        }
    }
}
