#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C's `printf` formatting (`%.2f`, `%.4g`, `%d`, ...), through the C
/// library's `vsnprintf` in the C locale (a `.` decimal point).
///
/// Reports use it instead of Foundation's `String(format:)`, which does the
/// same through CoreFoundation's formatter: that one's first call in a
/// process sets up CoreFoundation's string machinery, about half a
/// millisecond of a short run's start-up.
public enum CFormat {
    /// `format` applied to `arguments`, as `printf` would print them.
    public static func string(_ format: String, _ arguments: CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 64)
            let needed = Int(vsnprintf(&buffer, buffer.count, format, list))
            guard needed >= buffer.count else { return String(cString: buffer) }
            buffer = [CChar](repeating: 0, count: needed + 1)
            return withVaList(arguments) { again in
                _ = vsnprintf(&buffer, buffer.count, format, again)
                return String(cString: buffer)
            }
        }
    }
}
