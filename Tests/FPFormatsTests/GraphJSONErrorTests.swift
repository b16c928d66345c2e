import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// Every rejected graph names the problem and its exact `file:line:column`.
final class GraphJSONErrorTests: XCTestCase {
    /// A one-parameter graph whose nodes start on line 4, column 5.
    private func nodes(_ lines: String, outputs: String = #"["y"]"#, limits: GraphLimits = .default) throws -> Graph {
        try graph(
            """
            { "parameters": [{ "name": "x", "dtype": "f32", "shape": [4] }],
              "nodes": [
                { "name": "c", "op": "constant", "dtype": "f32", "value": 2 },
            \(lines)
              ],
              "outputs": \(outputs) }
            """, file: "g.json", limits: limits)
    }

    func testMalformedJSONIsLocated() {
        assertError("g.json:3:3: error: expected ',' or ']' after array element, found '\"'") {
            _ = try graph("{ \"nodes\": [\n  {}\n  \"x\"] }", file: "g.json")
        }
        assertError("g.json:4:50: error: expected ',' or ']' after array element, found '}'") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": ["x" }"#)
        }
    }

    func testUnknownOpSuggestsClosestSpelling() {
        assertError("g.json:4:26: error: unknown op 'expp' in node 'y'; did you mean 'exp' or 'expm1'?") {
            _ = try self.nodes(#"    { "name": "y", "op": "expp", "operands": ["x"] }"#)
        }
        assertError("g.json:4:26: error: unknown op 'Multiply' in node 'y'; did you mean 'multiply'?") {
            _ = try self.nodes(#"    { "name": "y", "op": "Multiply", "operands": ["x", "x"] }"#)
        }
        guard let error = thrownError({ _ = try self.nodes(#"    { "name": "y", "op": "frobnicate" }"#) }) else {
            return XCTFail("accepted an unknown op")
        }
        XCTAssertTrue(
            "\(error)".hasPrefix(
                "g.json:4:26: error: unknown op 'frobnicate' in node 'y'; known ops: constant neg abs"), "\(error)")
        assertError(#"g.json:4:26: error: node 'y': parameters are declared in the "parameters" list, not as nodes"#) {
            _ = try self.nodes(#"    { "name": "y", "op": "parameter", "dtype": "f32", "shape": [] }"#)
        }
    }

    func testUnknownKeyIsRejected() {
        assertError(
            "g.json:4:78: error: unknown key 'dimension' in node 'y' (reduce); did you mean 'dimensions'? "
                + "(allowed keys: name, op, operands, dtype, shape, dimensions, reducer, metadata)"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "c"], "reducer": "add", "dimension": [0] }"#)
        }
        assertError(
            "g.json:4:51: error: unknown key 'shape' in node 'y' (tuple) (allowed keys: name, op, operands, metadata)"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "tuple", "operands": [], "shape": [] }"#)
        }
        assertError(
            "g.json:1:63: error: unknown key 'samples' in parameter 'x'; did you mean 'sample'? "
                + "(allowed keys: name, dtype, shape, sample, aliases, metadata)"
        ) {
            _ = try graph(
                #"{ "parameters": [{ "name": "x", "dtype": "f32", "shape": [4], "samples": "ieee" }], "outputs": ["x"] }"#,
                file: "g.json")
        }
        assertError(
            "g.json:1:3: error: unknown key 'output' in the graph; did you mean 'outputs'? "
                + "(allowed keys: format, name, metadata, parameters, nodes, outputs, root, computations)"
        ) {
            _ = try graph(#"{ "output": ["x"] }"#, file: "g.json")
        }
    }

    func testMissingAttributes() {
        assertError("g.json:4:5: error: node 'y' (reduce) is missing the required key 'reducer'") {
            _ = try self.nodes(#"    { "name": "y", "op": "reduce", "operands": ["x", "c"], "dimensions": [0] }"#)
        }
        assertError("g.json:4:5: error: node 'y' (broadcast) is missing the required key 'shape'") {
            _ = try self.nodes(#"    { "name": "y", "op": "broadcast", "operands": ["c"], "dimensions": [] }"#)
        }
        assertError("g.json:4:5: error: node 'y' (convert) is missing the required key 'dtype'") {
            _ = try self.nodes(#"    { "name": "y", "op": "convert", "operands": ["x"] }"#)
        }
        assertError("g.json:4:5: error: nodes[1] is missing the required key 'op'") {
            _ = try self.nodes(#"    { "name": "y", "operands": ["x"] }"#)
        }
        assertError("g.json:1:1: error: the graph is missing the required key 'outputs'") {
            _ = try graph(#"{ "nodes": [] }"#, file: "g.json")
        }
    }

    func testWrongJSONTypes() {
        assertError("g.json:4:45: error: 'operands' of node 'y' (exp) must be an array of names, found a string") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": "x" }"#)
        }
        assertError(
            "g.json:4:75: error: element 0 of 'dimensions' of node 'y' (reduce): expected an integer, found 0.5"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "c"], "dimensions": [0.5], "reducer": "add" }"#)
        }
        assertError("g.json:4:15: error: 'name' of nodes[1] must be a string, found a number") {
            _ = try self.nodes(#"    { "name": 7, "op": "exp", "operands": ["x"] }"#)
        }
        assertError("g.json:1:1: error: the graph must be an object, found an array") {
            _ = try graph("[]", file: "g.json")
        }
        assertError("g.json:1:59: error: 'shape' of parameter 'x': dimension sizes must be >= 0, found -4") {
            _ = try graph(
                #"{ "parameters": [{ "name": "x", "dtype": "f32", "shape": [-4] }], "outputs": ["x"] }"#, file: "g.json"
            )
        }
        assertError(
            "g.json:4:74: error: 'direction' of node 'y' (compare): expected one of EQ NE LT LE GT GE, found 'lt' (write 'LT')"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "compare", "operands": ["x", "c"], "direction": "lt" }"#)
        }
    }

    func testBadDTypeNames() {
        assertError("g.json:1:42: error: unknown dtype 'float32'; write 'f32'") {
            _ = try graph(
                #"{ "parameters": [{ "name": "x", "dtype": "float32", "shape": [] }], "outputs": ["x"] }"#,
                file: "g.json")
        }
        assertError(
            "g.json:1:42: error: unknown dtype 'f33'; expected one of pred s8 s16 s32 s64 u8 u16 u32 u64 f16 bf16 f32 f64 f8e4m3fn f8e5m2 f8e4m3 f8e3m4 f8e4m3fnuz f8e5m2fnuz f8e4m3b11fnuz"
        ) {
            _ = try graph(
                #"{ "parameters": [{ "name": "x", "dtype": "f33", "shape": [] }], "outputs": ["x"] }"#, file: "g.json")
        }
    }

    func testBuilderErrorsCarryTheNodePosition() {
        // Undefined operand.
        assertError("g.json:4:5: error: node 'y' uses 'z', which is not defined in computation 'main'") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": ["z"] }"#)
        }
        // Cycle: located at the node the cycle returns to.
        assertError("g.json:4:5: error: cycle in computation 'main': a -> b -> a") {
            _ = try self.nodes(
                """
                    { "name": "a", "op": "exp", "operands": ["b"] },
                    { "name": "b", "op": "log", "operands": ["a"] },
                    { "name": "y", "op": "neg", "operands": ["a"] }
                """)
        }
        // Wrong arity.
        assertError("g.json:4:5: error: node 'y' (exp) takes 1 operand(s), got 2") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": ["x", "x"] }"#)
        }
        // Shape mismatch.
        assertError("g.json:5:5: error: node 'y' (add): operand shapes differ: f32[4] vs f32[3]") {
            _ = try self.nodes(
                """
                    { "name": "v", "op": "constant", "dtype": "f32", "value": [1, 2, 3] },
                    { "name": "y", "op": "add", "operands": ["x", "v"] }
                """)
        }
        // Duplicate names, including a node named like a parameter.
        assertError("g.json:5:5: error: node name 'c' is defined twice in computation 'main'") {
            _ = try self.nodes(
                #"    { "name": "y", "op": "exp", "operands": ["x"] },"# + "\n"
                    + #"    { "name": "c", "op": "exp", "operands": ["x"] }"#)
        }
        assertError("g.json:4:5: error: node name 'x' is defined twice in computation 'main'") {
            _ = try self.nodes(#"    { "name": "x", "op": "exp", "operands": ["c"] }"#, outputs: #"["c"]"#)
        }
        // Declared type checked against inference.
        assertError("g.json:4:5: error: node 'y' (exp): declared shape [2] but the operands give [4]") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": ["x"], "shape": [2] }"#)
        }
        // Undefined output and undefined reducer computation.
        assertError("g.json:6:15: error: outputs: output 'nope' names 'nope', which is not a node") {
            _ = try self.nodes(#"    { "name": "y", "op": "exp", "operands": ["x"] }"#, outputs: #"["nope"]"#)
        }
        assertError("g.json:4:5: error: node 'y' calls computation 'sum', which is not defined") {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "c"], "dimensions": [0], "reducer": "sum" }"#)
        }
    }

    func testTooLargeTensorsAreRefusedBeforeAllocating() {
        // A broadcast to 10^10 elements is refused by the size limit, not by running out of memory.
        assertError(
            "g.json:4:5: error: node 'y' would hold 10000000000 elements, over the limit of 16777216 (raise it with --max-elements)"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "broadcast", "operands": ["c"], "dimensions": [], "shape": [100000, 100000] }"#
            )
        }
        // So is a constant that would fill that many elements from one value.
        assertError(
            "g.json:4:90: error: node 'y' would hold 10000000000 elements, over the limit of 16777216 (raise it with --max-elements)"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "constant", "dtype": "f64", "shape": [100000, 100000], "value": 0 }"#)
        }
        // A tighter limit applies to parameters too.
        assertError(
            "g.json:1:18: error: node 'x' would hold 4 elements, over the limit of 3 (raise it with --max-elements)"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "exp", "operands": ["x"] }"#, limits: GraphLimits(maxElements: 3))
        }
    }

    func testConstantElementsAreChecked() throws {
        assertError("g.json:4:62: error: '300' is not a valid u8 element: it is out of range for u8 (0...255)") {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "u8", "value": 300 }"#)
        }
        assertError("g.json:4:67: error: '1.5' is not a valid s32 element: s32 elements must be integers") {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "s32", "value": [1, 1.5] }"#)
        }
        assertError(
            "g.json:4:63: error: '99999999999999999999' is not a valid s64 element: it is out of range for s64 (-9223372036854775808...9223372036854775807)"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "s64", "value": 99999999999999999999 }"#)
        }
        assertError("g.json:4:64: error: '2' is not a valid pred element: pred elements are true, false, 0 or 1") {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "pred", "value": 2 }"#)
        }
        assertError(
            "g.json:4:63: error: '1e39' is not a valid f32 element: it overflows f32, whose largest finite value is 0x1.fffffep+127 (3.4028234663852886e+38); write \"inf\" for infinity"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "f32", "value": 1e39 }"#)
        }
        assertError(
            "g.json:4:63: error: 'one' is not a valid f32 element: expected a decimal or C99 hex-float number, \"inf\", \"-inf\" or \"nan\""
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "f32", "value": "one" }"#)
        }
        assertError(
            "g.json:4:63: error: element 0 of 'value' of node 'y' (constant) must be a number or a string holding one, found a boolean"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "f32", "value": true }"#)
        }
        assertError("g.json:4:80: error: 'value' of node 'y' (constant): has 3 element(s) but shape [2, 2] needs 4") {
            _ = try self.nodes(
                #"    { "name": "y", "op": "constant", "dtype": "f32", "shape": [2, 2], "value": [1, 2, 3] }"#)
        }
        assertError(
            "g.json:4:72: error: 'value' of node 'y' (constant): nested arrays are ragged: expected 2 element(s) here, found 1"
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "constant", "dtype": "f32", "value": [[1, 2], [3]] }"#)
        }
        assertError(
            "g.json:4:80: error: 'value' of node 'y' (constant): nested arrays have shape [3, 1] but the declared shape is [1, 3]"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "constant", "dtype": "f32", "shape": [1, 3], "value": [[1], [2], [3]] }"#)
        }
    }

    func testDocumentLevelErrors() {
        assertError(
            "g.json:1:13: error: unsupported format 'fpaudit.graph/v2'; this reader understands 'fpaudit.graph/v1'"
        ) {
            _ = try graph(#"{ "format": "fpaudit.graph/v2", "outputs": [] }"#, file: "g.json")
        }
        assertError(
            #"g.json:1:72: error: parameter 'x': invalid sample distribution: normal takes 2 arguments (mean, std), got 1"#
        ) {
            _ = try graph(
                #"{ "parameters": [{ "name": "x", "dtype": "f32", "shape": [], "sample": "normal(0)" }], "outputs": ["x"] }"#,
                file: "g.json")
        }
        assertError(#"g.json:1:29: error: the graph: give either "outputs" or "root", not both"#) {
            _ = try graph(#"{ "outputs": ["a"], "root": "a" }"#, file: "g.json")
        }
        assertError(
            "g.json:1:45: error: 'name' of computations[0]: names starting with '__' are reserved (got '__add_f32')"
        ) {
            _ = try graph(
                #"{ "outputs": [], "computations": [{ "name": "__add_f32", "nodes": [], "root": "r" }] }"#,
                file: "g.json")
        }
        assertError(
            "g.json:1:28: error: 'name' of parameters[0]: parameter names cannot start with '#' ('#0' already means parameter 0)"
        ) {
            _ = try graph(
                ##"{ "parameters": [{ "name": "#1", "dtype": "f32", "shape": [] }], "outputs": ["#1"] }"##,
                file: "g.json")
        }
        assertError("g.json:1:1: error: outputs: a graph needs at least one output") {
            _ = try graph(#"{ "outputs": [] }"#, file: "g.json")
        }
    }

    func testASingleOutputMustBeAnArray() {
        assertError(
            #"g.json:6:15: error: outputs: output 'y' is the tuple (f32[4], f32[]); outputs must be arrays: list its elements (get-tuple-element nodes) as outputs, or make it the root for one output per element"#
        ) {
            _ = try self.nodes(#"    { "name": "y", "op": "tuple", "operands": ["x", "c"] }"#)
        }
    }

    func testBuiltinReducerNeedsAKnownNumericDType() throws {
        let computations = """
            , "computations": [{ "name": "pair", "parameters": [{ "name": "a", "dtype": "f32", "shape": [] }],
                "nodes": [{ "name": "t", "op": "tuple", "operands": ["a", "a"] }], "root": "t" }]
            """
        assertError(
            #"g.json:6:5: error: node 'y' (reduce): cannot tell the dtype of the initial value 'g' for the built-in reducer 'add'; declare "dtype" on the node"#
        ) {
            _ = try self.nodes(
                """
                    { "name": "p", "op": "call", "operands": ["c"], "computation": "pair" },
                    { "name": "g", "op": "get-tuple-element", "operands": ["p"], "index": 0 },
                    { "name": "y", "op": "reduce", "operands": ["x", "g"], "dimensions": [0], "reducer": "add" }
                """, outputs: #"["y"]"# + computations)
        }
        // Declaring the dtype resolves it.
        let g = try nodes(
            """
                { "name": "p", "op": "call", "operands": ["c"], "computation": "pair" },
                { "name": "g", "op": "get-tuple-element", "operands": ["p"], "index": 0 },
                { "name": "y", "op": "reduce", "operands": ["x", "g"], "dimensions": [0], "reducer": "add", "dtype": "f32" }
            """, outputs: #"["y"]"# + computations)
        XCTAssertEqual(g.node("y").operation, .reduce(dimensions: [0], reducer: "__add_f32"))

        assertError("g.json:5:5: error: node 'y' (reduce): the built-in reducer 'maximum' is not defined for pred") {
            _ = try self.nodes(
                """
                    { "name": "t", "op": "constant", "dtype": "pred", "value": true },
                    { "name": "y", "op": "reduce", "operands": ["t", "t"], "dimensions": [], "reducer": "maximum" }
                """)
        }
        assertError("g.json:4:5: error: node 'y' (reduce): the built-in reducer 'or' is not defined for f32") {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "c"], "dimensions": [0], "reducer": "or" }"#)
        }
        assertError(
            "g.json:4:5: error: node 'y' (reduce): the built-in reducer 'add' reduces one input; a reduce of 2 inputs needs a computation"
        ) {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "x", "c", "c"], "dimensions": [0], "reducer": "add" }"#
            )
        }
        // A broken operand chain leaves the report to the builder.
        assertError("g.json:4:5: error: node 'y' uses 'nope', which is not defined in computation 'main'") {
            _ = try self.nodes(
                #"    { "name": "y", "op": "reduce", "operands": ["x", "nope"], "dimensions": [0], "reducer": "add" }"#)
        }
    }

    func testErrorsFromFilesUseThePath() throws {
        try withTemporaryDirectory { dir in
            let url = try dir.write("{\n  \"outputs\": [1]\n}", to: "bad.json")
            assertError(
                "\(url.path):2:15: error: outputs[0] must be a node name or a {\"name\", \"node\"} object, found a number"
            ) {
                _ = try GraphJSON.read(contentsOf: url)
            }
            assertError("\(url.path): error: file is 20 bytes, over the limit of 5 bytes") {
                _ = try GraphJSON.read(contentsOf: url, jsonLimits: JSONLimits(maxBytes: 5))
            }
            assertError("\(dir.file("missing.json").path): error: cannot read file: no such file") {
                _ = try GraphJSON.read(contentsOf: dir.file("missing.json"))
            }
        }
    }
}
