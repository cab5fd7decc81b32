import Foundation

/// Text made safe for HTML: every page's one way of writing a value into markup.
enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` (element content and quoted attribute values).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A hidden form field.
    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A time as pages show it: `2026-12-05 14:03 UTC` (the audit's zone; no guessing the reader's).
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) UTC"
    }

    /// `<time datetime="…">` around `time(date)`.
    static func timeElement(_ date: Date) -> String {
        let iso = ISO8601DateFormatter().string(from: date)
        return "<time datetime=\"\(iso)\">\(escape(time(date)))</time>"
    }
}
