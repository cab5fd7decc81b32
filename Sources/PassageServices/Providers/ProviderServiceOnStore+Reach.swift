import PassageCore
import PassageStore
import Postgres

/// Where and how to reach a provider: read by casework and administrators, kept by
/// administrators, each change one transaction with its audit entry (subject the provider).
extension ProviderServiceOnStore {
    func details(of provider: Int64, by actor: Actor) async throws(ServiceError) -> ProviderDetails {
        try actor.require(.showProvider)
        let providers = self.providers
        return try await store.transaction(actor) { try providers.details(id: provider, on: $0) }
    }

    func addLocation(_ location: NewProviderLocation, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    {
        try actor.require(.addProviderLocation)
        let checked: ProviderLocation
        do throws(ContactPointProblem) {
            checked = try ContactPointRules.location(
                type: location.type, name: location.name, street: location.street, city: location.city,
                region: location.region, postalCode: location.postalCode, country: location.country,
                latitude: location.latitude, longitude: location.longitude)
        } catch { throw Self.refusal(error) }
        return try await adding(.providerLocationAdd, "location", to: provider, by: actor) { connection in
            try self.providers.addLocation(checked, to: provider, on: connection)
        }
    }

    func addPhone(_ phone: NewProviderPhone, to provider: Int64, by actor: Actor) async throws(ServiceError) -> Int64 {
        try actor.require(.addProviderPhone)
        let checked: ProviderPhone
        do throws(ContactPointProblem) {
            checked = try ContactPointRules.phone(
                number: phone.number, extensionNumber: phone.extensionNumber, type: phone.type,
                description: phone.description)
        } catch { throw Self.refusal(error) }
        return try await adding(.providerPhoneAdd, "phone", to: provider, by: actor) { connection in
            try self.providers.addPhone(checked, at: phone.location, to: provider, on: connection)
        }
    }

    func addContact(_ contact: NewProviderContact, to provider: Int64, by actor: Actor) async throws(ServiceError)
        -> Int64
    {
        try actor.require(.addProviderContact)
        let checked: ProviderContact
        do throws(ContactPointProblem) {
            checked = try ContactPointRules.contact(
                name: contact.name, title: contact.title, department: contact.department, email: contact.email)
        } catch { throw Self.refusal(error) }
        return try await adding(.providerContactAdd, "contact", to: provider, by: actor) { connection in
            try self.providers.addContact(checked, to: provider, on: connection)
        }
    }

    func remove(_ kind: ContactPointKind, _ number: Int64, of provider: Int64, by actor: Actor)
        async throws(ServiceError)
    {
        try actor.require(.removeProviderContactPoint)
        let providers = self.providers
        let action: AuditAction =
            switch kind {
            case .location: .providerLocationRemove
            case .phone: .providerPhoneRemove
            case .contact: .providerContactRemove
            }
        try await store.transaction(actor) { connection in
            try providers.remove(kind, number, of: provider, on: connection)
            try AuditLog.append(
                actor: actor.name, action: action, subject: "provider:\(provider)", source: actor.source,
                detail: "\(kind.rawValue) \(number)", on: connection)
        }
    }

    /// One addition and its audit entry (the detail names the new entry's number), in one transaction.
    private func adding(
        _ action: AuditAction, _ noun: String, to provider: Int64, by actor: Actor,
        _ add: @escaping @Sendable (PostgresConnection) throws -> Int64
    ) async throws(ServiceError) -> Int64 {
        try await store.transaction(actor) { connection in
            let number = try add(connection)
            try AuditLog.append(
                actor: actor.name, action: action, subject: "provider:\(provider)", source: actor.source,
                detail: "\(noun) \(number)", on: connection)
            return number
        }
    }

    /// A value the rules refuse, as the bad argument it is (501 on the console, 400 over HTTP).
    private static func refusal(_ problem: ContactPointProblem) -> ServiceError {
        .badArgument(argument: problem.argument, message: problem.message)
    }
}
