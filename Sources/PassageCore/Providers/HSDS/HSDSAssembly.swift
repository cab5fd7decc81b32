/// Puts a checked package's tables together into providers, checking what crosses tables: every
/// link points at a row of the package, one service per organization, each service with its
/// service types (terms of Passage's taxonomy) and ISO 3166-2 areas, locations, phones and
/// contacts of the same provider as what they are linked to, capacity in open referrals.
struct HSDSAssembly {
    let tables: [String: HSDSTable]
    let knownServices: Set<String>
    private(set) var problems: [String] = []

    init(tables: [String: HSDSTable], knownServices: Set<String>) {
        self.tables = tables
        self.knownServices = knownServices
    }

    private func rows(_ name: String) -> [HSDSTable.Row] { tables[name]?.rows ?? [] }

    private mutating func problem(_ table: String, _ row: HSDSTable.Row, _ column: String, _ message: String) {
        let file = tables[table]?.file ?? table
        problems.append("\(file) line \(row.line), column \(column): \(message)")
    }

    mutating func providers() -> [DirectoryProvider] {
        // Organizations, by id, in file order.
        var order: [String] = []
        var names: [String: Int] = [:]
        var providers: [String: DirectoryProvider] = [:]
        for row in rows("organization") {
            let name = row["name"]
            if name.count > 200 {
                problem("organization", row, "name", "must be 1 to 200 characters")
            } else if let line = names[name] {
                problem("organization", row, "name", "\(name) is already on line \(line)")
            } else {
                names[name] = row.line
            }
            order.append(row["id"])
            providers[row["id"]] = DirectoryProvider(
                organizationID: row["id"], serviceID: "", entry: ProviderEntry(name: name, services: [], areas: []))
        }
        // One service per organization: it carries the provider's status, ages and description.
        var organizationOfService: [String: String] = [:]
        for row in rows("service") {
            let organization = row["organization_id"]
            guard var provider = providers[organization] else {
                problem("service", row, "organization_id", "no organization \(organization) in the package")
                continue
            }
            guard provider.serviceID.isEmpty else {
                problem(
                    "service", row, "organization_id",
                    "organization \(organization) already has service \(provider.serviceID): Passage keeps one service per provider organization"
                )
                continue
            }
            provider.serviceID = row["id"]
            provider.entry.status = HSDSStatus.passage(row["status"]) ?? "active"
            provider.entry.minimumAge = age(row, "minimum_age")
            provider.entry.maximumAge = age(row, "maximum_age")
            if let minimum = provider.entry.minimumAge, let maximum = provider.entry.maximumAge, minimum > maximum {
                problem("service", row, "maximum_age", "is below minimum_age \(minimum)")
            }
            if row["name"].count > 200 { problem("service", row, "name", "longer than 200 characters") }
            let description = row.optional("description")
            if let description, description.count > 2000 {
                problem("service", row, "description", "longer than 2000 characters")
            }
            provider.entry.description = description
            organizationOfService[row["id"]] = organization
            providers[organization] = provider
        }
        for id in order where providers[id]?.serviceID.isEmpty == true {
            let row = rows("organization").first { $0["id"] == id }!
            problem("organization", row, "id", "organization \(id) has no service (a provider offers one)")
        }
        serviceTypes(&providers, organizationOfService)
        areas(&providers, organizationOfService)
        capacities(&providers, organizationOfService)
        let locationOwner = locations(&providers, organizationOfService)
        phones(&providers, organizationOfService, locationOwner)
        contacts(&providers, organizationOfService)
        for id in order {
            guard let provider = providers[id], !provider.serviceID.isEmpty else { continue }
            let row = rows("organization").first { $0["id"] == id }!
            if provider.entry.services.isEmpty {
                problem("organization", row, "id", "\(provider.entry.name)'s service has no service type (attribute)")
            }
            if provider.entry.areas.isEmpty {
                problem("organization", row, "id", "\(provider.entry.name)'s service has no service_area")
            }
        }
        return order.compactMap { providers[$0] }.map { provider in
            var provider = provider
            provider.entry.services.sort()
            provider.entry.areas.sort()
            return provider
        }
    }

    private mutating func age(_ row: HSDSTable.Row, _ column: String) -> Int? {
        guard let value = row.optional(column) else { return nil }
        guard let number = Double(value), number == number.rounded(), (0...130).contains(number) else {
            problem("service", row, column, "expected a whole number of years from 0 to 130 (got \(value))")
            return nil
        }
        return Int(number)
    }

