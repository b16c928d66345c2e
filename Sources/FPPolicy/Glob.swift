/// Shell-style glob matching: `*` matches any run of characters (including
/// `/`), `?` exactly one; everything else matches itself, case-sensitively.
public enum Glob {
    /// Whether `pattern` matches the whole of `text`.
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern)
        let t = Array(text)
        var pi = 0
        var ti = 0
        var star: Int?
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi
                mark = ti
                pi += 1
            } else if let s = star {
                pi = s + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// True when `patterns` is empty or one of them matches.
    static func any(_ patterns: [String], _ text: String) -> Bool {
        patterns.isEmpty || patterns.contains { matches($0, text) }
    }
}
