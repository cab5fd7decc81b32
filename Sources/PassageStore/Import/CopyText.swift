/// Builds rows in PostgreSQL's COPY text format: columns separated by tabs, rows by newlines,
/// `\N` for NULL, and backslash, tab, newline and carriage return escaped so that any text —
/// JSON with its own backslashes included — arrives unchanged.
struct CopyTextRow {
    var bytes: [UInt8] = []
    private var columnCount = 0

    init() { bytes.reserveCapacity(1 << 16) }

    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { raw($0) }
    }

    /// Already-UTF-8 text, such as a JSON document written straight into a byte buffer.
    mutating func text(utf8 value: [UInt8]) {
        value.withUnsafeBufferPointer { raw($0) }
    }

    private mutating func raw(_ value: UnsafeBufferPointer<UInt8>) {
        separate()
        // Most values hold none of the four special bytes: copy them in one go.
        if !value.contains(where: Self.needsEscape) {
            bytes.append(contentsOf: value)
            return
        }
        for byte in value {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            default: bytes.append(byte)
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    mutating func integer(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// SQL NULL (`\N`).
    mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
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

    /// Empties the buffer after it was sent, keeping its capacity.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        columnCount = 0
    }

    private mutating func separate() {
        if columnCount > 0 { bytes.append(UInt8(ascii: "\t")) }
        columnCount += 1
    }
}
