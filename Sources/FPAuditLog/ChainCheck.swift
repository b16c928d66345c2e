import FPGraph
import Foundation

/// Something `log verify` found wrong with a log.
public struct ChainProblem: Sendable, Equatable, CustomStringConvertible {
    /// The entry concerned (nil for problems of the log as a whole or of a blob alone).
    public var seq: Int64?
    /// The blob concerned.
    public var blob: String?
    /// What does not match.
    public var message: String

    /// Creates a problem; `seq` is nil for a problem of the log as a whole or of a blob no entry refers to.
    public init(seq: Int64?, blob: String? = nil, message: String) {
        self.seq = seq
        self.blob = blob
        self.message = message
    }

    /// `entry SEQ: message`, `blob HASH: message` (the hash's first 12 digits), or the message alone.
    public var description: String {
        if let seq { return "entry \(seq): \(message)" }
        if let blob { return "blob \(blob.prefix(12)): \(message)" }
        return message
    }
}

/// The outcome of checking a whole log (or an export of one).
public struct ChainReport: Sendable {
    /// The id of the log checked (for an export, the one its header names).
    public var logID: String
    /// Entries checked.
    public var entries: Int = 0
    /// Blobs checked, and their stored and original sizes in bytes.
    public var blobs: Int = 0
    /// Total size of the checked blobs as stored, compressed or not; 0 for an export, which holds only the
    /// original bytes.
    public var blobStoredBytes: Int = 0
    /// Total original (uncompressed) size of the checked blobs.
    public var blobBytes: Int = 0
    /// Entries signed, by signer fingerprint.
    public var signers: [String: Int] = [:]
    /// The last entry as the chain ends (sequence number and recomputed hash).
    public var head: (seq: Int64, hash: String)?
    /// Everything that does not match, in log order.
    public var problems: [ChainProblem] = []
    /// Every entry's recomputed hash, by sequence number (to check external anchors).
    public var entryHashes: [Int64: String] = [:]

    /// An empty report for the log `logID`: nothing checked, no problems yet.
    public init(logID: String) { self.logID = logID }

    /// True when nothing was found wrong.
    public var isIntact: Bool { problems.isEmpty }

    /// The first entry (lowest sequence number) with a problem.
    public var firstBadEntry: Int64? { problems.compactMap(\.seq).min() }

    /// Entries that carry a signature.
    public var signed: Int { signers.values.reduce(0, +) }
}

/// Checks a sequence of stored entries link into one chain: each record's
/// bytes hash to the stored hash, name their own position, id and log, and
/// point at the previous entry's recomputed hash; signatures are valid; ids
/// increase. Shared by `log verify` on a database and on an export.
struct ChainChecker {
    let logID: String
    let genesis: String
    /// When given, every entry must be signed by one of these keys. When
    /// empty, each signature is checked against the key its record names, and
    /// the signing key may not change (nor signing stop) along the chain.
    let trustedSigners: [EntryVerifier]

    private(set) var report: ChainReport
    private var expectedSeq: Int64 = 1
    private var previousHash: String
    private var previousID: TimeOrderedID?
    /// The key and sequence number of the last signed entry so far.
    private var lastSigned: (key: EntryVerifier, seq: Int64)?

    init(logID: String, genesis: String, trustedSigners: [EntryVerifier]) {
        self.logID = logID
        self.genesis = genesis
        self.trustedSigners = trustedSigners
        report = ChainReport(logID: logID)
        previousHash = genesis
    }

    mutating func problem(_ seq: Int64?, _ message: String) {
        report.problems.append(ChainProblem(seq: seq, message: message))
    }

    /// Checks the next entry; returns its record when it decodes.
    mutating func check(seq: Int64, id: String, recordText: String, hash: String, signature: String?) -> EntryRecord? {
        report.entries += 1
        if seq != expectedSeq {
            if seq > expectedSeq {
                problem(
                    expectedSeq,
                    (seq - 1 == expectedSeq ? "entry \(expectedSeq) is" : "entries \(expectedSeq)...\(seq - 1) are")
                        + " missing (the next entry stored is \(seq))")
            } else {
                problem(seq, "sequence number \(seq) out of order (expected \(expectedSeq))")
            }
        }
        expectedSeq = seq + 1
        let bytes = Data(recordText.utf8)
        let actual = fileSHA256(bytes)
        if actual != hash {
            problem(
                seq,
                "the record does not hash to the stored hash (stored \(hash.prefix(16))..., record hashes to \(actual.prefix(16))...)"
            )
        }
        defer { previousHash = actual }
        report.entryHashes[seq] = actual
        let record: EntryRecord
        do {
            record = try EntryRecord.decode(bytes)
        } catch {
            problem(seq, "the record is not a valid fpaudit.log-entry document: \(error)")
            return nil
        }
        if !EntryRecord.knownSchemas.contains(record.schema) {
            problem(seq, "unknown record schema '\(record.schema)'")
        }
        if record.seq != seq {
            problem(seq, "the record says it is entry \(record.seq) (rows reordered or renumbered)")
        }
        if record.id != id { problem(seq, "the record's id \(record.id) differs from the row's id \(id)") }
        if record.logID != logID { problem(seq, "the record belongs to log \(record.logID), not \(logID)") }
        if record.prevHash != previousHash {
            problem(
                seq,
                previousHash == genesis
                    ? "the first entry does not link to the log's genesis hash"
                    : "the record links to \(record.prevHash.prefix(16))..., but the previous entry hashes to \(previousHash.prefix(16))..."
            )
        }
        if let parsed = TimeOrderedID(record.id) {
            if let p = previousID, parsed <= p {
                problem(seq, "id \(record.id) does not sort after the previous entry's")
            }
            previousID = parsed
        } else {
            problem(seq, "id '\(record.id)' is not a UUIDv7")
        }
        checkSignature(record, seq: seq, hash: hash, signature: signature)
        report.head = (seq, actual)
        return record
    }

    private mutating func checkSignature(_ record: EntryRecord, seq: Int64, hash: String, signature: String?) {
        guard let signer = record.signer else {
            if signature != nil { problem(seq, "a signature is stored but the record names no signer") }
            if !trustedSigners.isEmpty {
                problem(seq, "the entry is not signed")
            } else if let last = lastSigned {
                problem(
                    seq,
                    "the entry is not signed, but entry \(last.seq) before it is (by \(last.key.fingerprint)): "
                        + "a rewritten tail with its signatures dropped looks like this; "
                        + "verify with --public-key to require your key")
            }
            return
        }
        guard let key = EntryVerifier(signerID: signer) else {
            problem(seq, "the record's signer '\(signer.prefix(24))' is not an Ed25519 public key")
            return
        }
        if !trustedSigners.isEmpty, !trustedSigners.contains(key) {
            let trusted = trustedSigners.map(\.fingerprint).joined(separator: ", ")
            problem(seq, "signed by key \(key.fingerprint), not by the given public key \(trusted)")
        } else if trustedSigners.isEmpty, let last = lastSigned, last.key != key {
            problem(
                seq,
                "signed by key \(key.fingerprint), but entry \(last.seq) before it by \(last.key.fingerprint): "
                    + "a log rewritten and re-signed under another key looks like this; "
                    + "if the key was rotated, give each trusted key with --public-key")
        }
        guard let signature else {
            problem(seq, "the record names signer \(key.fingerprint) but no signature is stored")
            return
        }
        if key.isValid(signature: signature, hash: hash) {
            report.signers[key.fingerprint, default: 0] += 1
            lastSigned = (key, seq)
        } else {
            problem(seq, "the signature does not verify with signer \(key.fingerprint)")
        }
    }
}
