import PassageCore
import PassageStore
import Postgres

/// ProviderService over PassageStore: each use case one transaction with its audit entry. The
/// directory is not organisation data, so no organisation scope is entered.
struct ProviderServiceOnStore: ProviderService {
    let store: StoreWork
    let providers: ProviderStore
    let bulkReads: BulkReadLimit?

    func register(_ provider: NewProvider, by actor: Actor) async throws(ServiceError) -> ProviderRegistration {
        try actor.require(.registerProvider)
        let providers = self.providers
        return try await store.transaction(actor) { connection in
            let (record, created) = try providers.add(
                name: provider.name, services: provider.services, areas: provider.areas,
                capacity: provider.capacity, on: connection)
            try AuditLog.append(
                actor: actor.name, action: created ? .providerAdd : .providerAttach, subject: "provider:\(record.id)",
                source: actor.source,
                detail:
                    "\(provider.name): services \(provider.services.joined(separator: ",")) areas \(provider.areas.joined(separator: ","))",
                on: connection)
            return ProviderRegistration(provider: record, created: created)
        }
    }

    func directory(_ filter: ProviderFilter, by actor: Actor) async throws(ServiceError) -> [ProviderRecord] {
        try actor.require(.listProviders)
        let providers = self.providers
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [ProviderRecord] in
            if let area = filter.area, SubdivisionCode(area) == nil, CountryCode(area) == nil {
                throw .badArgument(
                    argument: "area",
                    message: "expected an ISO 3166-2 code like CO-ANT or a country like CO (got \(area))")
            }
            return try await store.transaction(actor) {
                try providers.list(
                    service: filter.service?.rawValue, area: filter.area, after: filter.after, limit: filter.limit,
                    on: $0)
            }
        }
    }

    func importDirectory(csv text: String, file: String, by actor: Actor) async throws(ServiceError) -> ProviderImport {
        try actor.require(.registerProvider)
        let providers = self.providers
        return try await store.transaction(actor) { connection -> ProviderImport in
            let known = try providers.serviceTypes(on: connection)
            let entries: [ProviderEntry]
            do throws(ProviderCSV.Problems) {
                entries = try ProviderCSV.parse(text, knownServices: known)
            } catch {
                // Nothing was written: the transaction commits only the read.
                return .refused(problems: error.messages)
            }
            for entry in entries { _ = try providers.put(entry, on: connection) }
            try AuditLog.append(
                actor: actor.name, action: .providerImport, subject: "file:\(file)", source: actor.source,
                on: connection)
            return .imported(count: entries.count)
        }
    }

    func exportPackage(by actor: Actor) async throws(ServiceError) -> [String: String] {
        try actor.require(.listProviders)
        let providers = self.providers
        let (directory, terms) = try await store.transaction(actor) { connection in
            (try providers.directory(on: connection), try providers.serviceTypeTerms(on: connection))
        }
        return HSDSPackage.render(directory, serviceTypes: terms, derivedID: NameBasedUUID.hsds)
    }

    func importPackage(_ files: [String: String], package: String, by actor: Actor) async throws(ServiceError)
        -> ProviderImport
    {
        try actor.require(.registerProvider)
        let providers = self.providers
        return try await store.transaction(actor) { connection -> ProviderImport in
            let known = try providers.serviceTypes(on: connection)
            let directory: [DirectoryProvider]
            do throws(HSDSPackage.Problems) {
                directory = try HSDSPackage.parse(files, knownServices: known)
            } catch {
                return .refused(problems: error.messages)
            }
            // Any refusal below (an identifier another provider holds) rolls the whole package back.
            try providers.put(directory, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .providerImport, subject: "package:\(package)", source: actor.source,
                on: connection)
            return .imported(count: directory.count)
        }
    }

    func everyProvider(by actor: Actor) async throws(ServiceError) -> [ProviderRecord] {
        try actor.require(.listProviders)
        let providers = self.providers
        return try await store.transaction(actor) { try providers.all(on: $0) }
    }
}
