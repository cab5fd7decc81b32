import Foundation
import PassageCore

/// Times in replies: UTC, to the second, ISO 8601 (`2026-11-29T16:45:04Z`, what
/// `date.formatted(.iso8601)` prints). Written from `CivilTime` because Foundation's format style
/// cost about 2 % of the server's CPU per REFER (Docs/performance.md "REFER").
enum ConsoleTime {
    static func text(_ date: Date) -> String {
        let time = CivilTime(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
        let pad = CivilTime.padded
        return
            "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))Z"
    }
}
