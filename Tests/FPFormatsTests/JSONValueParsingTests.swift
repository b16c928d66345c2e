import FPFormats
import FPGraph
import XCTest
import _TestSupport

/// The strict JSON reader: values, positions, and one test per kind of error.
final class JSONValueParsingTests: XCTestCase {
    private func parse(_ text: String, limits: JSONLimits = .default) throws -> JSONValue {
        try JSONValue.parse(text, file: "t.json", limits: limits)
    }

    func testValuesKeepOrderPositionsAndNumberText() throws {
        let value = try parse(
            """
            {
              "z": [1e400, -0, 12345678901234567890123, 0.5E-3],
              "a": { "t": true, "f": false, "n": null },
              "s": "q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"
            }
            """)
        let members = try XCTUnwrap(value.objectMembers)
        XCTAssertEqual(members.map(\.key), ["z", "a", "s"])
        XCTAssertEqual(members[0].keyLocation, SourceLocation(file: "t.json", line: 2, column: 3))
        let numbers = try XCTUnwrap(value["z"]?.arrayElements)
        XCTAssertEqual(numbers.map(\.numberText), ["1e400", "-0", "12345678901234567890123", "0.5E-3"])
        XCTAssertEqual(numbers.map(\.location.column), [9, 16, 20, 45])
        XCTAssertEqual(value["a"]?["t"]?.kind, .bool(true))
        XCTAssertEqual(value["a"]?["f"]?.kind, .bool(false))
        XCTAssertEqual(value["a"]?["n"]?.kind, .null)
        XCTAssertEqual(value["a"]?.location, SourceLocation(file: "t.json", line: 3, column: 8))
        XCTAssertEqual(value["s"]?.stringValue, "q\"\\/\u{08}\u{0C}\n\r\té😀")
    }

