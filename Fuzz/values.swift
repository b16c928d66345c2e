import FPFormats
import FPGraph
import Foundation

/// The parameters values are bound to: `x: f32[2]`, `w: bf16[2,2]`, `n: s32[]`.
private let parameters: [GraphParameter] = {
    let json = """
        {"format": "fpaudit.graph/v1", "name": "fuzz",
         "parameters": [{"name": "x", "dtype": "f32", "shape": [2]},
                        {"name": "w", "dtype": "bf16", "shape": [2, 2]},
                        {"name": "n", "dtype": "s32", "shape": []}],
         "nodes": [], "outputs": ["x", "w", "n"]}
        """
    do {
        return try GraphJSON.read(data: Data(json.utf8), file: "fuzz.json").graph.parameters
    } catch {
        fatalError("the values target's graph does not read: \(error)")
    }
}()

/// libFuzzer target `values`: the bytes of a values file (`--inputs`,
/// `docs/values-format.md`) read by ``ValuesJSON/readEntries(data:file:jsonLimits:)``,
/// bound to a small graph's parameters as `fpaudit eval --inputs` does, then
/// written back with `ValuesJSON.write` and read again.
///
/// Every thrown error is expected (bad input is a located error, exit 2);
/// only a trap, a sanitizer report, a stack overflow or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    do {
        let entries = try ValuesJSON.readEntries(data: bytes, file: "fuzz.values.json")
        _ = try? ValuesJSON.bind(entries, to: parameters)
        _ = try ValuesJSON.readEntries(data: ValuesJSON.write(entries), file: "rewritten.values.json")
    } catch {}
    return 0
}
