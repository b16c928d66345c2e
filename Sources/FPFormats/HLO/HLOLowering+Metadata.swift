import FPGraph

extension HLOLowering {
    /// A node's metadata from its `metadata={...}` attribute:
    ///
    /// - `op_name`, `op_type`: as written (JAX: `jit(f)/exp`);
    /// - `source_file`, `source_line`, `source_column`, `source_function`: the
    ///   innermost frame of `stack_frame_id` in the module's `StackFrames`
    ///   section, else the `source_file=`/`source_line=` fields older dumps write;
    /// - `source_stack`: the whole call stack, innermost first, when it has
    ///   more than one frame (`model.py:7 (softmax) <- model.py:32 (<module>)`).
    ///
    /// An id that does not resolve adds nothing; metadata never changes values.
    func nodeMetadata(_ attribute: HLOAttributeSyntax?) throws -> [String: String] {
        guard let attribute else { return [:] }
        let fields = try read(attribute) { try $0.parseMetadataFields() }
        var metadata: [String: String] = [:]
        for key in ["op_name", "op_type"] {
            if let value = fields[key], !value.isEmpty { metadata[key] = value }
        }
        let stack = fields["stack_frame_id"].flatMap { Int($0) }.map { module.stackFrames.stack(frameID: $0) } ?? []
        if let top = stack.first {
            if !top.file.isEmpty { metadata["source_file"] = top.file }
            metadata["source_line"] = String(top.line)
            if top.column > 0 { metadata["source_column"] = String(top.column) }
            if !top.function.isEmpty { metadata["source_function"] = top.function }
            if stack.count > 1 {
                metadata["source_stack"] = stack.map { "\($0.file):\($0.line) (\($0.function))" }.joined(
                    separator: " <- ")
            }
        } else {
            if let value = fields["source_file"], !value.isEmpty { metadata["source_file"] = value }
            if let value = fields["source_line"], value != "0" { metadata["source_line"] = value }
            if let value = fields["source_column"], value != "0" { metadata["source_column"] = value }
        }
        return metadata
    }
}
