import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// ProviderService over a real PostgreSQL: registering (audited as add or attach), the
/// directory with its filters and bulk-read budget, and the all-or-nothing CSV import.
@Suite("Provider service")
struct ProviderServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("adm", .admin, "ngo-a"), ("amina", .caseworker, "ngo-a"),
    ]

    @Test("registering a provider writes provider.add; the same organisation again attaches with provider.attach")
    func register() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let providers = fixture.services.providers
            let first = try await providers.register(
                NewProvider(name: "Casa", services: ["health"], areas: ["CO-ANT"], capacity: 5), by: admin)
            #expect(first.created && first.provider.services == ["health"] && first.provider.capacity == 5)
            let second = try await providers.register(
                NewProvider(name: "Casa", services: ["cash"], areas: ["CO-BOL"]), by: admin)
            #expect(!second.created && second.provider.id == first.provider.id)
            #expect(
                second.provider.services == ["cash", "health"] && second.provider.areas == ["CO-ANT", "CO-BOL"]
                    && second.provider.capacity == 5)
            #expect(
                try await fixture.audit(.providerAdd) == [
                    .init(
                        actor: "adm", action: "provider.add", subject: "provider:\(first.provider.id)",
                        source: "192.0.2.7",
                        detail: "Casa: services health areas CO-ANT")
                ])
            #expect(try await fixture.audit(.providerAttach).map(\.detail) == ["Casa: services cash areas CO-BOL"])
            // A bad area refuses the whole registration.
            await #expect(throws: ServiceError.self) {
                _ = try await providers.register(
                    NewProvider(name: "Otra", services: ["health"], areas: ["Antioquia"]), by: admin)
            }
            #expect(try await fixture.count("SELECT count(*) FROM organisations WHERE name = 'Otra'") == 0)
            #expect(try await fixture.count("SELECT count(*) FROM audit_log WHERE action LIKE 'provider.%'") == 2)
        }
    }

    @Test("the directory by service and area (a subdivision or a whole country); a bad area is refused; a bulk read")
    func directory() async throws {
        let clock = ManualClock()
        try await ServiceFixture.with(
            bulkReads: BulkReadLimit(rowsPerMinute: 10, now: { clock.now }), accounts: Self.accounts
        ) { fixture in
            let admin = try await fixture.actor("adm")
            let providers = fixture.services.providers
            _ = try await providers.register(
                NewProvider(name: "Norte", services: ["health"], areas: ["CO-ANT"]), by: admin)
            _ = try await providers.register(NewProvider(name: "Sur", services: ["cash"], areas: ["MX-CHP"]), by: admin)
            let amina = try await fixture.actor("amina")
            #expect(try await providers.directory(ProviderFilter(), by: amina).map(\.name) == ["Norte", "Sur"])
            #expect(try await providers.directory(ProviderFilter(area: "CO"), by: amina).map(\.name) == ["Norte"])
            #expect(
                try await providers.directory(ProviderFilter(service: .cash, area: "MX-CHP"), by: amina).map(\.name)
                    == ["Sur"])
            await #expect(
                throws: ServiceError.badArgument(
                    argument: "area",
                    message: "expected an ISO 3166-2 code like CO-ANT or a country like CO (got XX-1)")
            ) {
                _ = try await providers.directory(ProviderFilter(area: "XX-1"), by: amina)
            }
            // 3 + 2 + 2 of 10 tokens spent (a call and its rows); the refused call cost nothing. The
            // next full list empties the bucket, and the one after waits.
            _ = try await providers.directory(ProviderFilter(), by: amina)
            await #expect { _ = try await providers.directory(ProviderFilter(), by: amina) } throws: { error in
                if case ServiceError.busy(let text) = error {
                    text.hasPrefix("bulk-read limit: 10 rows a minute per user")
                } else {
                    false
                }
            }
        }
    }

    @Test(
        "a CSV import is all or nothing: problems listed and nothing written, or every row set with one provider.import entry"
    )
    func importDirectory() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let providers = fixture.services.providers
            let bad = "organization_name,service_types,service_areas\nNuevo,health;astrology,CO-ANT\nOtro,,Antioquia\n"
            guard
                case .refused(let problems) = try await providers.importDirectory(csv: bad, file: "bad.csv", by: admin)
            else {
                Issue.record("a file with problems was imported")
                return
            }
            #expect(problems.contains { $0.contains("line 2, column service_types: unknown service type astrology") })
            #expect(problems.contains { $0.contains("line 3, column service_areas") })
            #expect(try await fixture.count("SELECT count(*) FROM providers") == 0)
            #expect(try await fixture.audit(.providerImport).isEmpty)
            let good =
                "organization_name,service_types,service_areas,capacity\nNorte,health;psychosocial,CO-ANT,20\nSur,cash,MX-CHP,\n"
            #expect(try await providers.importDirectory(csv: good, file: "good.csv", by: admin) == .imported(count: 2))
            #expect(
                try await fixture.audit(.providerImport) == [
                    .init(
                        actor: "adm", action: "provider.import", subject: "file:good.csv", source: "192.0.2.7",
                        detail: "")
                ])
            #expect(try await providers.everyProvider(by: admin).map(\.name) == ["Norte", "Sur"])
        }
    }
}
