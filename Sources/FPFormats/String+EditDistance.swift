extension String {
    /// Levenshtein distance (insertions, deletions, substitutions), ignoring ASCII case.
    func editDistance(to other: String) -> Int {
        let a = Array(lowercased().unicodeScalars)
        let b = Array(other.lowercased().unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = Swift.min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidates closest in spelling to `self`, best first: at most
    /// `limit` of them, each within a distance of about a third of the length
    /// (1 for names of up to 3 characters, else at least 2), plus any
    /// candidate that starts with `self` or that `self` starts with (`exp`
    /// for `exponential`).
    func closestMatches(in candidates: [String], limit: Int = 3) -> [String] {
        let threshold = count <= 3 ? 1 : Swift.max(2, count / 3)
        let lowered = lowercased()
        let scored = candidates.compactMap { candidate -> (String, Int)? in
            let d = editDistance(to: candidate)
            let c = candidate.lowercased()
            let prefixRelated = lowered.count >= 3 && c.count >= 3 && (c.hasPrefix(lowered) || lowered.hasPrefix(c))
            guard d <= threshold || prefixRelated else { return nil }
            return (candidate, prefixRelated ? Swift.min(d, threshold) : d)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }
}
