/// The `FileNames`, `FunctionNames`, `FileLocations` and `StackFrames`
/// sections of newer XLA dumps (XLA's `StackFrameIndexProto`).
///
/// Every table is 1-based in order of appearance: an instruction's
/// `stack_frame_id=N` names the N-th frame. XLA prints a frame's
/// `parent_frame_id` one higher than the proto field, whose 0 means "no
/// parent", so a printed `parent_frame_id=1` means no parent and a printed 3
/// means frame 2 (the parser of XLA subtracts one the same way).
struct HLOStackFrameIndex {
    struct FileLocation {
        var fileNameID: Int
        var functionNameID: Int
        var line: Int
        var column: Int
    }

    struct Frame {
        var fileLocationID: Int
        /// The parent frame's 1-based id; 0 for none.
        var parentFrameID: Int
    }

    /// One resolved frame: where in the user's program an op came from.
    struct SourcePosition: Equatable {
        var file: String
        var line: Int
        var column: Int
        var function: String
    }

    var fileNames: [String] = []
    var functionNames: [String] = []
    var fileLocations: [FileLocation] = []
    var frames: [Frame] = []

    /// The call stack of frame `id`, innermost first; empty when the id does not
    /// resolve. Stops at a repeated frame, so a malformed parent chain cannot loop.
    func stack(frameID id: Int) -> [SourcePosition] {
        var result: [SourcePosition] = []
        var seen = Set<Int>()
        var current = id
        while current >= 1, current <= frames.count, seen.insert(current).inserted {
            let frame = frames[current - 1]
            guard let position = position(fileLocationID: frame.fileLocationID) else { break }
            result.append(position)
            current = frame.parentFrameID
        }
        return result
    }

    private func position(fileLocationID id: Int) -> SourcePosition? {
        guard id >= 1, id <= fileLocations.count else { return nil }
        let l = fileLocations[id - 1]
        let file = l.fileNameID >= 1 && l.fileNameID <= fileNames.count ? fileNames[l.fileNameID - 1] : ""
        let function =
            l.functionNameID >= 1 && l.functionNameID <= functionNames.count ? functionNames[l.functionNameID - 1] : ""
        return SourcePosition(file: file, line: l.line, column: l.column, function: function)
    }
}
