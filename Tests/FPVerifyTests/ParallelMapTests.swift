import XCTest

@testable import FPVerify

final class ParallelMapTests: XCTestCase {
    /// Results come back in the elements' order, each the transform of its own element.
    func testConcurrentMapEqualsMap() {
        for n in [0, 1, 2, 3, 17, 1000] {
            let xs = (0..<n).map { Double($0) * 1.5 }
            let square: (Double) -> [Double] = { x in (0..<100).map { x * Double($0) } }
            XCTAssertEqual(xs.concurrentMap(square), xs.map(square), "n = \(n)")
        }
    }
}
