import XCTest

@testable import FPNumerics

final class DistributionTests: XCTestCase {
    func testParsesEverySpelling() throws {
        let cases: [(String, Distribution)] = [
            ("normal(0,1)", .normal(mean: 0, std: 1)),
            ("normal(mean=0, std=1)", .normal(mean: 0, std: 1)),
            ("normal(std=2, mean=-1)", .normal(mean: -1, std: 2)),
            ("normal(1, std=0.5)", .normal(mean: 1, std: 0.5)),
            ("  Normal ( 3 , 0x1p-2 )  ", .normal(mean: 3, std: 0.25)),
            ("uniform(-1,1)", .uniform(lo: -1, hi: 1)),
            ("uniform(lo=-0x1p-3, hi=1e3)", .uniform(lo: -0.125, hi: 1000)),
            ("loguniform(1e-8,1e8)", .logUniform(lo: 1e-8, hi: 1e8, symmetric: false)),
            ("loguniform(1e-8, 1e8, symmetric)", .logUniform(lo: 1e-8, hi: 1e8, symmetric: true)),
            ("LogUniform(symmetric, 1e-3, 10)", .logUniform(lo: 1e-3, hi: 10, symmetric: true)),
            ("sloguniform(1e-8,1e8)", .logUniform(lo: 1e-8, hi: 1e8, symmetric: true)),
            ("ieee", .ieee), ("IEEE", .ieee), ("ieee()", .ieee), (" ieee ( ) ", .ieee),
            ("const(2.5)", .constant(2.5)), ("constant(0x1.8p+1)", .constant(3)),
            ("const(value=-inf)", .constant(-.infinity)),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try Distribution.parse(text), expected, text)
        }
        guard case .constant(let nan) = try Distribution.parse("const(nan)") else {
            return XCTFail("const(nan) is not a constant")
        }
        XCTAssertTrue(nan.isNaN)
    }

    func testCanonicalDescriptions() {
        XCTAssertEqual(Distribution.normal(mean: 0, std: 1).description, "normal(0, 1)")
        XCTAssertEqual(Distribution.uniform(lo: -1, hi: 1).description, "uniform(-1, 1)")
        XCTAssertEqual(
            Distribution.logUniform(lo: 1e-8, hi: 1e8, symmetric: false).description,
            "loguniform(1e-08, 100000000)")
        XCTAssertEqual(
            Distribution.logUniform(lo: 1e-8, hi: 1e8, symmetric: true).description,
            "loguniform(1e-08, 100000000, symmetric)")
        XCTAssertEqual(Distribution.ieee.description, "ieee")
        XCTAssertEqual(Distribution.constant(2.5).description, "const(2.5)")
        XCTAssertEqual(Distribution.constant(-.infinity).description, "const(-inf)")
    }

    func testDescriptionParsesBack() throws {
        let distributions: [Distribution] = [
            .normal(mean: 0.1, std: 1e-300), .normal(mean: -123456.789, std: 0x1p-1074),
            .uniform(lo: -0.0, hi: .leastNonzeroMagnitude), .uniform(lo: -Double.greatestFiniteMagnitude, hi: 1),
            .logUniform(lo: 0.3, hi: 0.30000000000000004, symmetric: false),
            .logUniform(lo: 1e-300, hi: 1e300, symmetric: true),
            .ieee, .constant(1.0 / 3.0), .constant(-0.0), .constant(.infinity),
        ]
        for d in distributions {
            let back = try Distribution.parse(d.description)
            XCTAssertEqual(back, d, d.description)
            if case .uniform(let lo, _) = back, case .uniform(let originalLo, _) = d {
                XCTAssertEqual(lo.sign, originalLo.sign, "sign of zero kept")
            }
        }
    }

    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> DistributionError? {
        do {
            let d = try Distribution.parse(text)
            XCTFail("'\(text)' parsed as \(d)", file: file, line: line)
        } catch let error as DistributionError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
        return nil
    }

    func testErrorCasesAndMessages() {
        XCTAssertEqual(parseError(""), .empty)
        XCTAssertEqual(parseError("   "), .empty)

        let unknown = parseError("foo(1)")
        XCTAssertEqual(unknown, .unknownDistribution("foo"))
        XCTAssertEqual(
            unknown?.description,
            "unknown distribution 'foo'; expected one of normal, uniform, loguniform, sloguniform, ieee, const")

        XCTAssertEqual(parseError("uniform(1, -1)")?.description, "uniform needs lo < hi, got lo=1, hi=-1")
        XCTAssertEqual(parseError("uniform(1, 1)")?.description, "uniform needs lo < hi, got lo=1, hi=1")
        XCTAssertEqual(parseError("normal(0, 0)")?.description, "std must be > 0 and finite, got 0")
        XCTAssertEqual(parseError("normal(0, -1)")?.description, "std must be > 0 and finite, got -1")
        XCTAssertTrue(parseError("normal(nan, 1)")?.description.contains("mean must be finite") == true)
        XCTAssertTrue(parseError("uniform(-inf, 1)")?.description.contains("must be finite") == true)
        XCTAssertTrue(parseError("loguniform(0, 1)")?.description.contains("0 < lo < hi") == true)
        XCTAssertTrue(parseError("loguniform(2, 1)")?.description.contains("0 < lo < hi") == true)
        XCTAssertTrue(parseError("loguniform(-1, 1, symmetric)")?.description.contains("0 < lo < hi") == true)

        XCTAssertEqual(
            parseError("normal(0)"),
            .wrongArgumentCount(distribution: "normal", expected: ["mean", "std"], got: 1))
        XCTAssertEqual(parseError("normal(0, 1, 2)")?.description, "normal takes 2 arguments (mean, std), got 3")
        XCTAssertEqual(parseError("ieee(1)")?.description, "ieee takes 0 arguments (), got 1")
        XCTAssertEqual(
            parseError("const()"),
            .wrongArgumentCount(distribution: "const", expected: ["value"], got: 0))
        XCTAssertEqual(
            parseError("normal(0, abc)"),
            .invalidNumber(distribution: "normal", parameter: "std", text: "abc"))
        XCTAssertEqual(
            parseError("normal(mu=0, std=1)"),
            .unknownParameter(distribution: "normal", name: "mu", expected: ["mean", "std"]))
        XCTAssertEqual(
            parseError("normal(mu=0, std=1)")?.description,
            "normal has no parameter 'mu'; expected one of mean, std")
        XCTAssertEqual(
            parseError("normal(mean=0, mean=1)"),
            .duplicateParameter(distribution: "normal", name: "mean"))
        XCTAssertEqual(
            parseError("uniform(0, symmetric)"),
            .invalidNumber(distribution: "uniform", parameter: "hi", text: "symmetric"))

        for malformed in [
            "normal 0, 1", "normal(0, 1", "normal0,1)", "normal", "normal(0,,1)", "normal(0,1))x",
            "uniform[0, 1]",
        ] {
            guard case .malformed(_, let expected)? = parseError(malformed) else {
                XCTFail("'\(malformed)' should be malformed")
                continue
            }
            XCTAssertFalse(expected.isEmpty)
        }
        XCTAssertEqual(
            parseError("normal(0, 1")?.description,
            "malformed distribution 'normal(0, 1': expected 'normal(mean, std)'")
        XCTAssertEqual(parseError("(0, 1)"), .unknownDistribution("(0, 1)"))
    }

    func testLocalizedDescriptionIsTheMessage() {
        let error: Error = DistributionError.unknownDistribution("gauss")
        XCTAssertEqual(
            error.localizedDescription,
            "unknown distribution 'gauss'; expected one of normal, uniform, loguniform, sloguniform, ieee, const")
    }

    func testValidateOnProgrammaticValues() {
        XCTAssertNoThrow(try Distribution.normal(mean: 0, std: 1).validate())
        XCTAssertThrowsError(try Distribution.uniform(lo: 2, hi: 1).validate())
        XCTAssertThrowsError(try Distribution.normal(mean: 0, std: .infinity).validate())
        XCTAssertNoThrow(try Distribution.constant(.nan).validate())
        XCTAssertNoThrow(try Distribution.ieee.validate())
    }
}
