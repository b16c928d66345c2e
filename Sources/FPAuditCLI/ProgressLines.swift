import FPAuditKit
import Foundation

/// A one-line progress display on a terminal: samples done and the time left.
struct ProgressLine {
    let console: Console

    var handler: ProgressHandler {
        let console = self.console
        let start = Date()
        return { done, total in
            let step = max(total / 100, 1)
            guard done % step == 0 || done == total else { return }
            let elapsed = Date().timeIntervalSince(start)
            let left = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
            console.err("\r\u{1B}[K  verifying: \(done)/\(total) samples, about \(Int(left.rounded(.up))) s left")
        }
    }
}

/// `step 3/38 simplification/algsimp: 2048/9216 samples, about 41 s left` on a terminal.
struct TraceProgressLine: Sendable {
    let console: Console
    let started: Date

    func show(_ p: TraceProgress) {
        let step = max(p.samplesTotal / 200, 1)
        guard p.samplesDone % step == 0 || p.samplesDone == p.samplesTotal else { return }
        var line = "\r\u{1B}[K  step \(p.step)/\(p.steps) \(p.pass): \(p.samplesDone)/\(p.samplesTotal) samples"
        if p.samplesDone > 0 {
            let elapsed = Date().timeIntervalSince(started)
            let left = elapsed / Double(p.samplesDone) * Double(p.samplesTotal - p.samplesDone)
            line += ", about \(Int(left.rounded(.up))) s left"
        }
        console.err(line)
    }
}