    func testColumnsCountUnicodeScalarsAndLineEndings() throws {
        // "é" is two bytes but one column; CRLF and lone CR end lines.
        assertError("t.json:1:10: error: expected a JSON value after ',', found ']' (trailing commas are not allowed)")
        {
            _ = try self.parse(#"{"é": [1,]}"#)
        }
        let crlf = try parse("{\r\n\"a\":\r1}")
        XCTAssertEqual(crlf["a"]?.location, SourceLocation(file: "t.json", line: 3, column: 1))
        // A byte order mark is skipped.
        XCTAssertEqual(
            try JSONValue.parse(Data([0xEF, 0xBB, 0xBF]) + Data("[1]".utf8), file: "t.json").location.column, 1)
    }

    func testStructuralErrors() {
        assertError("t.json:1:8: error: expected ',' or '}' after object member, found ']'") {
            _ = try self.parse(#"{"a": 1]"#)
        }
        assertError("t.json:3:14: error: expected ',' or '}' after object member, found ']'") {
            _ = try self.parse("{\n  \"a\": 1,\n  \"b\": [1, 2]]\n}")
        }
        assertError("t.json:1:6: error: expected ',' or ']' after array element, found '}'") {
            _ = try self.parse("[1, 2}")
        }
        assertError("t.json:1:6: error: expected ':' after object key 'a', found '1'") {
            _ = try self.parse(#"{"a" 1}"#)
        }
        assertError("t.json:1:8: error: expected a string key after ',', found '}' (trailing commas are not allowed)") {
            _ = try self.parse(#"{"a":1,}"#)
        }
        assertError("t.json:1:2: error: expected a string key or '}', found 'a'") {
            _ = try self.parse("{a: 1}")
        }
        assertError("t.json:1:9: error: expected ',' or '}' after object member, found '\"'") {
            _ = try self.parse(#"{"a": 1 "b": 2}"#)
        }
        assertError("t.json:1:3: error: expected a JSON value, found end of file") {
            _ = try self.parse("[ ")
        }
        assertError("t.json:1:6: error: expected a JSON value after ':', found end of file") {
            _ = try self.parse(#"{"a":"#)
        }
    }

    func testLiteralAndNumberErrors() {
        assertError("t.json:1:2: error: expected a JSON value, found 'tru'") { _ = try self.parse("[tru]") }
        assertError(
            #"t.json:1:2: error: expected a JSON value, found 'NaN' (JSON has no NaN or infinity; write them as strings: "nan", "inf", "-inf")"#
        ) {
            _ = try self.parse("[NaN]")
        }
        assertError(
            #"t.json:1:3: error: expected a digit after '-', found 'Infinity' (JSON has no NaN or infinity; write them as strings: "nan", "inf", "-inf")"#
        ) {
            _ = try self.parse("[-Infinity]")
        }
        assertError("t.json:1:2: error: leading zeros are not allowed in numbers") { _ = try self.parse("[01]") }
        assertError("t.json:1:4: error: expected a digit after '.', found ']'") { _ = try self.parse("[1.]") }
        assertError("t.json:1:4: error: expected a digit in the exponent, found ']'") { _ = try self.parse("[1e]") }
        assertError("t.json:1:2: error: expected a JSON value, found '+'") { _ = try self.parse("[+1]") }
        assertError("t.json:1:2: error: expected a JSON value, found '.'") { _ = try self.parse("[.5]") }
    }

    func testStringErrors() {
        assertError(#"t.json:1:7: error: unterminated string (a string must end with '"' on the same line)"#) {
            _ = try self.parse(#"{"a": "abc"#)
        }
        assertError(#"t.json:2:8: error: unterminated string (a string must end with '"' on the same line)"#) {
            _ = try self.parse("{\n  \"a\": \"abc\n}")
        }
        assertError(
            #"t.json:1:4: error: invalid escape '\x' in string: JSON allows \" \\ \/ \b \f \n \r \t and \uXXXX"#
        ) {
            _ = try self.parse(#"["a\x"]"#)
        }
        assertError(#"t.json:1:3: error: invalid escape '\u12G4' in string: expected 4 hexadecimal digits after \u"#) {
            _ = try self.parse(#"["\u12G4"]"#)
        }
        assertError(
            #"t.json:1:3: error: invalid escape '\uD800' in string: unpaired high surrogate; a \uDC00-\uDFFF escape must follow"#
        ) {
            _ = try self.parse(#"["\uD800x"]"#)
        }
        assertError(#"t.json:1:3: error: invalid escape '\uDC00' in string: unpaired low surrogate"#) {
            _ = try self.parse(#"["\uDC00"]"#)
        }
        assertError("t.json:1:4: error: control character U+0009 must be escaped in a string") {
            _ = try self.parse("[\"a\tb\"]")
        }
        assertError("t.json:1:3: error: invalid UTF-8 byte sequence; the file must be UTF-8") {
            _ = try JSONValue.parse(Data([0x5B, 0x22, 0xFF, 0x22, 0x5D]), file: "t.json")
        }
        // An overlong encoding of '/' is not UTF-8 either.
        XCTAssertNotNil(
            thrownError { _ = try JSONValue.parse(Data([0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D]), file: "t.json") })
    }

    func testDocumentErrors() {
        assertError("t.json:1:10: error: duplicate key 'a' (first given at 1:2)") {
            _ = try self.parse(#"{"a": 1, "a": 2}"#)
        }
        assertError("t.json:1:4: error: unexpected 'x' after the JSON value; a file holds exactly one value") {
            _ = try self.parse("{} x")
        }
        assertError("t.json:2:1: error: unexpected '{' after the JSON value; a file holds exactly one value") {
            _ = try self.parse("{}\n{}")
        }
        assertError("t.json:1:1: error: the file is empty; expected a JSON value") { _ = try self.parse("") }
        assertError("t.json:2:2: error: the file is empty; expected a JSON value") { _ = try self.parse(" \n ") }
        assertError("t.json: error: file is 11 bytes, over the limit of 10 bytes") {
            _ = try self.parse("[1,2,3,4,5]", limits: JSONLimits(maxBytes: 10))
        }
    }

    func testNestingLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        XCTAssertNoThrow(try parse(ok))
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        assertError("t.json:1:513: error: arrays and objects are nested deeper than 512 levels") {
            _ = try self.parse(deep)
        }
        let objects = String(repeating: #"{"a":"#, count: 3) + "1" + String(repeating: "}", count: 3)
        assertError("t.json:1:11: error: arrays and objects are nested deeper than 2 levels") {
            _ = try self.parse(objects, limits: JSONLimits(maxDepth: 2))
        }
    }
}
