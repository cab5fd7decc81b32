/// Renders a `Reply` into protocol lines (each ending in CRLF).
///
/// Shape (contract "Framing"): `NNN-info`…, then optionally `NNN+title`, dot-stuffed data lines
/// and a lone `.`, then the final `NNN text`. In JSON format every line's text after the code —
/// info, data title, data lines and final — is one JSON object, so a script never guesses.
public enum ReplyWriter {
    public static let lineEnd = "\r\n"

    public static func render(_ reply: Reply, format: ReplyFormat) -> String {
        // Text tables are written straight into one buffer: a GAPS outcomes answer is ten
        // thousand rows, and building each line as a String, then each line with its CRLF, then
        // joining them, was most of its time once the answer itself was ready. The bytes are the
        // same as `lines(reply, format:)` with CRLFs (ReplyWriterTests compares them).
        guard format == .text, let block = reply.data, case .table(let columns, let rows) = block.content else {
            return lines(reply, format: format).map { $0 + lineEnd }.joined()
        }
        let code = String(reply.code)
        var out: [UInt8] = []
        out.reserveCapacity(256 + rows.count * 64)
        func line(_ text: String) {
            out.append(contentsOf: text.utf8)
            out.append(contentsOf: lineEnd.utf8)
        }
        for info in reply.info { line(code + "-" + sanitize(info)) }
        line(code + "+" + title(block, format: format))
        if let kept = block.kept {
            out.append(
                contentsOf: kept.text {
                    var table: [UInt8] = []
                    writeAlignedTable(
                        columns: columns, rows: rows, lineEnd: Array(lineEnd.utf8), dotStuffed: true, into: &table)
                    return table
                })
        } else {
            writeAlignedTable(columns: columns, rows: rows, lineEnd: Array(lineEnd.utf8), dotStuffed: true, into: &out)
        }
        line(".")
        line(code + " " + finalText(reply, format: format))
        return String(decoding: out, as: UTF8.self)
    }

    /// The reply's lines without terminators.
    public static func lines(_ reply: Reply, format: ReplyFormat) -> [String] {
        let code = String(reply.code)
        var out: [String] = []
        for info in reply.info {
            out.append(
                code + "-" + (format == .json ? JSONText.object([ReplyField("info", .string(info))]) : sanitize(info)))
        }
        if let block = reply.data {
            out.append(code + "+" + title(block, format: format))
            for line in dataLines(block, format: format) {
                out.append(line.hasPrefix(".") ? "." + line : line)
            }
            out.append(".")
        }
        out.append(code + " " + finalText(reply, format: format))
        return out
    }

    static func title(_ block: DataBlock, format: ReplyFormat) -> String {
        guard format == .json else { return sanitize(block.title) }
        var fields = [ReplyField("title", .string(block.title))]
        if case .table(let columns, _) = block.content {
            fields.append(ReplyField("columns", .json("[" + columns.map(JSONText.string).joined(separator: ",") + "]")))
        }
        return JSONText.object(fields)
    }

    static func dataLines(_ block: DataBlock, format: ReplyFormat) -> [String] {
        switch (block.content, format) {
        case (.lines(let lines), .text):
            return lines.map(sanitize)
        case (.lines(let lines), .json):
            return lines.map { JSONText.object([ReplyField("line", .string($0))]) }
        case (.table(let columns, let rows), .json):
            return rows.map { row in
                JSONText.object(zip(columns, row).map { ReplyField($0, $1) })
            }
        case (.table(let columns, let rows), .text):
            return alignedTable(columns: columns, rows: rows)
        }
    }

