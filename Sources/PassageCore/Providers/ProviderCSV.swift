/// The provider directory as one HSDS-style CSV file: one row per provider, column names after
/// the Open Referral HSDS fields they carry (organization.name, service.status, the service's
/// taxonomy terms, service_area, eligibility's ages). Lists inside a cell are separated by `;`
/// so that a spreadsheet needs no quoting. Docs/referrals.md describes the columns.
public enum ProviderCSV {
    public static let columns = [
        "organization_name", "service_status", "service_types", "service_areas",
        "capacity", "minimum_age", "maximum_age", "description",
    ]
    static let required: Set<String> = ["organization_name", "service_types", "service_areas"]

    /// Every problem of a file, each naming its line and column; an import with any imports nothing.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        public let messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// Reads and checks a whole file. `knownServices` are the service type codes of the database.
    public static func parse(_ text: String, knownServices: Set<String>) throws(Problems) -> [ProviderEntry] {
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(text)
        } catch {
            throw Problems(messages: ["line \(error.line): \(error.message)"])
        }
        guard let header = records.first else {
            throw Problems(messages: [
                "line 1: the file is empty (expected a header row: \(columns.joined(separator: ","))"
            ])
        }
        var problems: [String] = []
        var position: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let name = name.trimmingSpaces.lowercased()
            if !columns.contains(name) {
                problems.append(
                    "line \(header.line), column \(index + 1): unknown column \"\(name)\" (known: \(columns.joined(separator: ", ")))"
                )
            } else if position[name] != nil {
                problems.append("line \(header.line), column \(index + 1): column \(name) appears twice")
            } else {
                position[name] = index
            }
        }
        for name in columns where required.contains(name) && position[name] == nil {
            problems.append("line \(header.line): required column \(name) is missing")
        }
        guard problems.isEmpty else { throw Problems(messages: problems) }

        var entries: [ProviderEntry] = []
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            var row = RowReader(record: record, position: position)
            if record.fields.count != header.fields.count {
                problems.append(
                    "line \(record.line): \(record.fields.count) fields, the header has \(header.fields.count)")
                continue
            }
            let name = row.text("organization_name")
            if name.isEmpty || name.count > 200 {
                row.problem("organization_name", "must be 1 to 200 characters")
            } else if let earlier = firstLine[name] {
                row.problem("organization_name", "\(name) is already on line \(earlier)")
            } else {
                firstLine[name] = record.line
            }
            // HSDS spells it `temporarily closed`; the older `temporarily_closed` of earlier files is read too.
            let given = row.text("service_status").isEmpty ? "active" : row.text("service_status")
            let status = ProviderRecord.statuses.contains(given) ? given : HSDSStatus.passage(given) ?? given
            if !ProviderRecord.statuses.contains(status) {
                row.problem(
                    "service_status",
                    "must be one of \(ProviderRecord.statuses.map(HSDSStatus.hsds).joined(separator: ", ")) (got \(given))"
                )
            }
            let services = row.list("service_types")
            if services.isEmpty { row.problem("service_types", "at least one service type is needed") }
            for service in services where !knownServices.contains(service) {
                row.problem(
                    "service_types",
                    "unknown service type \(service) (known: \(knownServices.sorted().joined(separator: ", ")))")
            }
            let areas = row.list("service_areas")
            if areas.isEmpty { row.problem("service_areas", "at least one ISO 3166-2 area is needed") }
            for area in areas where SubdivisionCode(area) == nil {
                row.problem("service_areas", "\(area) is not an ISO 3166-2 code like CO-ANT")
            }
            let capacity = row.number("capacity", 0...1_000_000)
            let minimumAge = row.number("minimum_age", 0...130)
            let maximumAge = row.number("maximum_age", 0...130)
            if let minimumAge, let maximumAge, minimumAge > maximumAge {
                row.problem("maximum_age", "is below minimum_age \(minimumAge)")
            }
            let description = row.text("description")
            if description.count > 2000 { row.problem("description", "longer than 2000 characters") }
            problems += row.problems
            entries.append(
                ProviderEntry(
                    name: name, status: status, capacity: capacity, minimumAge: minimumAge, maximumAge: maximumAge,
                    description: description.isEmpty ? nil : description, services: services, areas: areas))
        }
        guard problems.isEmpty else { throw Problems(messages: problems) }
        return entries
    }

    /// The directory as CSV, in the column order above; `parse` reads it back to the same entries.
    public static func render(_ providers: [ProviderRecord]) -> String {
        var text = CSVCell.line(columns) + "\n"
        for provider in providers {
            func number(_ value: Int?) -> String { value.map { String($0) } ?? "" }
            let cells: [String] = [
                provider.name, HSDSStatus.hsds(provider.status), provider.services.joined(separator: ";"),
                provider.areas.joined(separator: ";"), number(provider.capacity), number(provider.minimumAge),
                number(provider.maximumAge), provider.description ?? "",
            ]
            // Names and descriptions are outside text: CSVCell neutralises formulas (`reading` undoes it).
            text += CSVCell.line(cells) + "\n"
        }
        return text
    }

    /// Reads the cells of one row by column name, collecting problems that name line and column.
    struct RowReader {
        let record: CSVRecords.Record
        let position: [String: Int]
        var problems: [String] = []

        init(record: CSVRecords.Record, position: [String: Int]) {
            self.record = record
            self.position = position
        }

        func text(_ column: String) -> String {
            guard let index = position[column], index < record.fields.count else { return "" }
            return CSVCell.reading(record.fields[index]).trimmingSpaces
        }

        func list(_ column: String) -> [String] {
            text(column).split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        }

        mutating func number(_ column: String, _ range: ClosedRange<Int>) -> Int? {
            let value = text(column)
            guard !value.isEmpty else { return nil }
            guard let number = Int(value), range.contains(number) else {
                problem(
                    column, "expected a whole number from \(range.lowerBound) to \(range.upperBound) (got \(value))")
                return nil
            }
            return number
        }

        mutating func problem(_ column: String, _ message: String) {
            problems.append("line \(record.line), column \(column): \(message)")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
