import Foundation
import PassageCore
import PassageServices
import TestSupport
import Testing

/// ProviderService's HSDS 3 data package over a real PostgreSQL: who may export and import, the
/// one audit entry of an import, nothing written by a refused package, and the same bytes from
/// the same directory. (frictionless validation and the CLI: Tests/Shell/provider-hsds.sh.)
@Suite("Provider directory as an HSDS package")
struct ProviderPackageServiceTests {
    static let accounts: [(name: String, role: Role, organisation: String)] = [
        ("adm", .admin, "ngo-a"), ("amina", .caseworker, "ngo-a"),
    ]

    @Test(
        "export and import: casework reads, only administrators import; one provider.import entry; a refused package writes nothing"
    )
    func exportAndImport() async throws {
        try await ServiceFixture.with(accounts: Self.accounts) { fixture in
            let admin = try await fixture.actor("adm")
            let amina = try await fixture.actor("amina")
            let providers = fixture.services.providers
            _ = try await providers.register(
                NewProvider(name: "Norte", services: ["health"], areas: ["CO-ANT"], capacity: 4), by: admin)
            let first = try await providers.exportPackage(by: amina)
            #expect(try await providers.exportPackage(by: admin) == first)
            #expect(first["services.csv"]?.contains(",Norte,,,,,active,") == true)
            #expect(first["service_capacity.csv"]?.split(separator: "\n").count == 2)

            // A location with an address and a phone added to the package, as a partner would.
            let organization = try #require(
                first["organizations.csv"]?.split(separator: "\n")[1].split(separator: ",")[0])
            var files = first
            files["locations.csv"]! +=
                "4f1c2d3e-0000-4000-8000-00000000000a,physical,,\(organization),Sede,,,,6.2,-75.5,,\n"
            files["phones.csv"]! += "4f1c2d3e-0000-4000-8000-00000000000b,,,\(organization),,,604 444 1234,,voice,\n"
            await #expect(throws: ServiceError.self) {
                _ = try await providers.importPackage(files, package: "partner", by: amina)
            }
            var bad = files
            bad["phones.csv"]! += "4f1c2d3e-0000-4000-8000-00000000000c,,,\(organization),,,call us,,,\n"
            guard case .refused(let problems) = try await providers.importPackage(bad, package: "bad", by: admin) else {
                Issue.record("a package with problems was imported")
                return
            }
            #expect(
                problems == [
                    "phones.csv line 3, column number: expected 3 to 30 digits, spaces or ( ) . / -, optionally after a + (got call us)"
                ])
            #expect(try await fixture.count("SELECT count(*) FROM provider_locations") == 0)
            #expect(try await fixture.audit(.providerImport).isEmpty)

            #expect(try await providers.importPackage(files, package: "partner", by: admin) == .imported(count: 1))
            #expect(
                try await fixture.audit(.providerImport).map(\.subject) == ["package:partner"])
            let second = try await providers.exportPackage(by: amina)
            #expect(second["locations.csv"]?.contains(",Sede,,,,6.200000,-75.500000,,") == true)
            #expect(second["phones.csv"]?.contains(",604 444 1234,,voice,") == true)
            // Importing the export changes nothing.
            #expect(try await providers.importPackage(second, package: "again", by: admin) == .imported(count: 1))
            #expect(try await providers.exportPackage(by: admin) == second)
        }
    }
}
