import Foundation

/// One table of an HSDS package read and checked against its HSDS fields: the header (columns of
/// the table only, each once, the required ones present), and every cell (required, uuid, number,
/// date-time, email, enumeration, unique). Problems name the file, line and column. Cells are read
/// back through `CSVCell.reading` (the export's formula guard undone) and trimmed of spaces.
struct HSDSTable {
    struct Row {
        let line: Int
        let values: [String: String]

        subscript(_ column: String) -> String { values[column] ?? "" }

        /// The cell, nil when empty.
        func optional(_ column: String) -> String? {
            let value = self[column]
            return value.isEmpty ? nil : value
        }
    }

    let resource: HSDSResource
    let file: String
    private(set) var rows: [Row] = []
    /// Whether a row or the whole table could not be read (then links to it are not followed).
    private(set) var incomplete = false

    init(resource: HSDSResource, file: String) {
        self.resource = resource
        self.file = file
    }

    /// Reads `text`; problems are appended to `problems`.
    init(resource: HSDSResource, file: String, text: String, problems: inout [String]) {
        self.init(resource: resource, file: file)
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            problems.append("\(file) line \(error.line): \(error.message)")
            incomplete = true
            return
        }
        guard let header = records.first else {
            problems.append("\(file): the file is empty (expected a header row of \(resource.name)'s columns)")
            incomplete = true
            return
        }
        var names: [String] = []
        var headerProblems: [String] = []
        for (index, cell) in header.fields.enumerated() {
            let name = cell.trimmingSpaces.lowercased()
            if !resource.columns.contains(name) {
                headerProblems.append(
                    "\(file) line \(header.line), column \(index + 1): \"\(name)\" is not a column of HSDS \(resource.name) (its columns: \(resource.columns.joined(separator: ", ")))"
                )
            } else if names.contains(name) {
                headerProblems.append("\(file) line \(header.line), column \(index + 1): column \(name) appears twice")
            }
            names.append(name)
        }
        for field in resource.fields where field.required && !names.contains(field.name) {
            headerProblems.append("\(file) line \(header.line): required column \(field.name) is missing")
        }
        guard headerProblems.isEmpty else {
            problems += headerProblems
            incomplete = true
            return
        }
        var seen: [String: [String: Int]] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append(
                    "\(file) line \(record.line): \(record.fields.count) fields, the header has \(names.count)")
                incomplete = true
                continue
            }
            var values: [String: String] = [:]
            for (name, cell) in zip(names, record.fields) {
                values[name] = CSVCell.reading(cell).trimmingSpaces
            }
            for field in resource.fields {
                guard var value = values[field.name], !value.isEmpty else {
                    if field.required { problems.append(problem(record.line, field.name, "is required")) }
                    continue
                }
                if let message = Self.check(value, against: field) {
                    problems.append(problem(record.line, field.name, message))
                    continue
                }
                if field.format == "uuid" {
                    value = value.lowercased()
                    values[field.name] = value
                }
                if field.unique {
                    if let earlier = seen[field.name]?[value] {
                        problems.append(problem(record.line, field.name, "\(value) is already on line \(earlier)"))
                    } else {
                        seen[field.name, default: [:]][value] = record.line
                    }
                }
            }
            rows.append(Row(line: record.line, values: values))
        }
    }

    func problem(_ line: Int, _ column: String, _ message: String) -> String {
        "\(file) line \(line), column \(column): \(message)"
    }

    /// What is wrong with a non-empty cell for HSDS's `field`; nil when nothing is.
    static func check(_ value: String, against field: HSDSField) -> String? {
        if let values = field.enumeration, !values.contains(value) {
            return "must be one of \(values.map { "\"\($0)\"" }.joined(separator: ", ")) (got \"\(value)\")"
        }
        switch field.type {
        case .number:
            if Double(value) == nil || value.contains(where: { $0.isLetter }) {
                return "expected a number (got \(value))"
            }
        case .datetime:
            if HSDSDateTime.utc(value) == nil {
                return "expected an ISO 8601 date-time like 2026-12-05T19:37:45Z (got \(value))"
            }
        case .date, .time, .string:
            break
        }
        switch field.format {
        case "uuid":
            if UUID(uuidString: value) == nil { return "expected a UUID like 5f0c6a1e-… (got \(value))" }
        case "email":
            if !HSDSEmail.isPlausible(value) { return "expected an e-mail address (got \(value))" }
        default:
            break
        }
        return nil
    }
}

/// HSDS date-times, read in any ISO 8601 offset and written in UTC to the second.
enum HSDSDateTime {
    /// `2026-12-05T19:37:45Z` for an ISO 8601 date-time with an offset or `Z`, fraction allowed; nil otherwise.
    static func utc(_ text: String) -> String? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        let utc = ISO8601DateFormatter()
        utc.timeZone = TimeZone(identifier: "UTC")
        return utc.string(from: Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }
}

/// The same rule as the database's check on provider_contacts.email.
enum HSDSEmail {
    static func isPlausible(_ text: String) -> Bool {
        guard text.count <= 254, !text.contains(where: { $0.isWhitespace }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && !domain[0].isEmpty && domain.dropFirst().allSatisfy { !$0.isEmpty }
    }
}
