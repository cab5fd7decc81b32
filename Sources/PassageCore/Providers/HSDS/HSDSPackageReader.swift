import Foundation

extension HSDSPackage {
    /// Every problem of a package, each naming its file, line and column; an import with any
    /// imports nothing.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        public let messages: [String]
        public var description: String { messages.joined(separator: "\n") }
    }

    /// The tables a package must have; the others may be left out (no rows).
    static let requiredTables: Set<String> = ["organization", "service", "service_area", "taxonomy_term", "attribute"]

    /// The columns Passage reads or checks in each table; a value in any other column is refused,
    /// so that nothing of a partner's package is dropped without a word.
    static let readColumns: [String: Set<String>] = [
        "organization": ["id", "name", "description"],
        "service": [
            "id", "organization_id", "name", "description", "status", "minimum_age", "maximum_age",
        ],
        "service_area": ["id", "service_id", "name", "description"],
        "location": ["id", "location_type", "organization_id", "name", "latitude", "longitude"],
        "address": [
            "id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type",
        ],
        "service_at_location": ["id", "service_id", "location_id"],
        "phone": ["id", "location_id", "service_id", "organization_id", "number", "extension", "type", "description"],
        "contact": ["id", "organization_id", "service_id", "name", "title", "department", "email"],
        "taxonomy": ["id", "name", "description", "uri", "version"],
        "taxonomy_term": ["id", "code", "name", "description", "taxonomy", "language", "taxonomy_id", "term_uri"],
        "attribute": ["id", "link_id", "taxonomy_term_id", "link_entity"],
        "unit": ["id", "name", "scheme", "identifier", "uri"],
        "service_capacity": ["id", "service_id", "unit_id", "available", "maximum", "description", "updated"],
    ]

    /// Reads a package: `files` are the package directory's files by name (`datapackage.json` and
    /// its CSV files); `knownServices` the database's service type codes. Returns the providers in
    /// the order of the organization table, or every problem found.
    public static func parse(_ files: [String: String], knownServices: Set<String>) throws(Problems)
        -> [DirectoryProvider]
    {
        var problems: [String] = []
        let paths = try resourcePaths(files)
        var tables: [String: HSDSTable] = [:]
        for resource in HSDSSchema.resources {
            guard let path = paths[resource.name] else {
                if requiredTables.contains(resource.name) {
                    problems.append("\(descriptorFile): the package has no \(resource.name) table")
                }
                tables[resource.name] = HSDSTable(resource: resource, file: resource.path)
                continue
            }
            guard let text = files[path] else {
                problems.append("\(descriptorFile): \(resource.name)'s file \(path) is not in the package directory")
                tables[resource.name] = HSDSTable(resource: resource, file: path)
                continue
            }
            let table = HSDSTable(resource: resource, file: path, text: text, problems: &problems)
            let read = readColumns[resource.name] ?? []
            for row in table.rows {
                for (column, value) in row.values.sorted(by: { $0.key < $1.key })
                where !value.isEmpty && !read.contains(column) {
                    problems.append(
                        table.problem(
                            row.line, column, "Passage keeps no \(resource.name).\(column); leave it empty to import"))
                }
            }
            tables[resource.name] = table
        }
        // The tables are put together even when a cell has a problem, so that one run lists every
        // problem (a cell already named is not named again); not when a row could not be read, as
        // every link to it would be named too.
        if tables.values.contains(where: \.incomplete) { throw Problems(messages: problems) }
        var assembly = HSDSAssembly(tables: tables, knownServices: knownServices)
        let providers = assembly.providers()
        let named = Set(problems.map { $0.prefix { $0 != ":" } })
        problems += assembly.problems.filter { !named.contains($0.prefix { $0 != ":" }) }
        guard problems.isEmpty else { throw Problems(messages: problems) }
        return providers
    }

    /// The file of each HSDS table the descriptor lists; a table Passage does not keep, with rows,
    /// is a problem (its rows would be dropped).
    static func resourcePaths(_ files: [String: String]) throws(Problems) -> [String: String] {
        guard let text = files[descriptorFile] else {
            throw Problems(messages: ["\(descriptorFile) is missing: the directory is not a data package"])
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let descriptor = json as? [String: Any],
            let resources = descriptor["resources"] as? [[String: Any]]
        else {
            throw Problems(messages: ["\(descriptorFile): not a JSON object with a \"resources\" list"])
        }
        var problems: [String] = []
        var paths: [String: String] = [:]
        let known = Dictionary(uniqueKeysWithValues: HSDSSchema.resources.map { ($0.name, $0) })
        for (index, resource) in resources.enumerated() {
            guard let name = resource["name"] as? String, let path = resource["path"] as? String else {
                problems.append("\(descriptorFile): resource \(index + 1) needs a \"name\" and a \"path\" (one file)")
                continue
            }
            // Only files of the package directory itself: no directories, no way out of it.
            guard !path.contains("/"), !path.contains("\\"), !path.hasPrefix("."), path.hasSuffix(".csv") else {
                problems.append(
                    "\(descriptorFile): resource \(name)'s path \(path) must be a .csv file in the package directory")
                continue
            }
            if known[name] == nil {
                if let table = files[path], (try? CSVRecords.parse(table).count) ?? 2 > 1 {
                    problems.append(
                        "\(descriptorFile): Passage keeps no HSDS \(name) table, and \(path) has rows (remove them to import)"
                    )
                }
                continue
            }
            if paths[name] != nil {
                problems.append("\(descriptorFile): resource \(name) is listed twice")
            }
            paths[name] = path
        }
        guard problems.isEmpty else { throw Problems(messages: problems) }
        return paths
    }
}
