import XCTest

@testable import FPEval

/// The order of a dot's outputs: every output once, rows of a tile taken column by column.
final class DotTilesTests: XCTestCase {
    /// Row-major results of every shape (a partial last tile, a remainder
    /// that is not a whole row, one row, one column, a single output, none)
    /// are visited as a permutation of their outputs.
    func testEveryOutputIsVisitedOnce() {
        for (rows, columns, extra) in [
            (128, 2304, 0), (7, 5, 0), (7, 5, 3), (1, 9, 0), (9, 1, 0), (1, 1, 0), (0, 0, 0),
        ] {
            var lhsBases: [Int] = []
            for r in 0..<rows { lhsBases += Array(repeating: r * 1000, count: columns) }
            lhsBases += (0..<extra).map { 10_000_000 + $0 }
            for terms in [1, 64, 768] {
                let tiles = DotTiles(lhsBases: lhsBases, terms: terms, bytesPerTerm: 40)
                var seen = [Int](repeating: 0, count: lhsBases.count)
                tiles.visit { seen[$0] += 1 }
                XCTAssertEqual(
                    seen, [Int](repeating: 1, count: lhsBases.count), "\(rows)×\(columns)+\(extra), k \(terms)")
            }
        }
    }

    /// With rows of 768 terms of 40 bytes, eight rows make a tile: the
    /// outputs of one column of those rows come one after the other.
    func testATileIsTakenColumnByColumn() {
        let lhsBases = (0..<16).flatMap { r in Array(repeating: r, count: 3) }
        let tiles = DotTiles(lhsBases: lhsBases, terms: 768, bytesPerTerm: 40)
        XCTAssertEqual(tiles.rowLength, 3)
        XCTAssertEqual(tiles.rowsPerTile, 8)
        var order: [Int] = []
        tiles.visit { order.append($0) }
        XCTAssertEqual(Array(order.prefix(9)), [0, 3, 6, 9, 12, 15, 18, 21, 1])
    }
}
