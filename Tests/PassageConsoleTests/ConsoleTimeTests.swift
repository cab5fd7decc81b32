import Foundation
import Testing
@testable import PassageConsole

/// `ConsoleTime.text` is written by hand for speed; it must print exactly what Foundation's
/// ISO 8601 format style prints, on every kind of date.
@Suite struct ConsoleTimeTests {
    @Test func printsWhatFoundationsISO8601StylePrints() {
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 86_399.999),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29, a leap day of a 400-year leap year
            Date(timeIntervalSince1970: 4_107_542_399), // 2100-02-28T23:59:59, 2100 not a leap year
            Date(timeIntervalSince1970: -2_208_988_800), // 1900-01-01
            Date(timeIntervalSince1970: 253_402_300_799), // 9999-12-31T23:59:59
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...5_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(ConsoleTime.text(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)")
        }
    }
}
