import PassageCore
import Postgres

/// A provider's locations, phones and contacts set one by one (PROVIDER LOCATION|PHONE|CONTACT|
/// REMOVE and their API operations), beside the HSDS import that replaces them all
/// (`put(_: [DirectoryProvider])`). Each new entry gets a fresh package identifier, so the HSDS
/// export carries it and a partner's import of that export keeps it. Run each in one transaction.
extension ProviderStore {
    /// Provider `id` with its locations, phones and contacts in the order they were added.
    public func details(id: Int64, on connection: PostgresConnection) throws -> ProviderDetails {
        var details = ProviderDetails(provider: try find(id: id, on: connection))
        for row in try connection.query(
            """
            SELECT id, uuid::text, location_type, name, address_1, city, state_province, postal_code, country,
                   latitude::text, longitude::text
              FROM provider_locations WHERE provider_id = \(id) ORDER BY id
            """)
        {
            let (number, uuid, type, name, street, city, state, postalCode, country, latitude, longitude) =
                try row.decode(
                    (Int64, String, String, String?, String?, String?, String?, String?, String?, String?, String?).self
                )
            var address: PostalAddress?
            if let street, let city, let state, let postalCode, let country {
                address = PostalAddress(
                    street: street, city: city, stateProvince: state, postalCode: postalCode, country: country)
            }
            details.locations.append(
                Listed(
                    number: number,
                    item: ProviderLocation(
                        id: uuid, type: type, name: name, address: address, latitude: latitude, longitude: longitude)))
        }
        for row in try connection.query(
            """
            SELECT ph.id, ph.uuid::text, l.uuid::text, ph.number, ph.extension, ph.type, ph.description
              FROM provider_phones ph LEFT JOIN provider_locations l ON l.id = ph.location_id
             WHERE ph.provider_id = \(id) ORDER BY ph.id
            """)
        {
            let (number, uuid, location, phoneNumber, extensionNumber, type, description) =
                try row.decode((Int64, String, String?, String, Int?, String?, String?).self)
            details.phones.append(
                Listed(
                    number: number,
                    item: ProviderPhone(
                        id: uuid, locationID: location, number: phoneNumber, extensionNumber: extensionNumber,
                        type: type, description: description)))
        }
        for row in try connection.query(
            """
            SELECT id, uuid::text, name, title, department, email FROM provider_contacts
             WHERE provider_id = \(id) ORDER BY id
            """)
        {
            let (number, uuid, name, title, department, email) =
                try row.decode((Int64, String, String?, String?, String?, String?).self)
            details.contacts.append(
                Listed(
                    number: number,
                    item: ProviderContact(id: uuid, name: name, title: title, department: department, email: email)))
        }
        return details
    }

    /// Adds a location to provider `id`; returns its number.
    public func addLocation(_ location: ProviderLocation, to id: Int64, on connection: PostgresConnection) throws
        -> Int64
    {
        try lockProvider(id, on: connection)
        let address = location.address
        return try checked {
            try connection.query(
                """
                INSERT INTO provider_locations (provider_id, uuid, location_type, name, address_1, city, state_province,
                                                postal_code, country, latitude, longitude)
                VALUES (\(id), gen_random_uuid(), \(location.type), \(location.name), \(address?.street),
                        \(address?.city), \(address?.stateProvince), \(address?.postalCode), \(address?.country),
                        \(location.latitude)::numeric, \(location.longitude)::numeric)
                RETURNING id
                """)[0].decode(Int64.self)
        }
    }

    /// Adds a phone to provider `id`, at its location number `location` when given; returns its number.
    public func addPhone(
        _ phone: ProviderPhone, at location: Int64?, to id: Int64, on connection: PostgresConnection
    ) throws -> Int64 {
        try lockProvider(id, on: connection)
        if let location,
            try connection.query(
                "SELECT 1 FROM provider_locations WHERE id = \(location) AND provider_id = \(id)"
            ).isEmpty
        {
            throw StoreError.invalid(argument: "location", message: "provider \(id) has no location \(location)")
        }
        return try checked {
            try connection.query(
                """
                INSERT INTO provider_phones (provider_id, uuid, location_id, number, extension, type, description)
                VALUES (\(id), gen_random_uuid(), \(location), \(phone.number), \(phone.extensionNumber), \(phone.type),
                        \(phone.description))
                RETURNING id
                """)[0].decode(Int64.self)
        }
    }

    /// Adds a contact to provider `id`; returns its number.
    public func addContact(_ contact: ProviderContact, to id: Int64, on connection: PostgresConnection) throws
        -> Int64
    {
        try lockProvider(id, on: connection)
        return try checked {
            try connection.query(
                """
                INSERT INTO provider_contacts (provider_id, uuid, name, title, department, email)
                VALUES (\(id), gen_random_uuid(), \(contact.name), \(contact.title), \(contact.department), \(contact.email))
                RETURNING id
                """)[0].decode(Int64.self)
        }
    }

    /// Removes location, phone or contact `number` of provider `id`. A location with phones at it
    /// stays (the phones would lose where they are): remove them first.
    public func remove(
        _ kind: ContactPointKind, _ number: Int64, of id: Int64, on connection: PostgresConnection
    ) throws {
        try lockProvider(id, on: connection)
        let table: String =
            switch kind {
            case .location: "provider_locations"
            case .phone: "provider_phones"
            case .contact: "provider_contacts"
            }
        if kind == .location {
            let phones = try connection.query(
                "SELECT id FROM provider_phones WHERE location_id = \(number) AND provider_id = \(id) ORDER BY id"
            ).map { try $0.decode(Int64.self) }
            if !phones.isEmpty {
                throw StoreError.conflict(
                    "location \(number) has phone \(phones.map(String.init).joined(separator: ", ")): remove the phones first"
                )
            }
        }
        let removed = try connection.query(
            "DELETE FROM \(identifier: table) WHERE id = \(number) AND provider_id = \(id) RETURNING id")
        guard !removed.isEmpty else { throw StoreError.notFound("\(kind.rawValue) \(number) of provider \(id)") }
    }

    /// The provider row locked for the change (two administrators editing one provider take turns).
    private func lockProvider(_ id: Int64, on connection: PostgresConnection) throws {
        let rows = try connection.query("UPDATE providers SET updated_at = now() WHERE id = \(id) RETURNING id")
        guard !rows.isEmpty else { throw StoreError.notFound("provider \(id)") }
    }

    /// The database's checks, should a value pass the rules and fail them, as a bad argument.
    private func checked<T>(_ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as PostgresError where error.serverError?.kind == .checkViolation {
            throw StoreError.invalid(
                argument: "value", message: "a value is out of range (\(error.serverError?.constraint ?? "check"))")
        }
    }
}
