/// The one writer of a CSV cell for every file Passage produces (STATS and GAPS as CSV and HXL,
/// microdata, `passage export`, the HTTP API's `text/csv` answers, the web pages' downloads and
/// the provider directory): RFC 4180 quoting, and a guard against formula injection.
///
/// A spreadsheet (Excel, LibreOffice Calc, Google Sheets) runs a cell that begins with `=`, `+`,
/// `-` or `@` as a formula, and some treat a leading tab, CR, LF or NUL (and the full-width
/// `＝＋－＠`) the same way; a provider named `=HYPERLINK("https://…","call")` would otherwise
/// become a live link or a DDE command on the analyst's machine (OWASP "CSV Injection", ASVS 5.0
/// 1.2.10, CWE-1236). Such a cell is written with a single quote in front — the spreadsheets'
/// "this is text" mark — and always inside double quotes; so is a cell where a formula would
/// follow a `;` or tab, the separators a spreadsheet may guess instead of the comma. A plain number
/// (`-3`, `0.25`) is a number, not a formula, and stays as it is so the file stays
/// machine-readable; codes (`CO-ANT`, `2026-07`, `60+`) and HXL hashtags (`#affected`) never
/// begin with a formula character. Docs/security.md "Formula injection in CSV files".
public enum CSVCell {
    /// The characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Character> = [
        "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "\u{0}", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// One cell as it goes into a file: neutralised if it could run as a formula, quoted when it
    /// holds a separator, quote or line break.
    public static func field(_ text: String) -> String {
        if needsGuard(text) { return quoted(neutralised(text)) }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || formulaAfterSeparator(text) {
            return quoted(text)
        }
        return text
    }

    /// The text of a cell with the guard applied and no CSV quoting: `'=HYPERLINK(…)` for a text
    /// that would run as a formula, the text itself otherwise. The XLSX text cells
    /// (Spreadsheet) use it, so a CSV file and a workbook of the same table never differ in it.
    public static func neutralised(_ text: String) -> String {
        needsGuard(text) ? "'" + text : text
    }

    /// One line of cells, separated by commas (no line end).
    public static func line(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",")
    }

    /// A cell read back from a file Passage wrote (the provider directory's import): the guard's
    /// single quote removed again, so export → import gives the same text. Exact inverse of
    /// `field`'s guard: the quote is removed only where `field` would have added it.
    public static func reading(_ cell: String) -> String {
        guard cell.first == "'", needsGuard(String(cell.dropFirst())) else { return cell }
        return String(cell.dropFirst())
    }

    /// Whether `text` would run as a formula. A text already beginning with quotes is looked at
    /// past them, so that a literal `'=x` is written `''=x` and `reading` can tell the two apart.
    static func needsGuard(_ text: String) -> Bool {
        let afterQuotes = text.drop { $0 == "'" }
        guard let first = afterQuotes.first, formulaStarts.contains(first) else { return false }
        return afterQuotes.count != text.count || !isPlainNumber(text)
    }

    /// A spreadsheet set to split on `;` or tab would start a new cell there: `x;=HYPERLINK(…)`
    /// is quoted (then no separator splits it). Lists of codes (`health;psychosocial`) stay
    /// unquoted, as the provider directory promises.
    static func formulaAfterSeparator(_ text: String) -> Bool {
        var afterSeparator = false
        for character in text {
            if afterSeparator {
                if character == " " { continue }
                if formulaStarts.contains(character) { return true }
            }
            afterSeparator = character == ";" || character == "\t"
        }
        return false
    }

    /// `-3`, `-0.25`: an optional minus, digits, an optional fraction — nothing a spreadsheet could call.
    static func isPlainNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
