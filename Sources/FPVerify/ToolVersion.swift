/// The version of fpaudit: the one place it is written. Reports, SARIF, the
/// audit log's records and exports, and `fpaudit --version` all print it.
public enum ToolVersion {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
