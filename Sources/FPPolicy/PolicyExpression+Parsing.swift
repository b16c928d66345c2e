import FPGraph

extension PolicyExpression {
    /// Parses and type-checks an expression that must be boolean.
    ///
    /// - Parameters:
    ///   - text: the expression.
    ///   - origin: where its first character is in the policy file (errors are placed relative to it).
    ///   - keyPath: the key path reported in errors.
    /// - Throws: ``PolicyError`` (`syntax`, `type`, `unknownMetric`, `badCall`).
    public static func parse(
        _ text: String, origin: PolicyLocation = PolicyLocation(file: "<expression>", line: 1, column: 1),
        keyPath: String = "require"
    ) throws -> PolicyExpression {
        try parse(text, keyPath: keyPath) {
            PolicyLocation(file: origin.file, line: origin.line, column: origin.column + $0)
        }
    }

    /// Parses with a function placing character offsets in the file.
    static func parse(
        _ text: String, keyPath: String,
        position: @escaping (Int) -> PolicyLocation
    ) throws -> PolicyExpression {
        var parser = ExpressionParser(text: text, position: position, keyPath: keyPath)
        let (root, type) = try parser.parseAll()
        guard type == .boolean else {
            throw PolicyError.type(
                position(0), keyPath: keyPath,
                message: "require must be a boolean condition, but the expression is a number")
        }
        return PolicyExpression(source: text, root: root, type: type)
    }
}

/// A token with its character offset in the expression.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case word(String)
        case symbol(String)
        case end
    }
    let kind: Kind
    let offset: Int

    var text: String {
        switch kind {
        case .number(let x): return formatNumber(x)
        case .word(let w): return w
        case .symbol(let s): return s
        case .end: return "end of expression"
        }
    }
}

/// Recursive-descent parser and type checker.
///
/// ```
/// or      := and ("or" and)*
/// and     := not ("and" not)*
/// not     := "not" not | compare
/// compare := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
/// sum     := product (("+" | "-") product)*
/// product := unary (("*" | "/") unary)*
/// unary   := "-" unary | primary
/// primary := NUMBER | "inf" | "true" | "false" | PATH | FUNC "(" or ("," or)* ")" | "(" or ")"
/// ```
struct ExpressionParser {
    let position: (Int) -> PolicyLocation
    let keyPath: String
    private let characters: [Character]
    private var tokens: [ExpressionToken] = []
    private var index = 0
    private var nesting = 0

    init(text: String, position: @escaping (Int) -> PolicyLocation, keyPath: String) {
        self.characters = Array(text)
        self.position = position
        self.keyPath = keyPath
    }

    // MARK: Errors

    private func location(_ offset: Int) -> PolicyLocation {
        position(offset)
    }

    private func syntax(_ offset: Int, _ message: String) -> PolicyError {
        .syntax(location(offset), keyPath: keyPath, message: message)
    }

    private func typeError(_ offset: Int, _ message: String) -> PolicyError {
        .type(location(offset), keyPath: keyPath, message: message)
    }

    // MARK: Lexing

