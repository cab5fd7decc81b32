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
            // DEL and C1 controls too (valid raw in JSON, but a terminal may act on them).
            case let s where s.value < 0x20 || (0x7f...0x9f).contains(s.value):
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
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
        case .json(let raw): raw
        }
    }

    static func object(_ fields: [ReplyField]) -> String {
        "{" + fields.map { string($0.key) + ":" + value($0.value) }.joined(separator: ",") + "}"
    }
}
