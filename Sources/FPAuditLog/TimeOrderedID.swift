import FPGraph
import Foundation

/// UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds,
/// then random bits, so ids sort in creation order as text.
///
/// Layout (big-endian): `unix_ts_ms` (48) | `ver`=0b0111 (4) | `rand_a` (12) |
/// `var`=0b10 (2) | `rand_b` (62). Within one millisecond, ``next(after:at:)``
/// keeps ids increasing by using `rand_a` as a counter (RFC 9562 method 1).
public struct TimeOrderedID: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The 16 bytes.
    public let bytes: [UInt8]

    /// The id made from the time `date` and the given random bits.
    public init<G: RandomNumberGenerator>(date: Date, using generator: inout G) {
        let ms = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        self.init(
            milliseconds: ms, counter: UInt16.random(in: 0...0x0FFF, using: &generator),
            random: generator.next())
    }

    /// The id made from its three fields (`counter` < 2^12; `random` keeps its low 62 bits).
    public init(milliseconds: UInt64, counter: UInt16, random: UInt64) {
        var b = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { b[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(i)))) }
        b[6] = 0x70 | UInt8(truncatingIfNeeded: (counter >> 8) & 0x0F)
        b[7] = UInt8(truncatingIfNeeded: counter)
        let r = random & 0x3FFF_FFFF_FFFF_FFFF
        b[8] = 0x80 | UInt8(truncatingIfNeeded: r >> 56)
        for i in 9..<16 { b[i] = UInt8(truncatingIfNeeded: r >> (8 * (15 - UInt64(i)))) }
        bytes = b
    }

    /// Parses the canonical `8-4-4-4-12` lowercase or uppercase hex form; nil unless it is a version-7 UUID.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36, [8, 13, 18, 23].allSatisfy({ utf8[$0] == UInt8(ascii: "-") }),
            let b = hexBytes(String(decoding: utf8.filter { $0 != UInt8(ascii: "-") }, as: UTF8.self)), b.count == 16,
            b[6] >> 4 == 7, b[8] >> 6 == 2
        else { return nil }
        bytes = b
    }

    /// The Unix time in milliseconds the id carries.
    public var milliseconds: UInt64 { bytes[0..<6].reduce(0) { $0 << 8 | UInt64($1) } }

    /// The 12-bit `rand_a` field (the sub-millisecond counter).
    public var counter: UInt16 { UInt16(bytes[6] & 0x0F) << 8 | UInt16(bytes[7]) }

    /// A new id for `date` that sorts after `previous` (when given), even when
    /// the clock has not moved on or went backwards.
    public static func next<G: RandomNumberGenerator>(
        after previous: TimeOrderedID?, at date: Date,
        using generator: inout G
    ) -> TimeOrderedID {
        let candidate = TimeOrderedID(date: date, using: &generator)
        guard let previous, candidate <= previous else { return candidate }
        if previous.counter < 0x0FFF {
            return TimeOrderedID(
                milliseconds: previous.milliseconds, counter: previous.counter + 1,
                random: generator.next())
        }
        return TimeOrderedID(milliseconds: previous.milliseconds + 1, counter: 0, random: generator.next())
    }

    /// `xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx`, lowercase.
    public var description: String {
        [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { lowerHex(bytes[$0]) }.joined(separator: "-")
    }

    /// Orders ids by their 16 bytes, big-endian: by time first, then the counter, then the random bits.
    public static func < (a: TimeOrderedID, b: TimeOrderedID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
