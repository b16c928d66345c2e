import FPGraph
import XCTest

final class FreshNameTests: XCTestCase {
    func testTheFirstFreeSuffixIsTaken() {
        XCTAssertEqual(Set<String>().freshName("add"), "add")
        XCTAssertEqual(Set(["add"]).freshName("add"), "add.1")
        XCTAssertEqual(Set(["add", "add.1", "add.3"]).freshName("add"), "add.2")
        XCTAssertEqual(Set(["add.1"]).freshName("add"), "add")
    }
}
