import XCTest

@testable import FPAuditCLI

final class RelativePathTests: XCTestCase {
    func testLinksFromAPageToFilesBesideAboveAndBelowIt() {
        XCTAssertEqual(RelativePath.href(from: "/a/b/page.html", to: "/a/b/out/command.txt"), "out/command.txt")
        XCTAssertEqual(RelativePath.href(from: "/a/b/page.html", to: "/a/c/command.txt"), "../c/command.txt")
        XCTAssertEqual(RelativePath.href(from: "/a/b/page.html", to: "/a/b/command.txt"), "command.txt")
        XCTAssertEqual(RelativePath.href(from: "/a/b/./x/../page.html", to: "/a/b/out/c.txt"), "out/c.txt")
        XCTAssertEqual(RelativePath.href(from: "/a/page.html", to: "/a/my dir/c#1.txt"), "my%20dir/c%231.txt")
    }

    func testRelativePathsAreReadFromTheWorkingDirectory() {
        XCTAssertEqual(RelativePath.href(from: "report.html", to: "reduced/command.txt"), "reduced/command.txt")
        XCTAssertEqual(RelativePath.href(from: "reports/t.html", to: "reduced/command.txt"), "../reduced/command.txt")
    }
}
