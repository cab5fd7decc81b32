import Foundation
import PassageServices

/// The moment `passage restore --to` names: a date and time with its time zone, so it means
/// the same whatever the server's zone. Accepted: `2026-12-05 17:03:04+00`,
/// `2026-12-05T17:03:04.123456Z`, `… +01:00`, `… -0500`; fractions to the microsecond.
struct RestoreTarget: Equatable {
    /// Microseconds since 1970 (UTC).
    let microseconds: Int64

    var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    /// As PostgreSQL's recovery_target_time reads it, in UTC with microseconds.
    var postgresText: String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let fraction = microseconds - seconds * 1_000_000
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds))) + String(format: ".%06d+00", fraction)
    }

    init(microseconds: Int64) { self.microseconds = microseconds }

    init(parsing text: String) throws {
        let pattern =
            #"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)$"#
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: trimmed, range: NSRange(trimmed.startIndex..., in: trimmed))
        else {
            throw BackupError(
                "--to \(text): give a date and time with its time zone, e.g. '2026-12-05 17:03:04+00' or '2026-12-05T17:03:04.5Z'")
        }
        func group(_ index: Int) -> String? {
            guard let range = Range(match.range(at: index), in: trimmed) else { return nil }
            return String(trimmed[range])
        }
        let numbers = (1...6).map { Int(group($0)!)! }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (numbers[0], numbers[1], numbers[2])
        (components.hour, components.minute, components.second) = (numbers[3], numbers[4], numbers[5])
        guard components.isValidDate, numbers[3] < 24, numbers[4] < 60, numbers[5] < 60, let date = components.date
        else {
            throw BackupError("--to \(text): no such date or time")
        }
        var offsetSeconds = 0
        let zone = group(8)!
        if zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let hours = Int(digits.prefix(2))!
            let minutes = digits.count > 2 ? Int(digits.dropFirst(2))! : 0
            guard hours <= 14, minutes < 60 else { throw BackupError("--to \(text): no such time zone offset \(zone)") }
            offsetSeconds = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
        }
        let fraction = group(7).map { Int64($0.padding(toLength: 6, withPad: "0", startingAt: 0))! } ?? 0
        microseconds = (Int64(date.timeIntervalSince1970) - Int64(offsetSeconds)) * 1_000_000 + fraction
    }
}
