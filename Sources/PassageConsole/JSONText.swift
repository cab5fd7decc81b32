/// Minimal JSON writing for replies. Hand-written (rather than JSONEncoder) because reply objects
/// must keep their keys in the declared order, which a script reading `nc` output relies on.
enum JSONText {
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // DEL, C1 controls, bidirectional controls and U+2028/U+2029 too: valid raw in
            // JSON, but a terminal may act on them and a viewer reorders or breaks the text.
            case let s where s.value < 0x20 || ReplyWriter.isEscaped(s):
                out += unicodeEscape(s)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    static func value(_ value: ReplyValue) -> String {
        switch value {
        case .string(let text): string(text)
        case .int(let number): String(number)
        case .double(let number): number.isFinite ? "\(number)" : "null"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .json(let raw): escapingUnsafeScalars(raw)
        }
    }

    static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Stored JSON (case facts) as it is, but with the scalars `ReplyWriter.isEscaped` names
    /// written as `\uXXXX`. Valid JSON holds such scalars only inside strings, where the escape
    /// means the very same text, so the value stays valid and decodes unchanged.
    static func escapingUnsafeScalars(_ raw: String) -> String {
        let plain = raw.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f } }
        guard plain != true, raw.unicodeScalars.contains(where: ReplyWriter.isEscaped) else { return raw }
        var out = ""
        out.reserveCapacity(raw.utf8.count + 16)
        for scalar in raw.unicodeScalars {
            if ReplyWriter.isEscaped(scalar) { out += unicodeEscape(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func object(_ fields: [ReplyField]) -> String {
        "{" + fields.map { string($0.key) + ":" + value($0.value) }.joined(separator: ",") + "}"
    }
}
