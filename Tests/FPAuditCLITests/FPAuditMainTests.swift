import ArgumentParser
import XCTest

@testable import FPAuditCLI

final class DefaultPolicyPreloadTests: XCTestCase {
    /// The commands whose run preloads the default policy are subcommands
    /// that exist (a renamed command would silently lose the preload).
    func testPreloadedCommandsAreSubcommands() {
        let names = Set(FPAudit.configuration.subcommands.map { $0._commandName })
        XCTAssertTrue(FPAuditMain.judgingCommands.isSubset(of: names), "\(FPAuditMain.judgingCommands) vs \(names)")
    }
}