    /// Header plus rows, columns padded to their widest cell and separated by two spaces.
    static func alignedTable(columns: [String], rows: [[ReplyValue]]) -> [String] {
        var bytes: [UInt8] = []
        writeAlignedTable(columns: columns, rows: rows, lineEnd: [UInt8(ascii: "\n")], dotStuffed: false, into: &bytes)
        // Cells are sanitized, so the only line feeds are the line ends.
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The aligned table's lines as UTF-8, each followed by `lineEnd`, and with a leading `.`
    /// doubled when `dotStuffed` (as data lines are sent). Replies of ten thousand rows (GAPS
    /// outcomes) are rendered per request, so each cell is converted and measured once, and
    /// bytes are appended without building a String per line.
    static func writeAlignedTable(
        columns: [String], rows: [[ReplyValue]], lineEnd: [UInt8], dotStuffed: Bool,
        into out: inout [UInt8]
    ) {
        let width = columns.count
        guard width > 0 else {
            // No columns: an empty header and empty rows, as the line-by-line rendering gave.
            for _ in 0...rows.count { out.append(contentsOf: lineEnd) }
            return
        }
        var cells: [String] = []
        var cellWidths: [Int] = []
        // Rows shorter than the header end early; cells past the header's width are not shown.
        var rowLengths: [Int] = []
        cells.reserveCapacity((rows.count + 1) * width)
        cellWidths.reserveCapacity((rows.count + 1) * width)
        rowLengths.reserveCapacity(rows.count + 1)
        var widths = Array(repeating: 0, count: width)
        func add(_ cell: String, at index: Int) {
            let measured = displayWidth(cell)
            cells.append(cell)
            cellWidths.append(measured)
            if measured > widths[index] { widths[index] = measured }
        }
        for (index, column) in columns.enumerated() { add(sanitize(column), at: index) }
        rowLengths.append(width)
        for row in rows {
            let length = min(row.count, width)
            for index in 0..<length { add(textCell(row[index]), at: index) }
            rowLengths.append(length)
        }
        let spaces = [UInt8](repeating: UInt8(ascii: " "), count: (widths.max() ?? 0) + 2)
        var position = 0
        for length in rowLengths {
            // A line starts with what its first cell starts with (padding is spaces), and, as
            // for every data line, by Character: "." with a combining mark is not a dot.
            if dotStuffed, length > 0, cells[position].utf8.first == UInt8(ascii: "."), cells[position].hasPrefix(".") {
                out.append(UInt8(ascii: "."))
            }
            for index in 0..<length {
                out.append(contentsOf: cells[position].utf8)
                if index < length - 1 { out.append(contentsOf: spaces[0..<(widths[index] - cellWidths[position] + 2)]) }
                position += 1
            }
            out.append(contentsOf: lineEnd)
        }
    }

    /// Characters in a cell: its byte count when it is ASCII (nearly always), else its count of
    /// Characters, as the alignment always measured it.
    static func displayWidth(_ cell: String) -> Int {
        let ascii = cell.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
        return ascii == true ? cell.utf8.count : cell.count
    }

    static func finalText(_ reply: Reply, format: ReplyFormat) -> String {
        switch format {
        case .json:
            var fields: [ReplyField] = []
            if let message = reply.message {
                fields.append(ReplyField(reply.isError ? "error" : "message", .string(message)))
            }
            return JSONText.object(fields + reply.fields)
        case .text:
            var parts: [String] = []
            if let message = reply.message { parts.append(sanitize(message)) }
            parts += reply.fields.map { $0.key + "=" + quotedIfNeeded(textCell($0.value)) }
            return parts.joined(separator: " ")
        }
    }

    /// A value as one text cell; `-` marks a missing value so columns stay aligned.
    static func textCell(_ value: ReplyValue) -> String {
        switch value {
        case .string(let text): sanitize(text)
        case .int(let number): String(number)
        case .double(let number): "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        case .null: "-"
        case .json(let raw): sanitize(raw)
        }
    }

    /// In text mode a field value is quoted the way the tokenizer reads it back, when it must be.
    /// By Unicode scalar, as the tokenizer reads: a space or backslash followed by a combining
    /// mark is one `Character` that equals neither (found by fuzzing, Docs/reliability.md).
    static func quotedIfNeeded(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.unicodeScalars.contains { $0 == " " || $0 == "\t" || $0 == "\"" }
        guard needsQuotes else { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar == "\"" { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    /// A reply line must never contain a line break or other control character: that would
    /// forge protocol lines, and escape sequences in stored text (ESC, or the 8-bit C1 controls
    /// U+0080–U+009F such as CSI U+009B) would drive the terminal of whoever reads the reply.
    /// They are shown as backslash escapes instead: `\xNN` up to U+00FF, `\uNNNN` beyond (the
    /// bidirectional controls and line separators of `isEscaped`).
    static func sanitize(_ text: String) -> String {
        // Printable ASCII (and tab) needs nothing: checked by byte first, the common case.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7f) || $0 == 0x09 }
        }
        guard plain != true, text.unicodeScalars.contains(where: isEscaped) else {
            return text
        }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\t"
            case let s where isEscaped(s):
                let hex = String(s.value, radix: 16)
                if s.value <= 0xff {
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 controls but tab, DEL, and the C1 controls; and the invisible scalars that reorder or
    /// break what a reader sees (issue 16): the bidirectional embeddings and overrides
    /// U+202A–U+202E, isolates U+2066–U+2069, marks U+200E, U+200F and U+061C — a name ending
    /// in U+202E shows the columns after it reversed, "gpj.exe" as "exe.jpg" — and the line and
    /// paragraph separators U+2028 and U+2029, line breaks to many viewers.
    static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0xa0 { return (value < 0x20 && scalar != "\t") || value >= 0x7f }
        switch value {
        case 0x061c, 0x200e, 0x200f, 0x2028...0x202e, 0x2066...0x2069: return true
        default: return false
        }
    }
}
