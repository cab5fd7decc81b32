/// Builds rows in PostgreSQL's COPY text format: columns separated by tabs, rows by newlines,
/// `\N` for NULL, and backslash, tab, newline and carriage return escaped so that any text —
/// JSON with its own backslashes included — arrives unchanged.
struct CopyTextRow {
    var bytes: [UInt8] = []
    private var columnCount = 0

    mutating func text(_ value: some StringProtocol) {
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: bytes.append(byte)
            }
        }
    }

    mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func boolean(_ value: Bool) {
        separate()
        bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// A text[] of identifiers (category ids: no quoting needed).
    mutating func identifierArray(_ values: [String]) {
        text("{" + values.joined(separator: ",") + "}")
    }

    mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        columnCount = 0
    }

    private mutating func separate() {
        if columnCount > 0 { bytes.append(UInt8(ascii: "\t")) }
        columnCount += 1
    }
}
