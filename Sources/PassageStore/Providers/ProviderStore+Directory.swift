import PassageCore
import Postgres

/// The provider directory whole, as the HSDS 3 data package carries it (`DirectoryProvider`):
/// the HSDS identifiers, when the capacity was stated, locations, phones and contacts.
extension ProviderStore {
    /// Every provider in name order, its locations, phones and contacts in id order.
    public func directory(on connection: PostgresConnection) throws -> [DirectoryProvider] {
        let records = try all(on: connection)
        var identifiers: [Int64: (String, String, String?)] = [:]
        for row in try connection.query(
            """
            SELECT id, organization_uuid::text, service_uuid::text,
                   CASE WHEN capacity IS NOT NULL
                        THEN to_char(coalesce(capacity_stated_at, updated_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END
              FROM providers
            """)
        {
            let (id, organization, service, stated) = try row.decode((Int64, String, String, String?).self)
            identifiers[id] = (organization, service, stated)
        }
        var locations: [Int64: [ProviderLocation]] = [:]
        for row in try connection.query(
            """
            SELECT provider_id, uuid::text, location_type, name, address_1, city, state_province, postal_code, country,
                   latitude::text, longitude::text
              FROM provider_locations ORDER BY provider_id, uuid
            """)
        {
            let (provider, id, type, name, street, city, state, postalCode, country, latitude, longitude) =
                try row.decode(
                    (Int64, String, String, String?, String?, String?, String?, String?, String?, String?, String?).self
                )
            var address: PostalAddress?
            if let street, let city, let state, let postalCode, let country {
                address = PostalAddress(
                    street: street, city: city, stateProvince: state, postalCode: postalCode, country: country)
            }
            locations[provider, default: []].append(
                ProviderLocation(
                    id: id, type: type, name: name, address: address, latitude: latitude, longitude: longitude))
        }
        var phones: [Int64: [ProviderPhone]] = [:]
        for row in try connection.query(
            """
            SELECT ph.provider_id, ph.uuid::text, l.uuid::text, ph.number, ph.extension, ph.type, ph.description
              FROM provider_phones ph LEFT JOIN provider_locations l ON l.id = ph.location_id
             ORDER BY ph.provider_id, ph.uuid
            """)
        {
            let (provider, id, location, number, extensionNumber, type, description) =
                try row.decode((Int64, String, String?, String, Int?, String?, String?).self)
            phones[provider, default: []].append(
                ProviderPhone(
                    id: id, locationID: location, number: number, extensionNumber: extensionNumber, type: type,
                    description: description))
        }
        var contacts: [Int64: [ProviderContact]] = [:]
        for row in try connection.query(
            "SELECT provider_id, uuid::text, name, title, department, email FROM provider_contacts ORDER BY provider_id, uuid"
        ) {
            let (provider, id, name, title, department, email) =
                try row.decode((Int64, String, String?, String?, String?, String?).self)
            contacts[provider, default: []].append(
                ProviderContact(id: id, name: name, title: title, department: department, email: email))
        }
        return records.map { record in
            let (organization, service, stated) = identifiers[record.id] ?? ("", "", nil)
            return DirectoryProvider(
                organizationID: organization, serviceID: service,
                entry: ProviderEntry(
                    name: record.name, status: record.status, capacity: record.capacity,
                    minimumAge: record.minimumAge, maximumAge: record.maximumAge, description: record.description,
                    services: record.services, areas: record.areas),
                capacityStated: stated, locations: locations[record.id] ?? [], phones: phones[record.id] ?? [],
                contacts: contacts[record.id] ?? [])
        }
    }

