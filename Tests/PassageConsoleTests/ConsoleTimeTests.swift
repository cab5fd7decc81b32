import Foundation
import PassageCore
import Testing

@testable import PassageConsole

/// `ConsoleTime.text` is written by hand for speed; it must print exactly what Foundation's
/// ISO 8601 format style prints, on every kind of date.
@Suite struct ConsoleTimeTests {
    @Test func printsWhatFoundationsISO8601StylePrints() {
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 86_399.999),
            Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29, a leap day of a 400-year leap year
            Date(timeIntervalSince1970: 4_107_542_399),  // 2100-02-28T23:59:59, 2100 not a leap year
            Date(timeIntervalSince1970: -2_208_988_800),  // 1900-01-01
            Date(timeIntervalSince1970: 253_402_300_799),  // 9999-12-31T23:59:59
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            dates.append(
                Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...5_000_000_000, using: &generator)))
        }
        for date in dates {
            #expect(ConsoleTime.text(date) == date.formatted(.iso8601), "\(date.timeIntervalSince1970)")
        }
    }
}

/// The civil fields behind every hand-written time (console replies, the demo's COPY rows).
@Suite struct CivilTimeTests {
    @Test func fieldsMatchFoundationsUTCCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        var seconds: [Int64] = [0, -1, 86_399, 86_400, 951_782_400, 4_107_542_399, -2_208_988_800, 253_402_300_799]
        for _ in 0..<5_000 { seconds.append(Int64.random(in: -2_000_000_000...5_000_000_000, using: &generator)) }
        for second in seconds {
            let time = CivilTime(secondsSince1970: second)
            let fields = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second],
                from: Date(timeIntervalSince1970: TimeInterval(second)))
            #expect(
                [time.year, time.month, time.day, time.hour, time.minute, time.second].map(Int.init)
                    == [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second].map {
                        $0 ?? -1
                    },
                "\(second)")
        }
    }
}