    /// Service types: attribute rows linking a service to a term whose code is one of Passage's.
    private mutating func serviceTypes(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String]
    ) {
        var codes: [String: String] = [:]
        for row in rows("taxonomy_term") {
            guard let code = row.optional("code") else {
                problem("taxonomy_term", row, "code", "a term linked to a service needs its service type code")
                continue
            }
            if !knownServices.contains(code) {
                problem(
                    "taxonomy_term", row, "code",
                    "unknown service type \(code) (Passage's: \(knownServices.sorted().joined(separator: ", ")))")
            }
            codes[row["id"]] = code
        }
        for row in rows("attribute") {
            guard row["link_entity"] == "service" else {
                problem(
                    "attribute", row, "link_entity",
                    "Passage reads service types of services only (got \(row["link_entity"]))")
                continue
            }
            guard let organization = organizationOfService[row["link_id"]] else {
                problem("attribute", row, "link_id", "no service \(row["link_id"]) in the package")
                continue
            }
            guard let code = codes[row["taxonomy_term_id"]] else {
                problem(
                    "attribute", row, "taxonomy_term_id", "no taxonomy_term \(row["taxonomy_term_id"]) in the package")
                continue
            }
            if providers[organization]!.entry.services.contains(code) {
                problem("attribute", row, "taxonomy_term_id", "service type \(code) is already linked to that service")
            } else {
                providers[organization]!.entry.services.append(code)
            }
        }
    }

    /// Areas: service_area rows named by an ISO 3166-2 code.
    private mutating func areas(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String]
    ) {
        for row in rows("service_area") {
            guard let organization = organizationOfService[row["service_id"]] else {
                problem(
                    "service_area", row, "service_id", "needs a service of the package (got \"\(row["service_id"])\")")
                continue
            }
            let area = row["name"]
            guard SubdivisionCode(area) != nil else {
                problem("service_area", row, "name", "\"\(area)\" is not an ISO 3166-2 code like CO-ANT")
                continue
            }
            if providers[organization]!.entry.areas.contains(area) {
                problem("service_area", row, "name", "\(area) is already an area of that service")
            } else {
                providers[organization]!.entry.areas.append(area)
            }
        }
    }

    /// Capacity: one service_capacity row per service, in the unit "open referral".
    private mutating func capacities(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String]
    ) {
        let unit = HSDSPackage.capacityUnit
        var referralUnits: Set<String> = []
        for row in rows("unit") {
            if row["identifier"] == unit.identifier && row["scheme"] == unit.scheme { referralUnits.insert(row["id"]) }
        }
        var stated: Set<String> = []
        for row in rows("service_capacity") {
            guard let organization = organizationOfService[row["service_id"]] else {
                problem("service_capacity", row, "service_id", "no service \(row["service_id"]) in the package")
                continue
            }
            guard referralUnits.contains(row["unit_id"]) else {
                problem(
                    "service_capacity", row, "unit_id",
                    "Passage keeps capacity in open referrals: the unit must have scheme \(unit.scheme) and identifier \(unit.identifier)"
                )
                continue
            }
            guard stated.insert(organization).inserted else {
                problem("service_capacity", row, "service_id", "that service's capacity is already stated")
                continue
            }
            let column = row.optional("maximum") == nil ? "available" : "maximum"
            let value = row[column]
            guard let number = Double(value), number == number.rounded(), (0...1_000_000).contains(number) else {
                problem("service_capacity", row, column, "expected a whole number from 0 to 1000000 (got \(value))")
                continue
            }
            providers[organization]!.entry.capacity = Int(number)
            providers[organization]!.capacityStated = HSDSDateTime.utc(row["updated"])
        }
    }

    /// Locations (with their address), each of one organization; returns each location's organization.
    private mutating func locations(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String]
    ) -> [String: String] {
        var owner: [String: String] = [:]
        var index: [String: Int] = [:]
        for row in rows("location") {
            let organization = row["organization_id"]
            guard providers[organization] != nil else {
                problem(
                    "location", row, "organization_id", "needs an organization of the package (got \"\(organization)\")"
                )
                continue
            }
            var location = ProviderLocation(id: row["id"], type: row["location_type"], name: row.optional("name"))
            if let name = location.name, name.count > 200 {
                problem("location", row, "name", "longer than 200 characters")
            }
            let latitude = row.optional("latitude")
            let longitude = row.optional("longitude")
            if (latitude == nil) != (longitude == nil) {
                problem(
                    "location", row, latitude == nil ? "latitude" : "longitude", "latitude and longitude go together")
            } else if let latitude, let longitude {
                location.latitude = coordinate(row, "latitude", latitude, limit: 90)
                location.longitude = coordinate(row, "longitude", longitude, limit: 180)
            }
            owner[location.id] = organization
            index[location.id] = providers[organization]!.locations.count
            providers[organization]!.locations.append(location)
        }
        var addressed: Set<String> = []
        for row in rows("address") {
            let id = row["location_id"]
            guard let organization = owner[id], let position = index[id] else {
                problem("address", row, "location_id", "needs a location of the package (got \"\(id)\")")
                continue
            }
            guard addressed.insert(id).inserted else {
                problem("address", row, "location_id", "location \(id) already has an address: Passage keeps one")
                continue
            }
            let location = providers[organization]!.locations[position]
            if row["address_type"] != location.type {
                problem(
                    "address", row, "address_type",
                    "must be the location's type \(location.type) (got \(row["address_type"]))")
            }
            for (column, limit) in [("address_1", 200), ("city", 100), ("state_province", 100), ("postal_code", 20)]
            where row[column].count > limit {
                problem("address", row, column, "longer than \(limit) characters")
            }
            if CountryCode(row["country"]) == nil {
                problem("address", row, "country", "\"\(row["country"])\" is not an ISO 3166-1 alpha-2 code like CO")
            }
            providers[organization]!.locations[position].address = PostalAddress(
                street: row["address_1"], city: row["city"], stateProvince: row["state_province"],
                postalCode: row["postal_code"], country: row["country"])
        }
        for row in rows("service_at_location") {
            guard let organization = organizationOfService[row["service_id"]] else {
                problem("service_at_location", row, "service_id", "no service \(row["service_id"]) in the package")
                continue
            }
            guard let locationOwner = owner[row["location_id"]] else {
                problem("service_at_location", row, "location_id", "no location \(row["location_id"]) in the package")
                continue
            }
            if locationOwner != organization {
                problem(
                    "service_at_location", row, "location_id",
                    "the location belongs to another organization than the service (Passage serves at its own locations)"
                )
            }
        }
        return owner
    }

    /// A coordinate as the database keeps it: six decimal places.
    private mutating func coordinate(_ row: HSDSTable.Row, _ column: String, _ value: String, limit: Double) -> String?
    {
        guard let degrees = ContactPointRules.coordinate(value, limit: limit) else {
            problem(
                "location", row, column,
                "expected decimal degrees from -\(Int(limit)) to \(Int(limit)) with at most 6 decimal places (got \(value))"
            )
            return nil
        }
        return degrees
    }

    /// The organization a phone or contact row belongs to, from its organization_id and service_id
    /// (and location_id for phones), which must agree.
    private mutating func owner(
        _ table: String, _ row: HSDSTable.Row, _ organizationOfService: [String: String],
        _ locationOwner: [String: String], providers: [String: DirectoryProvider]
    ) -> String? {
        var owners: [(column: String, organization: String?)] = []
        if let id = row.optional("organization_id") {
            owners.append(("organization_id", providers[id] == nil ? nil : id))
        }
        if let id = row.optional("service_id") { owners.append(("service_id", organizationOfService[id])) }
        if table == "phone", let id = row.optional("location_id") { owners.append(("location_id", locationOwner[id])) }
        guard !owners.isEmpty else {
            problem(table, row, "organization_id", "needs the organization (or service) it belongs to")
            return nil
        }
        for (column, organization) in owners where organization == nil {
            problem(table, row, column, "no \(column.dropLast(3)) \(row[column]) in the package")
            return nil
        }
        let organization = owners[0].organization!
        if owners.contains(where: { $0.organization != organization }) {
            problem(table, row, owners[1].column, "belongs to another organization than \(owners[0].column)")
            return nil
        }
        return organization
    }

    private mutating func phones(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String],
        _ locationOwner: [String: String]
    ) {
        for row in rows("phone") {
            guard
                let organization = owner(
                    "phone", row, organizationOfService, locationOwner, providers: providers)
            else { continue }
            let number = row["number"]
            if !HSDSPhone.isPlausible(number) {
                problem(
                    "phone", row, "number",
                    "expected 3 to 30 digits, spaces or ( ) . / -, optionally after a + (got \(number))")
            }
            var extensionNumber: Int?
            if let value = row.optional("extension") {
                if let number = Int(value), (0...99_999_999).contains(number) {
                    extensionNumber = number
                } else {
                    problem("phone", row, "extension", "expected a whole number up to 8 digits (got \(value))")
                }
            }
            let type = row.optional("type")
            if let type, !ProviderPhone.types.contains(type) {
                problem(
                    "phone", row, "type", "must be one of \(ProviderPhone.types.joined(separator: ", ")) (got \(type))")
            }
            let description = row.optional("description")
            if let description, description.count > 200 {
                problem("phone", row, "description", "longer than 200 characters")
            }
            providers[organization]!.phones.append(
                ProviderPhone(
                    id: row["id"], locationID: row.optional("location_id"), number: number,
                    extensionNumber: extensionNumber, type: type, description: description))
        }
    }

    private mutating func contacts(
        _ providers: inout [String: DirectoryProvider], _ organizationOfService: [String: String]
    ) {
        for row in rows("contact") {
            guard let organization = owner("contact", row, organizationOfService, [:], providers: providers) else {
                continue
            }
            let contact = ProviderContact(
                id: row["id"], name: row.optional("name"), title: row.optional("title"),
                department: row.optional("department"), email: row.optional("email"))
            if contact.name == nil && contact.title == nil && contact.department == nil && contact.email == nil {
                problem("contact", row, "name", "a contact needs a name, title, department or email")
            }
            for column in ["name", "title", "department"] where row[column].count > 200 {
                problem("contact", row, column, "longer than 200 characters")
            }
            providers[organization]!.contacts.append(contact)
        }
    }
}

/// The same rule as the database's check on provider_phones.number.
enum HSDSPhone {
    static func isPlausible(_ number: String) -> Bool {
        var rest = Substring(number)
        if rest.first == "+" { rest = rest.dropFirst() }
        guard let first = rest.first, first.isASCIIDigit, (3...30).contains(rest.count) else { return false }
        return rest.allSatisfy { $0.isASCIIDigit || " ().-/".contains($0) }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
