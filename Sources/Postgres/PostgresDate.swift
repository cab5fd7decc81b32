import Foundation

// Date <-> timestamptz. Sent in binary (microseconds since 2000-01-01 UTC); read from the ISO
// text the session is configured to print (DateStyle ISO), with any UTC offset honoured.
// Precision is PostgreSQL's: microseconds.

/// Seconds from 2000-01-01 (PostgreSQL's epoch) to 2001-01-01 (Foundation's reference date).
private let secondsFrom2000To2001: Int64 = 366 * 86_400

extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresDataType: PostgresDataType { .timestamptz }

    public func encode(into buffer: inout [UInt8]) {
        let micros = (timeIntervalSinceReferenceDate * 1_000_000).rounded()
        // Out-of-range dates clamp to PostgreSQL's infinities rather than trapping.
        let value: Int64
        if micros >= 9.2e18 {
            value = .max
        } else if micros <= -9.2e18 {
            value = .min
        } else {
            value = Int64(micros) + secondsFrom2000To2001 * 1_000_000
        }
        buffer.appendBigEndian(value)
    }

    public static func decode(postgresText text: UnsafeRawBufferPointer, type: PostgresDataType) -> Date? {
        guard let micros = PostgresTimestampText.microsecondsSince2000(text) else { return nil }
        let sinceReference = micros - secondsFrom2000To2001 * 1_000_000
        return Date(timeIntervalSinceReferenceDate: Double(sinceReference) / 1_000_000)
    }
}

enum PostgresTimestampText {
    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][+HH[:MM[:SS]]]`. No offset means UTC.
    /// Returns nil for `infinity`, BC dates and anything malformed.
    static func microsecondsSince2000(_ text: UnsafeRawBufferPointer) -> Int64? {
        var cursor = Cursor(bytes: text)
        guard let year = cursor.number(minDigits: 4, maxDigits: 7), cursor.take("-"),
            let month = cursor.number(minDigits: 2, maxDigits: 2), cursor.take("-"),
            let day = cursor.number(minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        var micros: Int64 = 0
        if cursor.take(" ") || cursor.take("T") {
            guard let hour = cursor.number(minDigits: 2, maxDigits: 2), cursor.take(":"),
                let minute = cursor.number(minDigits: 2, maxDigits: 2), cursor.take(":"),
                let second = cursor.number(minDigits: 2, maxDigits: 2),
                hour <= 24, minute < 60, second <= 60
            else { return nil }
            seconds = hour * 3600 + minute * 60 + second
            if cursor.take(".") {
                var digits = 0
                while let digit = cursor.digit() {
                    if digits < 6 { micros = micros * 10 + digit }
                    digits += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 6) { micros *= 10 }
            }
        }
        var offset: Int64 = 0
        if let sign = cursor.sign() {
            guard let hours = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
            var total = hours * 3600
            if cursor.take(":") {
                guard let minutes = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
                total += minutes * 60
                if cursor.take(":") {
                    guard let secs = cursor.number(minDigits: 2, maxDigits: 2) else { return nil }
                    total += secs
                }
            }
            offset = sign * total
        }
        guard cursor.atEnd else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day) - daysFromCivil(year: 2000, month: 1, day: 1)
        return ((days * 86_400) + seconds - offset) * 1_000_000 + micros
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9")
            else { return nil }
            defer { index += 1 }
            return Int64(bytes[index] - UInt8(ascii: "0"))
        }

        mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while count < maxDigits, let digit = digit() {
                value = value * 10 + digit
                count += 1
            }
            return count >= minDigits ? value : nil
        }

        mutating func sign() -> Int64? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }
    }
}
