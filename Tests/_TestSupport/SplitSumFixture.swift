import FPGraph

/// A sum whose order a rewrite changes, shared by the reduction-order tests
/// of `FPVerifyTests` and `FPAuditCLITests`.
public enum SplitSumFixture {
    /// A sum of x[3, 2] over both dimensions (original), against the sums of
    /// its columns, then their sum (rewritten); with `bf16`, `x` first goes
    /// through bf16 and back.
    public static func graph(rewritten: Bool, bf16: Bool = false) -> String {
        let source = bf16 ? "xr" : "x"
        let cast =
            bf16
            ? """
            {"name": "xb", "op": "convert", "operands": ["x"], "dtype": "bf16"},
            {"name": "xr", "op": "convert", "operands": ["xb"], "dtype": "f32"},
            """ : ""
        let sums =
            rewritten
            ? """
            {"name": "cols", "op": "reduce", "operands": ["\(source)", "zero"], "dimensions": [0], "reducer": "add"},
            {"name": "y", "op": "reduce", "operands": ["cols", "zero"], "dimensions": [0], "reducer": "add"}
            """
            : """
            {"name": "y", "op": "reduce", "operands": ["\(source)", "zero"], "dimensions": [0, 1], "reducer": "add"}
            """
        return """
            {"parameters": [{"name": "x", "dtype": "f32", "shape": [3, 2]}],
             "nodes": [\(cast) {"name": "zero", "op": "constant", "dtype": "f32", "value": 0}, \(sums)],
             "outputs": ["y"]}
            """
    }

    /// Row-major: 3/8·u, 3/8·u, 1, 0, 3/8·u, 0 (u = 2^-23). The original sums
    /// 3/4·u, then 1 + 3/4·u → 1 + u, as the truth 1 + 9/8·u rounds. The
    /// rewritten's first column 3/8·u, 1, 3/8·u absorbs both small terms (1,
    /// where the truth rounds to 1 + u): the column sum is the hotspot, and
    /// its sum with the other column (1 + 3/8·u → 1) carries the loss to the output.
    public static let inputs: [Tensor.Elements] = [
        .floats([0.375 * 0x1p-23, 0.375 * 0x1p-23, 1, 0, 0.375 * 0x1p-23, 0])
    ]
}
