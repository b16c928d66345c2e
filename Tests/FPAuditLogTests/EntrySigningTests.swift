import Foundation
import XCTest
import _TestSupport

@testable import FPAuditLog

final class EntrySigningTests: XCTestCase {
    func testSignedEntriesVerifyWithTheirKeyAndOnlyWithIt() throws {
        try withEachStore { log, store in
            let signer = EntrySigner()
            let stored = try log.append((0..<3).map { AuditLogFixtures.draft(index: $0) }, signer: signer)
            for e in stored {
                XCTAssertEqual(e.record.signer, signer.publicKey.signerID)
                let signature = try XCTUnwrap(e.signature)
                XCTAssertEqual(Data(base64Encoded: signature)?.count, 64)
                XCTAssertTrue(signer.publicKey.isValid(signature: signature, hash: e.hash))
                XCTAssertFalse(
                    signer.publicKey.isValid(
                        signature: signature, hash: stored[0].hash == e.hash ? stored[1].hash : stored[0].hash))
            }
            let report = try log.verifyChain(publicKeys: [signer.publicKey])
            XCTAssertTrue(report.isIntact, "\(store): \(report.problems)")
            XCTAssertEqual(report.signed, 3)
            XCTAssertEqual(report.signers, [signer.publicKey.fingerprint: 3])

            let other = EntrySigner().publicKey
            let wrongKey = try log.verifyChain(publicKeys: [other])
            XCTAssertEqual(wrongKey.firstBadEntry, 1)
            XCTAssertEqual(wrongKey.problems.count, 3)
            XCTAssertTrue(wrongKey.problems[0].message.contains("not by the given public key"))
        }
    }

    func testRequiringAKeyFlagsUnsignedEntries() throws {
        let log = try AuditLog.inMemory()
        let signer = EntrySigner()
        try log.append([AuditLogFixtures.draft(index: 0)], signer: signer)
        try log.append([AuditLogFixtures.draft(index: 1)])
        let report = try log.verifyChain(publicKeys: [signer.publicKey])
        XCTAssertEqual(report.firstBadEntry, 2)
        XCTAssertEqual(report.problems.map(\.message), ["the entry is not signed"])
        // without a key, signing may not stop either: a tail whose signatures were dropped
        let keyless = try log.verifyChain()
        XCTAssertEqual(keyless.firstBadEntry, 2)
        XCTAssertTrue(keyless.problems[0].message.contains("not signed, but entry 1 before it is"), "\(keyless)")
    }

    func testSigningMayStartLate() throws {
        let log = try AuditLog.inMemory()
        try log.append([AuditLogFixtures.draft(index: 0)])
        try log.append([AuditLogFixtures.draft(index: 1)], signer: EntrySigner())
        XCTAssertTrue(try log.verifyChain().isIntact, "unsigned entries before the first signed one are fine")
    }

    func testATailReSignedUnderAnotherKeyIsFoundWithoutAKey() throws {
        let log = try AuditLog.inMemory()
        let ours = EntrySigner()
        let theirs = EntrySigner()
        try log.append([AuditLogFixtures.draft(index: 0), AuditLogFixtures.draft(index: 1)], signer: ours)
        try log.append([AuditLogFixtures.draft(index: 2)], signer: theirs)
        let report = try log.verifyChain()
        XCTAssertEqual(report.firstBadEntry, 3)
        XCTAssertEqual(report.problems.count, 1)
        XCTAssertTrue(report.problems[0].message.contains("but entry 2 before it by \(ours.publicKey.fingerprint)"))
        // a planned rotation: both keys trusted
        XCTAssertTrue(try log.verifyChain(publicKeys: [ours.publicKey, theirs.publicKey]).isIntact)
        XCTAssertEqual(try log.verifyChain(publicKeys: [ours.publicKey]).firstBadEntry, 3)
    }

    func testATamperedSignatureIsFoundWithoutAKey() throws {
        let t = try TestLog.onDisk()
        defer { t.remove() }
        let signer = EntrySigner()
        let stored = try t.log.append(
            [AuditLogFixtures.draft(index: 0), AuditLogFixtures.draft(index: 1)], signer: signer)
        var bytes = try XCTUnwrap(Data(base64Encoded: stored[1].signature!))
        bytes[10] ^= 0x01
        try rawSQL(
            t.log.path, dropTriggers + "UPDATE entries SET signature = ? WHERE seq = 2",
            arguments: [bytes.base64EncodedString()])
        let report = try t.log.verifyChain()
        XCTAssertEqual(report.firstBadEntry, 2)
        XCTAssertTrue(report.problems.contains { $0.message.contains("does not verify") }, "\(report.problems)")
    }

    func testKeysRoundTripThroughPEMFiles() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-keys")
        defer { dir.remove() }
        let signer = EntrySigner()
        XCTAssertTrue(signer.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        XCTAssertTrue(signer.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let privateFile = try dir.write(signer.privateKeyPEM, to: "key.pem")
        let publicFile = try dir.write(signer.publicKey.pem, to: "key.pem.pub")
        let loaded = try EntrySigner(pemFile: privateFile.path)
        XCTAssertEqual(loaded.publicKey, signer.publicKey)
        XCTAssertEqual(try EntryVerifier(pemFile: publicFile.path), signer.publicKey)
        XCTAssertEqual(EntryVerifier(signerID: signer.publicKey.signerID), signer.publicKey)
        XCTAssertNil(EntryVerifier(signerID: "ed25519:abcd"))
        XCTAssertNil(EntryVerifier(signerID: "rsa:" + String(repeating: "0", count: 64)))

        XCTAssertThrowsError(try EntrySigner(pemFile: publicFile.path)) { error in
            guard case AuditLogError.badKey(let path, let reason)? = error as? AuditLogError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(path, publicFile.path)
            XCTAssertTrue(reason.contains("not an Ed25519 private key"), reason)
        }
        XCTAssertThrowsError(try EntryVerifier(pemFile: dir.file("missing.pub").path)) { error in
            XCTAssertEqual(
                error as? AuditLogError, .badKey(path: dir.file("missing.pub").path, reason: "cannot read key file"))
        }
        let garbage = try dir.write("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", to: "bad.pem")
        XCTAssertThrowsError(try EntrySigner(pemFile: garbage.path))
    }

    /// Keys made by OpenSSL load, and OpenSSL accepts our signatures (when openssl is installed).
    func testInteroperatesWithOpenSSL() throws {
        let dir = try TemporaryDirectory(prefix: "fpaudit-openssl")
        defer { dir.remove() }
        let key = dir.file("openssl.pem").path
        guard run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key]) == 0 else {
            throw XCTSkip("openssl with Ed25519 is not available")
        }
        let signer = try EntrySigner(pemFile: key)
        XCTAssertEqual(run(["openssl", "pkey", "-in", key, "-pubout", "-out", dir.file("openssl.pub").path]), 0)
        XCTAssertEqual(try EntryVerifier(pemFile: dir.file("openssl.pub").path), signer.publicKey)
        let hash = String(repeating: "ab", count: 32)
        let message = try dir.write(EntrySigner.message(forHash: hash), to: "message.txt")
        try Data(base64Encoded: try signer.sign(hash: hash))!.write(to: dir.file("sig.bin"))
        XCTAssertEqual(
            run([
                "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", dir.file("openssl.pub").path,
                "-rawin", "-in", message.path, "-sigfile", dir.file("sig.bin").path,
            ]), 0)
    }

    private func run(_ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
