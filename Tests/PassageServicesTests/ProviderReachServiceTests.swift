import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// ProviderService's locations, phones and contacts over a real PostgreSQL: the service itself
/// refuses roles the use case does not allow (whatever interface calls it), a refused value writes
/// nothing and no audit entry, and each addition is one transaction with its audit entry.
@Suite("Provider locations, phones and contacts (service)")
struct ProviderReachServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("adm", .admin, "ngo-a"), ("amina", .caseworker, "ngo-a"), ("ana", .analyst, "ngo-a"),
    ]

    @Test(
        "administrators add and remove, casework reads, others are refused by the service; audited; refusals write nothing"
    )
    func addReadRemove() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let amina = try await fixture.actor("amina")
            let analyst = try await fixture.actor("ana")
            let providers = fixture.services.providers
            let id = try await providers.register(
                NewProvider(name: "Norte", services: ["health"], areas: ["CO-ANT"]), by: admin
            ).provider.id

            await #expect(throws: ServiceError.self) {
                _ = try await providers.addPhone(NewProviderPhone(number: "+57 604 444 1234"), to: id, by: amina)
            }
            await #expect(throws: ServiceError.self) { _ = try await providers.details(of: id, by: analyst) }
            do {
                _ = try await providers.addContact(NewProviderContact(email: "not an address"), to: id, by: admin)
                Issue.record("a bad email was accepted")
            } catch {
                guard case .badArgument(let argument, _)? = error as? ServiceError else {
                    Issue.record("\(error)")
                    return
                }
                #expect(argument == "email")
            }
            #expect(try await fixture.count("SELECT count(*) FROM provider_contacts") == 0)
            #expect(try await fixture.audit(.providerContactAdd).isEmpty)

            let location = try await providers.addLocation(
                NewProviderLocation(name: "Sede", latitude: "6.2", longitude: "-75.5"), to: id, by: admin)
            let phone = try await providers.addPhone(
                NewProviderPhone(number: "604 444 1234", type: "voice", location: location), to: id, by: admin)
            let details = try await providers.details(of: id, by: amina)
            #expect(details.locations.map(\.number) == [location])
            #expect(details.locations.first?.item.latitude == "6.200000")
            #expect(details.phones.first.map { details.location(of: $0.item) } == location)
            #expect(details.locations.first?.item.id.count == 36)  // a UUID: the HSDS package's id
            #expect(try await fixture.audit(.providerPhoneAdd).map(\.detail) == ["phone \(phone)"])
            #expect(try await fixture.audit(.providerPhoneAdd).map(\.actor) == ["adm"])

            await #expect(throws: ServiceError.self) { try await providers.remove(.phone, phone, of: id, by: amina) }
            try await providers.remove(.phone, phone, of: id, by: admin)
            try await providers.remove(.location, location, of: id, by: admin)
            #expect(try await providers.details(of: id, by: admin).locations.isEmpty)
            #expect(try await fixture.audit(.providerLocationRemove).map(\.subject) == ["provider:\(id)"])
        }
    }
}