    private mutating func tokenize() throws {
        var i = 0
        func isWordStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_") }
        func isWord(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < characters.count {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if c.isASCII && c.isNumber || (c == "." && i + 1 < characters.count && characters[i + 1].isNumber) {
                while i < characters.count, characters[i].isASCII, characters[i].isNumber || characters[i] == "." {
                    i += 1
                }
                if i < characters.count, characters[i] == "e" || characters[i] == "E" {
                    var j = i + 1
                    if j < characters.count, characters[j] == "+" || characters[j] == "-" { j += 1 }
                    if j < characters.count, characters[j].isASCII, characters[j].isNumber {
                        i = j
                        while i < characters.count, characters[i].isASCII, characters[i].isNumber { i += 1 }
                    }
                }
                let text = String(characters[start..<i])
                guard let value = Double(text) else { throw syntax(start, "malformed number '\(text)'") }
                if i < characters.count, isWordStart(characters[i]) {
                    throw syntax(i, "unexpected '\(characters[i])' after number '\(text)'")
                }
                tokens.append(ExpressionToken(kind: .number(value), offset: start))
            } else if isWordStart(c) {
                while i < characters.count {
                    if isWord(characters[i]) {
                        i += 1
                        continue
                    }
                    if characters[i] == ".", i + 1 < characters.count, isWordStart(characters[i + 1]) {
                        i += 1
                        continue
                    }
                    break
                }
                tokens.append(ExpressionToken(kind: .word(String(characters[start..<i])), offset: start))
            } else {
                let two = i + 1 < characters.count ? String(characters[i...i + 1]) : ""
                if ["<=", ">=", "==", "!="].contains(two) {
                    tokens.append(ExpressionToken(kind: .symbol(two), offset: start))
                    i += 2
                } else if "+-*/(),<>".contains(c) {
                    tokens.append(ExpressionToken(kind: .symbol(String(c)), offset: start))
                    i += 1
                } else if c == "=" {
                    throw syntax(start, "unexpected '=' (use '==' to compare)")
                } else if c == "&" || c == "|" || c == "!" {
                    throw syntax(start, "unexpected '\(c)' (use 'and', 'or', 'not')")
                } else {
                    throw syntax(start, "unexpected character '\(c)'")
                }
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: characters.count))
    }

    // MARK: Parsing

    private var current: ExpressionToken { tokens[index] }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isWord(_ s: String) -> Bool { current.kind == .word(s) }

    private mutating func advance() -> ExpressionToken {
        defer { index += 1 }
        return tokens[index]
    }

    mutating func parseAll() throws -> (ExpressionNode, ExpressionType) {
        try tokenize()
        if current.kind == .end { throw syntax(0, "empty expression") }
        let result = try parseOr()
        if current.kind != .end {
            throw syntax(current.offset, "unexpected '\(current.text)' after a complete expression")
        }
        return (result.node, result.type)
    }

    private typealias Typed = (node: ExpressionNode, type: ExpressionType, offset: Int, depth: Int)

    /// The deepest expression tree accepted (parentheses, `not`, unary minus
    /// and each operator of a chain count one level): far beyond any real
    /// rule, and low enough that parsing, printing and evaluating it recurse safely.
    static let maxDepth = 256

    /// `node` one level above `operands`, refused when that is too deep.
    private func nest(
        _ node: ExpressionNode, _ type: ExpressionType, at offset: Int, over operands: [Typed]
    ) throws -> Typed {
        let depth = (operands.map(\.depth).max() ?? 0) + 1
        guard depth <= Self.maxDepth else {
            throw syntax(
                offset, "the expression nests deeper than \(Self.maxDepth) levels; split it into several rules")
        }
        return (node, type, offset, depth)
    }

    /// Parses one nested level (inside parentheses, `not`, unary minus or a
    /// call's arguments), refusing nesting deeper than ``maxDepth`` before the
    /// recursion could exhaust the stack.
    private mutating func nested<T>(at offset: Int, _ parse: (inout Self) throws -> T) throws -> T {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxDepth else {
            throw syntax(
                offset, "the expression nests deeper than \(Self.maxDepth) levels; split it into several rules")
        }
        return try parse(&self)
    }

    private func require(_ operand: Typed, _ type: ExpressionType, for op: String) throws {
        guard operand.type == type else {
            throw typeError(operand.offset, "'\(op)' needs a \(type.rawValue) operand, got a \(operand.type.rawValue)")
        }
    }

    private mutating func parseOr() throws -> Typed {
        var left = try parseAnd()
        while isWord("or") {
            _ = advance()
            let right = try parseAnd()
            try require(left, .boolean, for: "or")
            try require(right, .boolean, for: "or")
            left = try nest(.binary(.or, left.node, right.node), .boolean, at: left.offset, over: [left, right])
        }
        return left
    }

    private mutating func parseAnd() throws -> Typed {
        var left = try parseNot()
        while isWord("and") {
            _ = advance()
            let right = try parseNot()
            try require(left, .boolean, for: "and")
            try require(right, .boolean, for: "and")
            left = try nest(.binary(.and, left.node, right.node), .boolean, at: left.offset, over: [left, right])
        }
        return left
    }

    private mutating func parseNot() throws -> Typed {
        if isWord("not") {
            let token = advance()
            let operand = try nested(at: token.offset) { try $0.parseNot() }
            try require(operand, .boolean, for: "not")
            return try nest(.not(operand.node), .boolean, at: token.offset, over: [operand])
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws -> Typed {
        let left = try parseSum()
        guard case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s), op.isComparison else {
            return left
        }
        let opToken = advance()
        let right = try parseSum()
        if case .symbol(let s2) = current.kind, let op2 = BinaryOperator(rawValue: s2), op2.isComparison {
            throw syntax(current.offset, "comparisons cannot be chained; use 'and'")
        }
        if op == .equal || op == .notEqual {
            guard left.type == right.type else {
                throw typeError(opToken.offset, "'\(s)' compares a \(left.type.rawValue) with a \(right.type.rawValue)")
            }
        } else {
            try require(left, .number, for: s)
            try require(right, .number, for: s)
        }
        return try nest(.binary(op, left.node, right.node), .boolean, at: left.offset, over: [left, right])
    }

    private mutating func parseSum() throws -> Typed {
        var left = try parseProduct()
        while isSymbol("+") || isSymbol("-") {
            let token = advance()
            let right = try parseProduct()
            try require(left, .number, for: token.text)
            try require(right, .number, for: token.text)
            left = try nest(
                .binary(BinaryOperator(rawValue: token.text)!, left.node, right.node), .number, at: left.offset,
                over: [left, right])
        }
        return left
    }

    private mutating func parseProduct() throws -> Typed {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let token = advance()
            let right = try parseUnary()
            try require(left, .number, for: token.text)
            try require(right, .number, for: token.text)
            left = try nest(
                .binary(BinaryOperator(rawValue: token.text)!, left.node, right.node), .number, at: left.offset,
                over: [left, right])
        }
        return left
    }

    private mutating func parseUnary() throws -> Typed {
        if isSymbol("-") {
            let token = advance()
            let operand = try nested(at: token.offset) { try $0.parseUnary() }
            try require(operand, .number, for: "-")
            if case .number(let x) = operand.node { return (.number(-x), .number, token.offset, operand.depth) }
            return try nest(.negate(operand.node), .number, at: token.offset, over: [operand])
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> Typed {
        let token = advance()
        switch token.kind {
        case .number(let x):
            return (.number(x), .number, token.offset, 0)
        case .symbol("("):
            let inner = try nested(at: token.offset) { try $0.parseOr() }
            guard isSymbol(")") else { throw syntax(current.offset, "expected ')', got '\(current.text)'") }
            _ = advance()
            return (inner.node, inner.type, token.offset, inner.depth)
        case .symbol(let s):
            throw syntax(token.offset, "expected a number, metric or '(', got '\(s)'")
        case .end:
            throw syntax(token.offset, "unexpected end of expression")
        case .word(let w):
            switch w {
            case "inf": return (.number(.infinity), .number, token.offset, 0)
            case "true": return (.boolean(true), .boolean, token.offset, 0)
            case "false": return (.boolean(false), .boolean, token.offset, 0)
            case "and", "or", "not":
                throw syntax(token.offset, "expected an operand, got '\(w)'")
            default: break
            }
            if isSymbol("(") { return try parseCall(token, name: w) }
            if ExpressionFunction(rawValue: w) != nil {
                throw syntax(current.offset, "expected '(' after '\(w)'")
            }
            guard let metric = Metric.all[w] else {
                throw PolicyError.unknownMetric(
                    location(token.offset), keyPath: keyPath, name: w,
                    suggestion: closest(to: w, in: Metric.names))
            }
            return (.metric(w), metric.type, token.offset, 0)
        }
    }

    private mutating func parseCall(_ token: ExpressionToken, name: String) throws -> Typed {
        guard let function = ExpressionFunction(rawValue: name) else {
            throw PolicyError.badCall(
                location(token.offset), keyPath: keyPath,
                message: "unknown function '\(name)'; expected min, max or abs")
        }
        _ = advance()  // (
        var arguments: [Typed] = []
        if !isSymbol(")") {
            arguments.append(try nested(at: token.offset) { try $0.parseOr() })
            while isSymbol(",") {
                _ = advance()
                arguments.append(try nested(at: token.offset) { try $0.parseOr() })
            }
        }
        guard isSymbol(")") else { throw syntax(current.offset, "expected ',' or ')', got '\(current.text)'") }
        _ = advance()
        switch function {
        case .abs where arguments.count != 1:
            throw PolicyError.badCall(
                location(token.offset), keyPath: keyPath,
                message: "abs takes 1 argument, got \(arguments.count)")
        case .min where arguments.isEmpty, .max where arguments.isEmpty:
            throw PolicyError.badCall(
                location(token.offset), keyPath: keyPath,
                message: "\(name) takes at least 1 argument, got 0")
        default: break
        }
        for argument in arguments { try require(argument, .number, for: name) }
        return try nest(.call(function, arguments.map(\.node)), .number, at: token.offset, over: arguments)
    }
}
