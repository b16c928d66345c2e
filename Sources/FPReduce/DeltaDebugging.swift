/// Zeller and Hildebrandt's delta debugging (`ddmin`, "Simplifying and
/// Isolating Failure-Inducing Input", TSE 2002) over a list of items.
///
/// ```swift
/// let kept = try await DeltaDebugging.minimize(Array(0..<100)) { subset in
///     subset.contains(17) && subset.contains(42)
/// }
/// // kept == [17, 42]
/// ```
///
/// The result is *1-minimal*: it fails, and removing any one of its items
/// makes it pass. Unlike the classic algorithm, which assumes the empty
/// configuration passes, the empty list is tested first and returned when it
/// fails (for the reducer, "keep nothing" is a legitimate answer). The search
/// is deterministic: the same test answers give the same tests in the same
/// order and the same result. Items keep their order; no configuration is
/// tested twice.
public enum DeltaDebugging {
    /// The subset of `items` that ddmin keeps, with the number of tests run.
    ///
    /// - Parameters:
    ///   - items: the configuration known to fail (it is not tested again).
    ///   - fails: whether a configuration (a sub-list of `items`, in order)
    ///     still shows the failure.
    /// - Returns: a 1-minimal failing sub-list of `items` and the tests run.
    /// - Throws: what `fails` throws; the search stops there.
    public static func minimize<Item>(
        _ items: [Item], fails: ([Item]) async throws -> Bool
    ) async throws -> (kept: [Item], tests: Int) {
        var tested: [[Int]: Bool] = [Array(items.indices): true]
        var tests = 0
        func check(_ configuration: [Int]) async throws -> Bool {
            if let known = tested[configuration] { return known }
            tests += 1
            let outcome = try await fails(configuration.map { items[$0] })
            tested[configuration] = outcome
            return outcome
        }
        if items.isEmpty { return ([], 0) }
        if try await check([]) { return ([], tests) }
        var current = Array(items.indices)
        var granularity = 2
        while current.count >= 2 {
            let chunks = split(current, into: granularity)
            var reduced = false
            // Reduce to a subset.
            for chunk in chunks {
                guard try await check(chunk) else { continue }
                current = chunk
                granularity = 2
                reduced = true
                break
            }
            // Reduce to a complement.
            if !reduced {
                for k in chunks.indices {
                    let complement = chunks.enumerated().filter { $0.offset != k }.flatMap(\.element)
                    guard try await check(complement) else { continue }
                    current = complement
                    granularity = max(granularity - 1, 2)
                    reduced = true
                    break
                }
            }
            if !reduced {
                // At the finest granularity every complement removes one item: 1-minimal.
                if granularity >= current.count { break }
                granularity = min(current.count, 2 * granularity)
            }
        }
        return (current.map { items[$0] }, tests)
    }

    /// `list` in `parts` consecutive chunks whose sizes differ by at most one.
    static func split(_ list: [Int], into parts: Int) -> [[Int]] {
        let n = min(parts, list.count)
        var chunks: [[Int]] = []
        var start = 0
        for k in 0..<n {
            let size = list.count / n + (k < list.count % n ? 1 : 0)
            chunks.append(Array(list[start..<(start + size)]))
            start += size
        }
        return chunks
    }
}
