/// Renders a `Reply` into protocol lines (each ending in CRLF).
///
/// Shape (contract "Framing"): `NNN-info`…, then optionally `NNN+title`, dot-stuffed data lines
/// and a lone `.`, then the final `NNN text`. In JSON format every line's text after the code —
/// info, data title, data lines and final — is one JSON object, so a script never guesses.
public enum ReplyWriter {
    public static let lineEnd = "\r\n"

    public static func render(_ reply: Reply, format: ReplyFormat) -> String {
        lines(reply, format: format).map { $0 + lineEnd }.joined()
    }

    /// The reply's lines without terminators.
    public static func lines(_ reply: Reply, format: ReplyFormat) -> [String] {
        let code = String(reply.code)
        var out: [String] = []
        for info in reply.info {
            out.append(code + "-" + (format == .json ? JSONText.object([ReplyField("info", .string(info))]) : sanitize(info)))
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
        let cells = [columns.map(sanitize)] + rows.map { $0.map(textCell) }
        var widths = Array(repeating: 0, count: columns.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return cells.map { row in
            var line = ""
            for (index, cell) in row.enumerated() where index < widths.count {
                let isLast = index == min(row.count, widths.count) - 1
                line += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return line
        }
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
    /// They are shown as backslash escapes instead.
    static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isEscaped) else {
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
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 controls but tab, DEL, and the C1 controls.
    static func isEscaped(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7f...0x9f).contains(scalar.value)
    }
}
