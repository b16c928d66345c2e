import XCTest
import Yams

@testable import FPPolicy

/// Plain scalars read under the YAML 1.2 core schema, through Yams's basic resolver.
final class YAMLScalarKindTests: XCTestCase {
    private func kind(_ yaml: String) throws -> YAMLScalarKind {
        guard case .mapping(let m) = try XCTUnwrap(Yams.compose(yaml: "k: \(yaml)", .basic)),
            case .scalar(let s) = try XCTUnwrap(m["k"])
        else { throw XCTSkip("not a scalar") }
        return YAMLScalarKind(s)
    }

    func testPlainScalarsFollowTheCoreSchema() throws {
        let expected: [(String, YAMLScalarKind)] = [
            ("", .null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
            ("true", .bool), ("False", .bool), ("TRUE", .bool),
            ("0", .int), ("-12", .int), ("+7", .int), ("0x1F", .int), ("0o17", .int),
            ("1.5", .float), ("-.5", .float), ("2.", .float), ("1e-3", .float), ("6.02E+23", .float),
            (".inf", .float), ("-.Inf", .float), (".NaN", .float),
            ("yes", .string), ("off", .string), ("nul", .string), ("0x", .string), ("0o8", .string),
            ("1e", .string), (".", .string), ("1.2.3", .string), ("12abc", .string), ("x*", .string),
            ("uniform(50, 92)", .string), ("1_000", .string),
        ]
        for (text, want) in expected {
            XCTAssertEqual(try kind(text), want, "'\(text)'")
        }
    }

    func testQuotedScalarsAreStringsAndExplicitTagsWin() throws {
        XCTAssertEqual(try kind("\"12\""), .string)
        XCTAssertEqual(try kind("'null'"), .string)
        XCTAssertEqual(try kind("!!int \"12\""), .int)
        XCTAssertEqual(try kind("!!float \"1\""), .float)
        XCTAssertEqual(try kind("!!null \"\""), .null)
    }

    /// Hexadecimal and octal integers have their values; what does not fit an `Int` is refused.
    func testIntegersInEveryBaseReadAsTheirValues() throws {
        XCTAssertEqual(YAMLScalarKind.integerValue("42"), 42)
        XCTAssertEqual(YAMLScalarKind.integerValue("-7"), -7)
        XCTAssertEqual(YAMLScalarKind.integerValue("+7"), 7)
        XCTAssertEqual(YAMLScalarKind.integerValue("0x2a"), 42)
        XCTAssertEqual(YAMLScalarKind.integerValue("0o52"), 42)
        XCTAssertNil(YAMLScalarKind.integerValue("0x"))
        XCTAssertNil(YAMLScalarKind.integerValue("1.0"))
        XCTAssertNil(YAMLScalarKind.integerValue("99999999999999999999"))
        let policy = try PolicyLoader.load(yaml: "name: p\nsettings:\n  seed: 0x2a\n  samples: 0o20\n", path: "p.yaml")
        XCTAssertEqual(policy.settings.seed, 42)
        XCTAssertEqual(policy.settings.samples, 16)
        XCTAssertThrowsError(
            try PolicyLoader.load(yaml: "name: p\nsettings:\n  seed: 99999999999999999999\n", path: "p.yaml")
        ) { error in
            XCTAssertTrue("\(error)".contains("p.yaml:3:9"), "\(error)")
            XCTAssertTrue("\(error)".contains("must be between 0 and"), "\(error)")
        }
    }

    /// The reader's messages use the kinds: a quoted number is not an integer setting.
    func testAQuotedNumberIsNotAnIntegerSetting() throws {
        let yaml = "name: p\nsettings:\n  samples: \"12\"\n"
        XCTAssertThrowsError(try PolicyLoader.load(yaml: yaml, path: "p.yaml")) { error in
            XCTAssertTrue("\(error)".contains("the string '12'"), "\(error)")
        }
        let plain = try PolicyLoader.load(yaml: "name: p\nsettings:\n  samples: 12\n", path: "p.yaml")
        XCTAssertEqual(plain.settings.samples, 12)
    }
}
