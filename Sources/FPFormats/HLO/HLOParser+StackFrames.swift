import FPGraph

extension HLOParser {
    /// The sections newer XLA prints between the header and the computations:
    ///
    ///     FileNames      1 "model.py" ...
    ///     FunctionNames  1 "softmax" ...
    ///     FileLocations  1 {file_name_id=1 function_name_id=1 line=7 end_line=7 column=8 end_column=42} ...
    ///     StackFrames    1 {file_location_id=1 parent_frame_id=1} ...
    ///
    /// The leading numbers are 1-based ids in order, as XLA writes them (XLA
    /// itself ignores their values).
    mutating func parseStackFrameIndex() throws -> HLOStackFrameIndex {
        var index = HLOStackFrameIndex()
        advance()  // FileNames
        index.fileNames = try parseNumberedStrings(section: "FileNames")
        try expectSection("FunctionNames")
        index.functionNames = try parseNumberedStrings(section: "FunctionNames")
        try expectSection("FileLocations")
        while current.wordText != nil {
            advance()
            let fields = try parseIntegerFields(
                section: "FileLocations",
                required: ["file_name_id", "function_name_id", "line"])
            index.fileLocations.append(
                HLOStackFrameIndex.FileLocation(
                    fileNameID: fields["file_name_id"]!, functionNameID: fields["function_name_id"]!,
                    line: fields["line"]!, column: fields["column"] ?? 0))
        }
        try expectSection("StackFrames")
        while current.wordText != nil {
            advance()
            let fields = try parseIntegerFields(
                section: "StackFrames", required: ["file_location_id", "parent_frame_id"])
            index.frames.append(
                HLOStackFrameIndex.Frame(
                    fileLocationID: fields["file_location_id"]!,
                    parentFrameID: fields["parent_frame_id"]! - 1))
        }
        return index
    }

    private mutating func expectSection(_ name: String) throws {
        guard current.isIdentifier(name) else { throw expected("the '\(name)' section") }
        advance()
    }

    /// `(id "text")*`
    private mutating func parseNumberedStrings(section: String) throws -> [String] {
        var values: [String] = []
        while current.wordText != nil {
            advance()
            guard case .string(let text) = current.kind else {
                throw expected("a quoted name in the \(section) section")
            }
            values.append(text)
            advance()
        }
        return values
    }

    /// `{ key=int key=int ... }` (commas between fields are optional).
    private mutating func parseIntegerFields(section: String, required: [String]) throws -> [String: Int] {
        let open = try expect("{", "after the id of a \(section) entry")
        var fields: [String: Int] = [:]
        while !eat("}") {
            _ = eat(",")
            guard case .identifier(let key) = current.kind else {
                throw expected("a field name or '}' in a \(section) entry")
            }
            advance()
            try expect("=", "after '\(key)' in a \(section) entry")
            fields[key] = try parseInteger("an integer for '\(key)'")
        }
        for key in required where fields[key] == nil {
            throw FormatError.syntax(
                message: "a \(section) entry needs '\(key)='",
                location: SourceLocation(file: file, line: open.line, column: open.column))
        }
        return fields
    }
}
