import Foundation
import Logging

/// A log handler writing one JSON object per line (`passage serve --log-format json`), for a
/// log collector that should not parse text: `time` (RFC 3339, UTC, milliseconds), `level`,
/// `logger` (the label), `message`, then every metadata field as a field of its own, nested
/// metadata flattened with dots (`a.b`). A metadata key equal to one of the four fixed names
/// is written with a leading underscore so it cannot hide them. swift-log ships no JSON
/// handler; this one is small and has no dependency.
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
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let explicit = event.metadata { fields.merge(explicit) { $1 } }
        output.write(Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)", fields))
    }

    static let fixedNames: Set<String> = ["time", "level", "logger", "message"]

    /// The JSON line (with its line feed) for one event.
    static func line(
        time: Date, level: Logger.Level, label: String, message: String, _ fields: Logger.Metadata
    ) -> String {
        var text = "{\"time\":\"\(RFC3339.utc(time))\",\"level\":\"\(level.rawValue)\",\"logger\":"
        JSONString.append(label, to: &text)
        text += ",\"message\":"
        JSONString.append(message, to: &text)
        var flat: [(String, Logger.Metadata.Value)] = []
        flatten(fields, prefix: "", into: &flat)
        for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) {
            text += ","
            JSONString.append(fixedNames.contains(key) ? "_" + key : key, to: &text)
            text += ":"
            appendValue(value, to: &text)
        }
        text += "}\n"
        return text
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

    private static func appendValue(_ value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string): JSONString.append(string, to: &text)
        case .stringConvertible(let convertible): JSONString.append(convertible.description, to: &text)
        case .array(let values):
            text += "["
            for (index, element) in values.enumerated() {
                if index > 0 { text += "," }
                appendValue(element, to: &text)
            }
            text += "]"
        case .dictionary(let nested):
            // Only inside an array (top-level dictionaries are flattened): written as an object.
            text += "{"
            for (index, (key, element)) in nested.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { text += "," }
                JSONString.append(key, to: &text)
                text += ":"
                appendValue(element, to: &text)
            }
            text += "}"
        }
    }
}

/// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
enum JSONString {
    static func append(_ string: String, to text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20 || control.value == 0x7F || (0x2028...0x2029).contains(control.value):
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}

/// `2026-12-05T16:37:45.123Z`: RFC 3339 in UTC with milliseconds, without a formatter object
/// (Foundation's formatters are not cheap per line, nor shareable between threads on every platform).
enum RFC3339 {
    static func utc(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(milliseconds % 1000)
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(millisText)Z"
    }
}
