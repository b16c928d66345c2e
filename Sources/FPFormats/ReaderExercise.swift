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

    /// A checkpoint or recorded input set read as `--params` and `--inputs-from` read
    /// one: parsed (safetensors or npz by content), every tensor decoded, bound by name to
    /// ``checkpointParameters`` (a binding mismatch is expected and not an error here),
    /// and split along its sample axis; the same bytes are also read as JSON Lines.
    public static func checkpoint(_ data: Data) throws {
        defer { _ = try? RecordedInputs.parseJSONLines(data, file: "fuzz.jsonl") }
        let checkpoint = try Checkpoint.parse(data, file: "fuzz.checkpoint", maxElements: 1 << 20)
        for entry in checkpoint.entries { _ = try checkpoint.tensor(named: entry.name) }
        _ = try? CheckpointBinding.bind([checkpoint], to: checkpointParameters)
        if let recorded = try? RecordedInputs.fromCheckpoint(checkpoint) {
            _ = try? recorded.bind(to: checkpointParameters)
        }
    }

    /// The parameters ``checkpoint(_:)`` binds to: a flax-like `params['dense']['kernel']: f32[2,2]`,
    /// `params['dense']['bias']: bf16[2]` and `x: f32[2]`.
    public static let checkpointParameters: [GraphParameter] = [
        GraphParameter(
            name: "params__dense____kernel__.1", index: 0, type: ArrayType(.f32, [2, 2]),
            aliases: ["params['dense']['kernel']"]),
        GraphParameter(
            name: "params__dense____bias__.1", index: 1, type: ArrayType(.bf16, [2]),
            aliases: ["params['dense']['bias']"]),
        GraphParameter(name: "x", index: 2, type: ArrayType(.f32, [2]), aliases: []),
    ]

    /// The parameters ``values(_:)`` binds to: `x: f32[2]`, `w: bf16[2,2]`, `n: s32[]`.
    public static let valuesParameters: [GraphParameter] = [
        GraphParameter(name: "x", index: 0, type: ArrayType(.f32, [2]), aliases: []),
        GraphParameter(name: "w", index: 1, type: ArrayType(.bf16, [2, 2]), aliases: []),
        GraphParameter(name: "n", index: 2, type: ArrayType(.s32, []), aliases: []),
    ]
}