    /// Sets every provider of `providers` (each named by `entry.name`, as `put` does for an entry):
    /// the entry, its HSDS identifiers, and its locations, phones and contacts, replaced. Every
    /// provider's old locations, phones and contacts go before any new one is written, so a
    /// location may move between providers of the same package. An identifier that a provider
    /// outside the package holds is refused (`StoreError.invalid`); run it in one transaction.
    public func put(_ providers: [DirectoryProvider], on connection: PostgresConnection) throws {
        var ids: [Int64] = []
        for provider in providers {
            let id = try put(provider.entry, on: connection)
            ids.append(id)
            try refusingTakenIdentifiers(provider) {
                try connection.execute(
                    """
                    UPDATE providers
                       SET organization_uuid = \(provider.organizationID)::uuid, service_uuid = \(provider.serviceID)::uuid,
                           capacity_stated_at = CASE WHEN capacity IS NOT NULL THEN \(provider.capacityStated)::timestamptz END
                     WHERE id = \(id)
                    """)
            }
        }
        try connection.execute("DELETE FROM provider_phones WHERE provider_id = ANY(\(ids.map(Int.init)))")
        try connection.execute("DELETE FROM provider_contacts WHERE provider_id = ANY(\(ids.map(Int.init)))")
        try connection.execute("DELETE FROM provider_locations WHERE provider_id = ANY(\(ids.map(Int.init)))")
        for (provider, id) in zip(providers, ids) {
            try refusingTakenIdentifiers(provider) { try putContactPoints(provider, id, on: connection) }
        }
    }

    private func putContactPoints(_ provider: DirectoryProvider, _ id: Int64, on connection: PostgresConnection) throws
    {
        var locationRows: [String: Int64] = [:]
        for location in provider.locations {
            let address = location.address
            let rows = try connection.query(
                """
                INSERT INTO provider_locations (provider_id, uuid, location_type, name, address_1, city, state_province,
                                                postal_code, country, latitude, longitude)
                VALUES (\(id), \(location.id)::uuid, \(location.type), \(location.name), \(address?.street),
                        \(address?.city), \(address?.stateProvince), \(address?.postalCode), \(address?.country),
                        \(location.latitude)::numeric, \(location.longitude)::numeric)
                RETURNING id
                """)
            locationRows[location.id] = try rows[0].decode(Int64.self)
        }
        for phone in provider.phones {
            let location = phone.locationID.flatMap { locationRows[$0] }
            if let other = phone.locationID, location == nil {
                throw StoreError.invalid(
                    argument: "phone", message: "phone \(phone.id): location \(other) is not the provider's")
            }
            try connection.execute(
                """
                INSERT INTO provider_phones (provider_id, uuid, location_id, number, extension, type, description)
                VALUES (\(id), \(phone.id)::uuid, \(location), \(phone.number), \(phone.extensionNumber),
                        \(phone.type), \(phone.description))
                """)
        }
        for contact in provider.contacts {
            try connection.execute(
                """
                INSERT INTO provider_contacts (provider_id, uuid, name, title, department, email)
                VALUES (\(id), \(contact.id)::uuid, \(contact.name), \(contact.title), \(contact.department), \(contact.email))
                """)
        }
    }

    /// The service types with their meanings, by code (the package's taxonomy).
    public func serviceTypeTerms(on connection: PostgresConnection) throws -> [ServiceTypeTerm] {
        try connection.query("SELECT code, meaning FROM service_types ORDER BY code").map { row in
            let (code, meaning) = try row.decode((String, String).self)
            return ServiceTypeTerm(code: code, meaning: meaning)
        }
    }

    /// Runs `work`, turning the database's refusals into what the administrator can fix: an
    /// identifier of another provider's organization, service, location, phone or contact, or a
    /// value outside a column's check.
    private func refusingTakenIdentifiers(_ provider: DirectoryProvider, _ work: () throws -> Void) throws {
        do {
            try work()
        } catch let error as PostgresError where error.serverError?.kind == .uniqueViolation {
            let table = error.serverError?.table ?? "providers"
            throw StoreError.invalid(
                argument: "package",
                message:
                    "\(provider.entry.name): an identifier of its \(table.replacingOccurrences(of: "provider_", with: "")) is another provider's (\(error.serverError?.detail ?? "duplicate"))"
            )
        } catch let error as PostgresError where error.serverError?.kind == .checkViolation {
            throw StoreError.invalid(
                argument: "package",
                message: "\(provider.entry.name): a value is out of range (\(error.serverError?.constraint ?? "check"))"
            )
        }
    }
}
