import XCTest

@testable import FPPolicy

/// Malformed policies: each is rejected at load time with this exact message
/// (file:line:column: error: key path: problem).
final class MalformedPolicyTests: XCTestCase {
    /// A valid rule list to place mistakes around.
    private let rule = """
        rules:
          - id: r
            severity: error
            require: bits_lost.max <= 2
        """

    private func check(
        _ yaml: String, _ expected: String, path: String = "policy.yaml",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(loadError(yaml, path: path, file: file, line: line), expected, file: file, line: line)
    }

    func testYAMLSyntaxError() {
        check(
            "name: [a, b\n",
            "policy.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence")
    }

    func testDuplicateKey() {
        check("name: a\nname: b\n", "policy.yaml:1:1: error: duplicate key 'name'")
    }

    func testTopLevelNotAMapping() {
        check("- a\n- b\n", "policy.yaml:1:1: error: expected a mapping, got a sequence")
    }

    func testEmptyDocument() {
        check("# nothing\n", "policy.yaml:1:1: error: expected a mapping, got an empty document")
    }

    func testUnknownTopLevelKey() {
        check("name: a\nrulez: []\n", "policy.yaml:2:1: error: rulez: unknown key 'rulez' (did you mean 'rules'?)")
    }

    func testMissingName() {
        check("version: '1'\n", "policy.yaml:1:1: error: missing required key 'name'")
    }

    func testNameNotAString() {
        check("name: [a]\n", "policy.yaml:1:7: error: name: expected a string, got a sequence")
    }

    func testUnknownSettingsKey() {
        check(
            "name: a\nsettings:\n  sampels: 10\n",
            "policy.yaml:3:3: error: settings.sampels: unknown key 'sampels' (did you mean 'samples'?)")
    }

    func testSamplesNotAnInteger() {
        check(
            "name: a\nsettings:\n  samples: many\n",
            "policy.yaml:3:12: error: settings.samples: expected an integer, got the string 'many'")
    }

    func testSamplesZero() {
        check(
            "name: a\nsettings:\n  samples: 0\n",
            "policy.yaml:3:12: error: settings.samples: must be between 1 and 9223372036854775807, got 0")
    }

    func testBadExecMode() {
        check(
            "name: a\nsettings:\n  exec: fast\n",
            "policy.yaml:3:9: error: settings.exec: expected one of declared, double, got 'fast'")
    }

    func testBadPrecision() {
        check(
            "name: a\nsettings:\n  precision: high\n",
            "policy.yaml:3:14: error: settings.precision: expected 'auto' or a number of bits, got the string 'high'")
    }

    func testPrecisionOutOfRange() {
        check(
            "name: a\nsettings:\n  precision_cap: 32\n",
            "policy.yaml:3:18: error: settings.precision_cap: must be between 64 and 1048576, got 32")
    }

    func testBadDistribution() {
        check(
            "name: a\ninputs:\n  \"x*\": normal(0, -1)\n",
            "policy.yaml:3:9: error: inputs.x*: std must be > 0 and finite, got -1")
    }

    func testUnknownDistribution() {
        check(
            "name: a\ninputs:\n  w: gauss(0, 1)\n",
            "policy.yaml:3:6: error: inputs.w: unknown distribution 'gauss'; expected one of normal, uniform, loguniform, sloguniform, ieee, const"
        )
    }

    func testRulesNotASequence() {
        check("name: a\nrules:\n  id: r\n", "policy.yaml:3:3: error: rules: expected a sequence, got a mapping")
    }

    func testUnknownRuleKey() {
        check(
            "name: a\n" + rule + "\n    requires: true\n",
            "policy.yaml:6:5: error: rules[0].requires: unknown key 'requires' (did you mean 'require'?)")
    }

