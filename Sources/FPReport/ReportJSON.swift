import FPFormats
import FPVerify
import Foundation

/// The `fpaudit.report/v1` JSON document (see docs/report-format.md): the
/// verification result's own encoding (`VerificationResult: Encodable`).
public enum ReportJSON {
    /// The document's `schema` field.
    public static let schema = VerificationResult.reportSchema

    /// Encodes a verification result, pretty-printed with sorted keys. Doubles
    /// that are not finite are written as the strings `"inf"`, `"-inf"`,
    /// `"nan"`; values of results and truths as C99 hex-float strings so
    /// nothing is lost.
    public static func encode(_ result: VerificationResult) throws -> Data {
        try JSONCoding.encoder().encode(result)
    }
}
