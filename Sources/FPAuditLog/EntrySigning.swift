import Crypto
import CryptoExtras
import FPGraph
import Foundation

/// Ed25519 signatures over entry hashes.
///
/// An entry signed by a key carries the public key in its record (`signer`,
/// `ed25519:<64 hex digits>`), so the signature covers who signed; the
/// signature itself (base64 of 64 bytes, in the `signature` column) is over
/// the UTF-8 bytes of ``message(forHash:)``: `fpaudit.log-entry/v1:` followed
/// by the entry's hash in hex. Keys are PEM files: PKCS #8 `PRIVATE KEY` and
/// SubjectPublicKeyInfo `PUBLIC KEY`, as `openssl genpkey -algorithm ed25519`
/// writes them.
public struct EntrySigner: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// Reads a PEM private key file.
    /// - Throws: ``AuditLogError/badKey(path:reason:)``.
    public init(pemFile path: String) throws {
        let text = try readKeyFile(path)
        do {
            key = try Curve25519.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw AuditLogError.badKey(path: path, reason: "not an Ed25519 private key in PEM (PKCS #8) form: \(error)")
        }
    }

    /// The private key as PEM.
    public var privateKeyPEM: String { key.pemRepresentation + "\n" }

    /// The matching public key.
    public var publicKey: EntryVerifier { EntryVerifier(key: key.publicKey) }

    /// The base64 signature of an entry with this hash.
    public func sign(hash: String) throws -> String {
        try key.signature(for: Data(EntrySigner.message(forHash: hash).utf8)).base64EncodedString()
    }

    /// The signed text for an entry hash: `fpaudit.log-entry/v1:HASH`. The
    /// prefix separates fpaudit's signatures from any other use of the key;
    /// it names the first record format and stays fixed as records evolve,
    /// so signatures made by every version verify alike.
    public static func message(forHash hash: String) -> String { "\(EntryRecord.v1Schema):\(hash)" }
}

/// An Ed25519 public key that checks entry signatures.
public struct EntryVerifier: Sendable, Equatable {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Reads a PEM public key file.
    /// - Throws: ``AuditLogError/badKey(path:reason:)``.
    public init(pemFile path: String) throws {
        let text = try readKeyFile(path)
        do {
            key = try Curve25519.Signing.PublicKey(pemRepresentation: text)
        } catch {
            throw AuditLogError.badKey(
                path: path,
                reason: "not an Ed25519 public key in PEM (SubjectPublicKeyInfo) form: \(error)")
        }
    }

    /// Parses the `ed25519:<hex>` form of a record's `signer`; nil when malformed.
    public init?(signerID: String) {
        guard signerID.hasPrefix("ed25519:"), let raw = hexBytes(String(signerID.dropFirst(8))), raw.count == 32,
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { return nil }
        self.key = key
    }

    /// `ed25519:<64 hex digits>`.
    public var signerID: String { "ed25519:" + lowerHex(key.rawRepresentation) }

    /// A short fingerprint for display: the first 16 hex digits of the key.
    public var fingerprint: String { String(signerID.dropFirst(8).prefix(16)) }

    /// The public key as PEM.
    public var pem: String { key.pemRepresentation + "\n" }

    /// Whether `signature` (base64) signs the entry with `hash`.
    public func isValid(signature: String, hash: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(bytes, for: Data(EntrySigner.message(forHash: hash).utf8))
    }

    /// Two verifiers are equal when they hold the same public key.
    public static func == (a: EntryVerifier, b: EntryVerifier) -> Bool {
        a.key.rawRepresentation == b.key.rawRepresentation
    }
}

private func readKeyFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw AuditLogError.badKey(path: path, reason: "cannot read key file")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Bytes of an even-length hex string; nil when it is not hex.
func hexBytes(_ hex: String) -> [UInt8]? {
    let chars = Array(hex.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(chars.count / 2)
    var i = 0
    while i < chars.count {
        guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
        out.append(hi << 4 | lo)
        i += 2
    }
    return out
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
