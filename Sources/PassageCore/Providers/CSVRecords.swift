/// RFC 4180 CSV: fields separated by commas, optionally in double quotes (a quote inside is
/// doubled; a quoted field may span lines), records ended by LF or CRLF. Each record carries
/// the line it starts on, so errors can name it. (Writing is CSVCell's.)
struct CSVRecords {
    struct Record {
        let line: Int
        let fields: [String]
    }

    struct Malformed: Error {
        let line: Int
        let message: String
    }

    static func parse(_ text: String) throws(Malformed) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        var iterator = Array(text.unicodeScalars)[...]
        func endRecord() {
            fields.append(field)
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty && !quotedField) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
            field = ""
            quotedField = false
        }
        while let scalar = iterator.popFirst() {
            if inQuotes {
                if scalar == "\"" {
                    if iterator.first == "\"" {
                        iterator.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty, !quotedField else {
                    throw Malformed(
                        line: line,
                        message: "a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedField = true
            case ",":
                fields.append(field)
                field = ""
                quotedField = false
            case "\r" where iterator.first == "\n":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !quotedField else { throw Malformed(line: line, message: "text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        guard !inQuotes else { throw Malformed(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }
}
