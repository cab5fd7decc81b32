import Foundation
import PassageCore
import PassageStore
import Postgres

/// `PROVIDER ADD|LIST`: the service directory. Administrators register providers; casework
/// users read the directory to choose where to refer.
struct ProviderHandlers: Sendable {
    let store: StoreCall
    let providers: ProviderStore

    func add(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        let admin = try invocation.signedInUser()
        let name = try invocation.text("name")
        let services = invocation.list("services") ?? []
        let areas = invocation.list("areas") ?? []
        let capacity = invocation.optionalInt("capacity")
        let providers = self.providers
        let (provider, created) = try await store.transaction { connection in
            let (provider, created) = try providers.add(name: name, services: services, areas: areas, capacity: capacity, on: connection)
            try AuditLog.append(actor: admin.name, action: created ? .providerAdd : .providerAttach, subject: "provider:\(provider.id)",
                                source: session.source,
                                detail: "\(name): services \(services.joined(separator: ",")) areas \(areas.joined(separator: ","))",
                                on: connection)
            return (provider, created)
        }
        return .ok([ReplyField("provider", .int(Int(provider.id)))], message: created ? nil : "attached")
    }

    func list(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        _ = try invocation.signedInUser()
        let service = invocation.optionalText("service")
        let area = invocation.optionalText("area")
        if let area, SubdivisionCode(area) == nil, CountryCode(area) == nil {
            throw ConsoleError.badArgument(argument: "area", message: "expected an ISO 3166-2 code like CO-ANT or a country like CO (got \(area))")
        }
        let providers = self.providers
        let list = try await store.transaction { try providers.list(service: service, area: area, on: $0) }
        let rows: [[ReplyValue]] = list.map { provider in
            let ages = provider.minimumAge == nil && provider.maximumAge == nil ? "any"
                : "\(provider.minimumAge.map(String.init) ?? "0")-\(provider.maximumAge.map(String.init) ?? "")"
            return [.int(Int(provider.id)), .string(provider.name), .string(provider.status),
                    .string(provider.services.joined(separator: ",")), .string(provider.areas.joined(separator: ",")),
                    provider.capacity.map(ReplyValue.int) ?? .null, .string(ages)]
        }
        return .data(.table("providers", columns: ["provider", "name", "status", "services", "areas", "capacity", "ages"], rows: rows))
    }
}
