import Foundation

/// Links between files the CLI writes (an HTML page to a file beside it).
enum RelativePath {
    /// A URL path from the directory of the page at `page` to `target`: relative
    /// (`reduced/command.txt`, `../out/command.txt`) when both are on the same
    /// file system tree, percent-encoded for an `href`.
    static func href(from page: String, to target: String) -> String {
        let base = URL(fileURLWithPath: page).deletingLastPathComponent().standardizedFileURL.pathComponents
        let goal = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var shared = 0
        while shared < min(base.count, goal.count) && base[shared] == goal[shared] { shared += 1 }
        let parts = Array(repeating: "..", count: base.count - shared) + goal[shared...]
        let path = parts.joined(separator: "/")
        return path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }
}
