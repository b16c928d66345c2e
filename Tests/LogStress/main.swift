// fpaudit-log-stress LOG COUNT [PAYLOAD_BYTES] [WRITER]
//
// Appends COUNT entries to the audit log LOG, one transaction each, and
// prints "WRITER SEQ" after each commit. The multi-process and
// kill-during-append tests of FPAuditLogTests run several of these at once
// and kill them at random points. PAYLOAD_BYTES pads each entry's graph
// blobs so that an append takes long enough to be interrupted.
import FPAuditLog
import Foundation
import _TestSupport

let arguments = CommandLine.arguments.dropFirst().map { $0 }
guard arguments.count >= 2, let count = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: fpaudit-log-stress LOG COUNT [PAYLOAD_BYTES] [WRITER]\n".utf8))
    exit(2)
}
let payload = arguments.count > 2 ? Int(arguments[2]) ?? 0 : 0
let writer = arguments.count > 3 ? Int(arguments[3]) ?? 0 : 0
setvbuf(stdout, nil, _IOLBF, 0)
do {
    let log = try AuditLog(path: arguments[0])
    for k in 0..<count {
        let draft = AuditLogFixtures.draft(index: writer * 100_000 + k, payload: payload)
        let stored = try log.append([draft])
        print("\(writer) \(stored[0].seq)")
    }
} catch {
    FileHandle.standardError.write(Data("fpaudit-log-stress: \(error)\n".utf8))
    exit(1)
}
