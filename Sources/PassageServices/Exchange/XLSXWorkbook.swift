import CXLSXWriter
import Foundation
import PassageCore

/// Writes a Spreadsheet as an XLSX file with libxlsxwriter (the one place Passage touches it).
/// Text cells are written as strings — never as formulas — with the guard of CSVCell
/// (`SpreadsheetCell.writtenText`); numbers as numbers; empty cells are left out. The file's
/// creation time is the Spreadsheet's, so the same table gives the same bytes every time
/// (a report's reproduction from its manifest depends on it).
public enum XLSXWorkbook {
    /// The rows a sheet may hold (Excel's limit), and the longest text a cell may hold.
    public static let maximumRows = 1_048_576
    public static let maximumText = 32_767

    /// The media type of the bytes (HTTP answers).
    public static let mediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The file's bytes. Refused (badArgument `format`) when a sheet or a text is beyond Excel's
    /// limits; `unavailable` when the library cannot write its temporary file.
    public static func bytes(_ spreadsheet: Spreadsheet) throws(ServiceError) -> [UInt8] {
        for sheet in spreadsheet.sheets {
            if sheet.rows.count > maximumRows {
                throw .badArgument(
                    argument: "format",
                    message:
                        "xlsx holds at most \(maximumRows) rows a sheet; \(sheet.name) has \(sheet.rows.count): use csv"
                )
            }
            for row in sheet.rows {
                for cell in row where (cell.writtenText?.utf16.count ?? 0) > maximumText {
                    throw .badArgument(
                        argument: "format", message: "a cell of \(sheet.name) is longer than xlsx allows: use csv")
                }
            }
        }
        let path = NSTemporaryDirectory() + "passage-\(UUID().uuidString).xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let workbook = workbook_new(path) else {
            throw .unavailable("xlsx: cannot create a workbook in \(NSTemporaryDirectory())")
        }
        var properties = lxw_doc_properties()
        // Never 0: the library would take the current time, and the bytes would change.
        properties.created = time_t(max(spreadsheet.created.timeIntervalSince1970, 315_532_800))
        workbook_set_properties(workbook, &properties)
        var failure: lxw_error = LXW_NO_ERROR
        for sheet in spreadsheet.sheets {
            guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
                failure = LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE
                break
            }
            for (rowIndex, row) in sheet.rows.enumerated() {
                for (columnIndex, cell) in row.enumerated() {
                    let at = (lxw_row_t(rowIndex), lxw_col_t(columnIndex))
                    let result: lxw_error
                    switch cell {
                    case .text:
                        result = worksheet_write_string(worksheet, at.0, at.1, cell.writtenText ?? "", nil)
                    case .number(let number):
                        result =
                            number.isFinite ? worksheet_write_number(worksheet, at.0, at.1, number, nil) : LXW_NO_ERROR
                    case .empty:
                        result = LXW_NO_ERROR
                    }
                    if result != LXW_NO_ERROR && failure == LXW_NO_ERROR { failure = result }
                }
            }
        }
        let closed = workbook_close(workbook)
        guard failure == LXW_NO_ERROR, closed == LXW_NO_ERROR else {
            let error = failure != LXW_NO_ERROR ? failure : closed
            throw .unavailable("xlsx: " + String(cString: lxw_strerror(error)))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unavailable("xlsx: the written workbook could not be read back")
        }
        return [UInt8](data)
    }
}
