import PassageCore

/// Seconds since the epoch as COPY text for a timestamptz (`2026-11-29 07:42:44+00`), written
/// without Foundation's formatters: a million cases carry several million timestamps.
enum CopyTime {
    static func append(_ seconds: Int64, to row: inout CopyTextRow) {
        row.text(text(seconds))
    }

    static func text(_ seconds: Int64) -> String {
        let time = CivilTime(secondsSince1970: seconds)
        let two = { CivilTime.padded($0, 2) }
        return
            "\(time.year)-\(two(time.month))-\(two(time.day)) \(two(time.hour)):\(two(time.minute)):\(two(time.second))+00"
    }
}