    func testMissingRequire() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n",
            "policy.yaml:3:5: error: rules[0]: missing required key 'require'")
    }

    func testBadSeverity() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: fatal\n    require: true\n",
            "policy.yaml:4:15: error: rules[0].severity: expected one of error, warning, info, got 'fatal'")
    }

    func testDuplicateRuleID() {
        check(
            "name: a\n" + rule + "\n  - id: r\n    severity: info\n    require: true\n",
            "policy.yaml:6:9: error: rules[1].id: duplicate rule id 'r'")
    }

    func testUnknownMetricWithSuggestion() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: rewriten.bits.p99 <= 2\n",
            "policy.yaml:5:14: error: rules[0].require: unknown metric 'rewriten.bits.p99' (did you mean 'rewritten.bits.p99'?)"
        )
    }

    func testUnknownMetricPositionInsideQuotedScalar() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: \"bits_lost.max <= 2 and bits.lost > 1\"\n",
            "policy.yaml:5:38: error: rules[0].require: unknown metric 'bits.lost'")
    }

    func testUnknownFunction() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: sqrt(bits_lost.max) < 2\n",
            "policy.yaml:5:14: error: rules[0].require: unknown function 'sqrt'; expected min, max or abs")
    }

    func testAbsArity() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: abs(1, 2) < 2\n",
            "policy.yaml:5:14: error: rules[0].require: abs takes 1 argument, got 2")
    }

    func testRequireIsNumeric() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: bits_lost.max + 1\n",
            "policy.yaml:5:14: error: rules[0].require: require must be a boolean condition, but the expression is a number"
        )
    }

    func testAndOnNumbers() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: bits_lost.max and true\n",
            "policy.yaml:5:14: error: rules[0].require: 'and' needs a boolean operand, got a number")
    }

    func testArithmeticOnBoolean() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: semantic.equivalent + 1 > 0\n",
            "policy.yaml:5:14: error: rules[0].require: '+' needs a number operand, got a boolean")
    }

    func testComparingBooleanWithNumber() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: semantic.equivalent == 0\n",
            "policy.yaml:5:34: error: rules[0].require: '==' compares a boolean with a number")
    }

    func testChainedComparison() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: 0 < bits_lost.max < 2\n",
            "policy.yaml:5:32: error: rules[0].require: comparisons cannot be chained; use 'and'")
    }

    func testUnbalancedParenthesis() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: (bits_lost.max <= 2\n",
            "policy.yaml:5:33: error: rules[0].require: expected ')', got 'end of expression'")
    }

    func testSingleEquals() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: new_nonfinite = 0\n",
            "policy.yaml:5:28: error: rules[0].require: unexpected '=' (use '==' to compare)")
    }

    func testDanglingOperator() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: bits_lost.max <=\n",
            "policy.yaml:5:30: error: rules[0].require: unexpected end of expression")
    }

    func testTrailingTokens() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: true false\n",
            "policy.yaml:5:19: error: rules[0].require: unexpected 'false' after a complete expression")
    }

    func testErrorInBlockScalarExpression() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    require: |\n      bits_lost.max <= 2 and\n      worse_shares < 0.1\n",
            "policy.yaml:7:7: error: rules[0].require: unknown metric 'worse_shares' (did you mean 'worse_share'?)")
    }

    func testUnknownScopeKey() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    scope:\n      output: y\n    require: true\n",
            "policy.yaml:6:7: error: rules[0].scope.output: unknown key 'output' (did you mean 'outputs'?)")
    }

    func testUnknownDType() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    scope:\n      dtypes: [f32, f33]\n    require: true\n",
            "policy.yaml:6:15: error: rules[0].scope.dtypes: unknown dtype 'f33'; expected one of pred, s8, s16, s32, "
                + "s64, u8, u16, u32, u64, f16, bf16, f32, f64, f8e4m3fn, f8e5m2, f8e4m3, f8e3m4, f8e4m3fnuz, "
                + "f8e5m2fnuz, f8e4m3b11fnuz"
        )
    }

    func testScopeOutputsWrongType() {
        check(
            "name: a\nrules:\n  - id: r\n    severity: error\n    scope:\n      outputs: {a: 1}\n    require: true\n",
            "policy.yaml:6:16: error: rules[0].scope.outputs: expected a string or a sequence of strings, got a mapping"
        )
    }

    func testWaiverUnknownRule() {
        check(
            "name: a\n" + rule
                + "\nwaivers:\n  - rule: rr\n    reason: x\n    approved_by: me\n    expires: 2030-01-01\n",
            "policy.yaml:7:11: error: waivers[0].rule: waiver names unknown rule 'rr' (did you mean 'r'?)")
    }

    func testWaiverBadDate() {
        check(
            "name: a\n" + rule
                + "\nwaivers:\n  - rule: r\n    reason: x\n    approved_by: me\n    expires: 2030-02-30\n",
            "policy.yaml:10:14: error: waivers[0].expires: expected a date YYYY-MM-DD, got '2030-02-30'")
    }

    func testWaiverMissingApprover() {
        check(
            "name: a\n" + rule + "\nwaivers:\n  - rule: r\n    reason: x\n    expires: 2030-01-01\n",
            "policy.yaml:7:5: error: waivers[0]: missing required key 'approved_by'")
    }

    func testWaiverUnknownMatchKey() {
        check(
            "name: a\n" + rule
                + "\nwaivers:\n  - rule: r\n    match:\n      hash: abc\n    reason: x\n    approved_by: me\n    expires: 2030-01-01\n",
            "policy.yaml:9:7: error: waivers[0].match.hash: unknown key 'hash' (did you mean 'pass'?)")
    }

    func testExtendsMissingFile() {
        check(
            "extends: nowhere.yaml\nname: a\n",
            "/p/policy.yaml:1:10: error: extends: cannot read 'nowhere.yaml' (resolved to '/p/nowhere.yaml')",
            path: "/p/policy.yaml")
    }
}
