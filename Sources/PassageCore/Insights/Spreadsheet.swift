import Foundation

/// A workbook as Passage publishes it (the `xlsx` form of STATS, GAPS, exports and reports):
/// named sheets of rows of text and number cells, nothing else — no formulas, no styles. Written
/// to a file by PassageServices' XLSXWorkbook; built here so that what goes into a workbook is
/// decided (and tested) apart from the file format.
public struct Spreadsheet: Sendable, Equatable {
    public var sheets: [Sheet]
    /// The creation time recorded in the file. Fixed by the caller (the release's boundary), so
    /// the same table gives the same bytes every time.
    public var created: Date

    public init(sheets: [Sheet], created: Date) {
        self.sheets = sheets
        self.created = created
    }

    public struct Sheet: Sendable, Equatable {
        /// At most 31 characters, none of `[]:*?/\` (Excel's rule; checked by `init`).
        public var name: String
        public var rows: [[SpreadsheetCell]]

        public init(name: String, rows: [[SpreadsheetCell]]) {
            let cleaned = String(name.map { "[]:*?/\\".contains($0) ? "_" : $0 }.prefix(31))
            self.name = cleaned.isEmpty ? "sheet" : cleaned
            self.rows = rows
        }
    }

    /// The sheet every published workbook carries beside its table: what was released and every
    /// protection applied, as `name, value` rows (the CSV form's `protection:` lines and headers).
    public static func protectionsSheet(
        about: [(String, SpreadsheetCell)], protections: [AppliedProtection], notes: [String] = []
    ) -> Sheet {
        var rows: [[SpreadsheetCell]] = [[.text("name"), .text("value")]]
        rows += about.map { [.text($0.0), $0.1] }
        rows += protections.map { protection in
            [.text("protection"), .text(protection.summary)]
        }
        rows += notes.map { [.text("note"), .text($0)] }
        return Sheet(name: "protections", rows: rows)
    }

    /// `2026-12-01` (a release's day) as a time, midnight UTC; nil when the text is no such day.
    public static func day(_ text: String) -> Date? {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}

/// One cell of a Spreadsheet.
public enum SpreadsheetCell: Sendable, Equatable {
    /// Text, always written as a string (never a formula), guarded as CSVCell guards a CSV cell.
    case text(String)
    case number(Double)
    case empty

    /// A count, or empty when it is not shown (suppressed: never 0).
    public static func count(_ value: Int?) -> SpreadsheetCell {
        value.map { .number(Double($0)) } ?? .empty
    }

    /// The text as it goes into the file: `'=HYPERLINK(…)` for a text a spreadsheet would run as
    /// a formula (the same rule and the same text as the CSV form, CSVCell.neutralised).
    public var writtenText: String? {
        guard case .text(let text) = self else { return nil }
        return CSVCell.neutralised(text)
    }
}
