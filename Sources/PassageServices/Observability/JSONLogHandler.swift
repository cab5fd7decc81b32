import Foundation
import Logging

/// A log handler writing one JSON object per line (`passage serve --log-format json`), for a
/// log collector that should not parse text: `time` (RFC 3339, UTC, milliseconds), `level`,
/// `logger` (the label), `message`, then every metadata field as a field of its own, nested
/// metadata flattened with dots (`a.b`). A metadata key equal to one of the four fixed names
/// is written with a leading underscore so it cannot hide them. swift-log ships no JSON
/// handler; this one is small and has no dependency.
///
/// Every console command writes a line (Docs/operations.md "Logs and metrics"), so the line is
/// built as UTF-8 bytes in one buffer and handed to the output whole (Docs/performance.md
/// "Logs and metrics on the console" measured the first, String-based version).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    public let label: String
    private let output: LogOutput

    public init(label: String, level: Logger.Level = .info, output: LogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.output = output
        self.metadataProvider = LoggingSystem.metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { fields.merge(provided) { $1 } }
        if let explicit = event.metadata, !explicit.isEmpty { fields.merge(explicit) { $1 } }
        output.write(
            bytes: Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)", fields))
    }

    static let fixedNames: Set<String> = ["time", "level", "logger", "message"]

    /// The JSON line (with its line feed) for one event, as UTF-8.
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, _ fields: Logger.Metadata
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(contentsOf: #"{"time":""#.utf8)
        RFC3339.append(time, to: &bytes)
        bytes.append(contentsOf: #"","level":""#.utf8)
        bytes.append(contentsOf: level.rawValue.utf8)
        bytes.append(contentsOf: #"","logger":"#.utf8)
        JSONString.append(label, to: &bytes)
        bytes.append(contentsOf: #","message":"#.utf8)
        JSONString.append(message, to: &bytes)
        var flat: [(String, Logger.Metadata.Value)] = []
        flat.reserveCapacity(fields.count)
        flatten(fields, prefix: "", into: &flat)
        flat.sort { $0.0 < $1.0 }
        for (key, value) in flat {
            bytes.append(UInt8(ascii: ","))
            JSONString.append(fixedNames.contains(key) ? "_" + key : key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendValue(value, to: &bytes)
        }
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }

    private static func flatten(
        _ metadata: Logger.Metadata, prefix: String, into flat: inout [(String, Logger.Metadata.Value)]
    ) {
        for (key, value) in metadata {
            if case .dictionary(let nested) = value {
                flatten(nested, prefix: prefix + key + ".", into: &flat)
            } else {
                flat.append((prefix + key, value))
            }
        }
    }

    private static func appendValue(_ value: Logger.Metadata.Value, to bytes: inout [UInt8]) {
        switch value {
        case .string(let string): JSONString.append(string, to: &bytes)
        case .stringConvertible(let convertible): JSONString.append(convertible.description, to: &bytes)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let nested):
            // Only inside an array (top-level dictionaries are flattened): written as an object.
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, element)) in nested.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONString.append(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                appendValue(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7);
/// every other byte of the UTF-8 copied as it is.
enum JSONString {
    private static let hex = Array("0123456789abcdef".utf8)

    static func append(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// `2026-12-05T16:37:45.123Z`: RFC 3339 in UTC with milliseconds, without a formatter object
/// (Foundation's formatters are not cheap per line, nor shareable between threads on every platform).
enum RFC3339 {
    static func utc(_ date: Date) -> String {
        var bytes: [UInt8] = []
        append(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ date: Date, to bytes: inout [UInt8]) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: "."))
        digits(Int(milliseconds % 1000), 3)
        bytes.append(UInt8(ascii: "Z"))
    }
}
