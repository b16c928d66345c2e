import ArgumentParser
import FPAuditKit
import Foundation

extension FPAudit.LogCommand {
    /// `fpaudit log verify`: recompute the chain and every blob hash.
    struct VerifyLog: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute the hash chain and every stored blob; exit 1 at the first entry that does not match.")

        @OptionGroup var selection: LogSelection

        @Option(
            name: .customLong("public-key"),
            help: ArgumentHelp(
                "Require every entry to be signed by this Ed25519 public key (PEM); repeat it for keys rotated over the log's life. Without it, signatures are checked with the keys the log names and the key may not change along the chain.",
                valueName: "file"))
        var publicKeys: [String] = []

        @Option(
            help: ArgumentHelp("Check this export (`fpaudit log export`) instead of a database.", valueName: "file"))
        var export: String?

        @Option(
            help: ArgumentHelp(
                "Also require entry SEQ to hash to HASH (from an earlier `fpaudit log head`, kept elsewhere).",
                valueName: "seq:hash"))
        var anchor: [String] = []

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func validate() throws {
            for a in anchor where Self.parseAnchor(a) == nil {
                throw ValidationError("--anchor '\(a)': expected SEQ:HASH, as `fpaudit log head` prints it")
            }
            if export != nil && selection.log != nil { throw ValidationError("give --log or --export, not both") }
        }

        static func parseAnchor(_ text: String) -> (Int64, String)? {
            let (seq, hash) = text.splitOnce(":")
            guard let n = Int64(seq), n >= 1, hash.count == 64, hash.allSatisfy(\.isHexDigit) else { return nil }
            return (n, hash.lowercased())
        }

        func execute(console: Console) async throws -> ExitCode {
            let keys = try publicKeys.map { try EntryVerifier(pemFile: $0) }
            var report: ChainReport
            let source: String
            if let export {
                report = try ExportVerifier.verify(contentsOf: export, publicKeys: keys)
                source = export
            } else {
                let log = try selection.open(console: console)
                report = try log.verifyChain(publicKeys: keys)
                source = log.path
            }
            for a in anchor {
                let (seq, hash) = Self.parseAnchor(a)!
                if let actual = report.entryHashes[seq] {
                    if actual != hash {
                        report.problems.append(
                            ChainProblem(
                                seq: seq,
                                message:
                                    "does not match the anchor: it hashes to \(actual.prefix(16))..., the anchor says \(hash.prefix(16))..."
                            ))
                    }
                } else {
                    report.problems.append(
                        ChainProblem(
                            seq: seq,
                            message: "the anchor names entry \(seq), which the log does not have (entries were removed)"
                        ))
                }
            }
            report.problems.sort { ($0.seq ?? .max, $0.blob ?? "") < ($1.seq ?? .max, $1.blob ?? "") }
            switch format {
            case .text: console.out(text(report, source: source, keys: keys))
            case .json: console.out(try json(report, source: source))
            }
            return report.isIntact ? .success : .failed
        }

        func text(_ r: ChainReport, source: String, keys: [EntryVerifier]) -> String {
            var out = "fpaudit log verify \(source)\n"
            out +=
                "  log \(r.logID): \(r.entries) entr\(r.entries == 1 ? "y" : "ies"), \(r.blobs) blob\(r.blobs == 1 ? "" : "s")"
            if r.blobs > 0 {
                out +=
                    " (\(r.blobBytes) bytes, \(r.blobStoredBytes > 0 ? "\(r.blobStoredBytes) stored" : "in the export"))"
            }
            out += "\n"
            if let head = r.head { out += "  head: entry \(head.seq), hash \(head.hash)\n" }
            if r.signed > 0 || !keys.isEmpty {
                let by = r.signers.sorted { $0.key < $1.key }.map { "\($0.value) by ed25519:\($0.key)" }.joined(
                    separator: ", ")
                out +=
                    "  signatures: \(r.signed) of \(r.entries) valid" + (by.isEmpty ? "" : " (\(by))")
                    + (keys.isEmpty
                        ? ""
                        : ", every entry required to be signed by "
                            + keys.map { "ed25519:\($0.fingerprint)" }.joined(separator: " or ")) + "\n"
                if keys.isEmpty {
                    out +=
                        "  note: checked with the keys the log itself names; give --public-key to trust only yours\n"
                }
            }
            if !anchor.isEmpty { out += "  anchors: \(anchor.count) checked\n" }
            if r.isIntact {
                out += "intact: every hash, link, copied column, blob and signature checks out\n"
                return out
            }
            for p in r.problems.prefix(50) { out += "  FAIL \(p)\n" }
            if r.problems.count > 50 { out += "  ... and \(r.problems.count - 50) more\n" }
            if let first = r.firstBadEntry {
                out +=
                    "BROKEN: \(r.problems.count) problem\(r.problems.count == 1 ? "" : "s"); the first entry that does not match is \(first)\n"
            } else {
                out += "BROKEN: \(r.problems.count) problem\(r.problems.count == 1 ? "" : "s")\n"
            }
            return out
        }

        func json(_ r: ChainReport, source: String) throws -> String {
            var o: [String: Any] = [
                "source": source, "log_id": r.logID, "entries": r.entries, "blobs": r.blobs,
                "intact": r.isIntact, "signed": r.signed,
                "problems": r.problems.map { p -> [String: Any] in
                    var d: [String: Any] = ["message": p.message]
                    if let s = p.seq { d["seq"] = s }
                    if let b = p.blob { d["blob"] = b }
                    return d
                },
            ]
            o["first_bad_entry"] = r.firstBadEntry.map { $0 as Any } ?? NSNull()
            o["head"] = r.head.map { ["seq": $0.seq, "hash": $0.hash] as [String: Any] } ?? NSNull()
            let data = try JSONSerialization.data(
                withJSONObject: o, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// `fpaudit log keygen FILE`: a new Ed25519 key pair.
    struct Keygen: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make an Ed25519 key pair for signing entries: FILE (private, mode 600) and FILE.pub.")

        @Argument(help: "Where to write the private key; the public key goes to FILE.pub.")
        var file: String

        @Flag(help: "Overwrite existing files.")
        var force = false

        func execute(console: Console) async throws -> ExitCode {
            let publicFile = file + ".pub"
            for f in [file, publicFile] where !force && FileManager.default.fileExists(atPath: f) {
                throw CLIError.badOption("\(f) exists; not overwriting it without --force")
            }
            let signer = EntrySigner()
            try? FileManager.default.removeItem(atPath: file)
            guard
                FileManager.default.createFile(
                    atPath: file, contents: Data(signer.privateKeyPEM.utf8),
                    attributes: [.posixPermissions: 0o600])
            else {
                throw CLIError.unwritableFile(path: file, reason: "cannot create the key file")
            }
            try OutputFile.write(Data(signer.publicKey.pem.utf8), to: publicFile)
            console.out(
                "wrote \(file) (private) and \(publicFile) (public), key ed25519:\(signer.publicKey.fingerprint)\n")
            return .success
        }
    }
}
