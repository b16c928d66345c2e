import FPFormats
import FPGraph
import Foundation
import XCTest
import _TestSupport

/// `docs/schemas/*.schema.json` agree with the readers, and the examples in
/// `docs/examples/` are valid under both.
final class SchemaTests: XCTestCase {
    private let graphSchemaURL = fixtureURL("docs/schemas/graph.schema.json")
    private let valuesSchemaURL = fixtureURL("docs/schemas/values.schema.json")

    private var examples: [URL] {
        get throws {
            let directory = fixtureURL("docs/examples")
            return try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
        }
    }

    private func isValuesExample(_ url: URL) -> Bool { url.lastPathComponent.hasSuffix(".values.json") }

    func testSchemasAreStrictJSONAndListWhatTheReaderAccepts() throws {
        for url in [graphSchemaURL, valuesSchemaURL] {
            let schema = try JSONValue.parse(try Data(contentsOf: url), file: url.path)
            XCTAssertEqual(schema["$schema"]?.stringValue, "https://json-schema.org/draft/2020-12/schema")
            XCTAssertEqual(
                schema["$defs"]?["dtype"]?["enum"]?.arrayElements?.compactMap(\.stringValue),
                DType.allCases.map(\.rawValue))
        }
        let graph = try JSONValue.parse(try Data(contentsOf: graphSchemaURL), file: graphSchemaURL.path)
        XCTAssertEqual(
            graph["$defs"]?["node"]?["properties"]?["op"]?["enum"]?.arrayElements?.compactMap(\.stringValue),
            GraphJSON.opNames, "the schema's op list is the reader's")
        XCTAssertEqual(
            graph["properties"]?.objectMembers?.map(\.key),
            ["format", "name", "metadata", "parameters", "nodes", "outputs", "root", "computations"])
    }

    func testExamplesAreReadable() throws {
        let all = try examples
        XCTAssertGreaterThanOrEqual(all.filter { !isValuesExample($0) }.count, 3)
        XCTAssertGreaterThanOrEqual(all.filter(isValuesExample).count, 1)
        for url in all where !isValuesExample(url) {
            XCTAssertNoThrow(try GraphJSON.read(contentsOf: url), url.lastPathComponent)
        }
        let softmax = try GraphJSON.read(contentsOf: fixtureURL("docs/examples/softmax-stable.json")).graph
        let values = try ValuesJSON.readEntries(contentsOf: fixtureURL("docs/examples/softmax-stable.values.json"))
        XCTAssertEqual(try ValuesJSON.bind(values, to: softmax.parameters).map(\.shape), [[8]])
    }

    /// Validates with Python's `jsonschema` when it is installed (no network needed).
    func testExamplesValidateAgainstTheSchemas() throws {
        guard pythonHasJSONSchema() else { throw XCTSkip("python3 with the jsonschema package is not available") }
        try withTemporaryDirectory { dir in
            // Documents the schema must reject, so that a vacuous schema fails this test.
            let invalid = [
                #"{ "outputs": ["y"], "nodes": [{ "name": "y", "op": "expp" }] }"#,
                #"{ "outputs": ["y"], "nodes": [{ "name": "y", "op": "reduce", "operands": ["x"], "dimension": [0], "reducer": "add" }] }"#,
                #"{ "outputs": ["y"], "nodes": [{ "name": "y", "op": "constant", "dtype": "f32", "value": "zero" }] }"#,
                #"{ "parameters": [{ "name": "x", "dtype": "float32", "shape": [] }], "outputs": ["x"] }"#,
                #"{ "outputs": ["x"], "root": "x" }"#,
                #"{ "format": "fpaudit.graph/v2", "outputs": ["x"] }"#,
            ]
            var lines: [String] = []
            for url in try examples {
                let schema = isValuesExample(url) ? valuesSchemaURL : graphSchemaURL
                lines.append("valid\t\(schema.path)\t\(url.path)")
            }
            for (i, text) in invalid.enumerated() {
                let url = try dir.write(text, to: "invalid-\(i).json")
                lines.append("invalid\t\(graphSchemaURL.path)\t\(url.path)")
            }
            lines.append(
                "invalid\t\(valuesSchemaURL.path)\t\(try dir.write(#"{ "x": { "dtype": "f32", "data": [1] } }"#, to: "v.json").path)"
            )
            let list = try dir.write(lines.joined(separator: "\n"), to: "cases.tsv")
            let output = try runPython(Self.validatorScript, arguments: [list.path])
            XCTAssertEqual(output.status, 0, output.text)
            XCTAssertTrue(output.text.contains("checked \(lines.count)"), output.text)
        }
    }

    private static let validatorScript = """
        import json, sys
        import jsonschema
        failures = []
        cases = [line.split("\\t") for line in open(sys.argv[1]).read().splitlines() if line]
        for expectation, schema_path, document_path in cases:
            schema = json.load(open(schema_path))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(document_path)))]
            if (expectation == "valid") != (not errors):
                failures.append(f"{document_path}: expected {expectation}, errors: {errors}")
        print("\\n".join(failures))
        print(f"checked {len(cases)}")
        sys.exit(1 if failures else 0)
        """

    private func pythonHasJSONSchema() -> Bool {
        (try? runPython("import jsonschema", arguments: []).status) == 0
    }

    private func runPython(_ script: String, arguments: [String]) throws -> (status: Int32, text: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
