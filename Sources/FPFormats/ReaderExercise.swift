import FPGraph
import FPNumerics
import Foundation

/// The whole path fpaudit takes to read each kind of input file, as one call
/// on arbitrary bytes: what the fuzz targets in `Fuzz/` run, and what their
/// corpus replay tests run on every committed input. Each call returns or
/// throws a located error; anything else (a trap, a sanitizer report) is a bug.
public enum ReaderExercise {
    /// A graph file (HLO text or our JSON, told apart by `file`'s name and the
    /// content) read as `VerificationSubject.read` does: parsed, built, its
    /// declared input distributions parsed, its canonical hash taken.
    public static func graph(_ data: Data, file: String) throws {
        let parsed = try GraphFile.read(data: data, file: file)
        for (_, spec) in parsed.sampleSpecs { _ = try Distribution.parse(spec) }
        _ = parsed.graph.canonicalHash
    }

    /// A values file read, bound to ``valuesParameters`` as `fpaudit eval
    /// --inputs` binds one (a binding mismatch is expected and not an error
    /// here), written back and read again.
    public static func values(_ data: Data) throws {
        let entries = try ValuesJSON.readEntries(data: data, file: "fuzz.values.json")
        _ = try? ValuesJSON.bind(entries, to: valuesParameters)
        _ = try ValuesJSON.readEntries(data: ValuesJSON.write(entries), file: "rewritten.values.json")
    }

    /// The parameters ``values(_:)`` binds to: `x: f32[2]`, `w: bf16[2,2]`, `n: s32[]`.
    public static let valuesParameters: [GraphParameter] = [
        GraphParameter(name: "x", index: 0, type: ArrayType(.f32, [2]), aliases: []),
        GraphParameter(name: "w", index: 1, type: ArrayType(.bf16, [2, 2]), aliases: []),
        GraphParameter(name: "n", index: 2, type: ArrayType(.s32, []), aliases: []),
    ]
}
