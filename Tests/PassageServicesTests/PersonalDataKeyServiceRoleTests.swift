import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// The personal-data key's start check and rotation on the least-privilege setup
/// (Deploy/external/setup.sql): the service role checks the key on the rows its policies show
/// it; the rotation, which must see every row to say none is left, runs as the owner only.
@Suite struct PersonalDataKeyServiceRoleTests {
    @Test("as the service role a wrong key is refused at start; rotate refuses the service role and runs as the owner")
    func serviceRole() async throws {
        try await LeastPrivilegeTests.withCluster("lp-key") { cluster in
            try cluster.runAdministrativeSQL("\\i \(LeastPrivilegeTests.setupScript)", database: "postgres")
            let ownerURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_owner")
            let appURL = LeastPrivilegeTests.url(cluster, database: "passage", user: "passage_app")
            let quiet = LeastPrivilegeTests.quiet
            try PassageDatabase.open(LeastPrivilegeTests.choice(ownerURL), use: .migrate, logger: quiet).close()

            let old = try PersonalDataKeyHostTests.keyFile("service-role-old-key-of-more-than-32-characters")
            let new = try PersonalDataKeyHostTests.keyFile("service-role-new-key-of-more-than-32-characters")
            defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }
            let owner = try PostgresConnection.connect(ownerURL)
            defer { owner.close() }
            let organisation = try OrganisationStore.id(named: "ngo-s", create: true, on: owner)
            let made = try CaseStore().create(
                try CaseFacts.decode(jsonLine: #"{"ref":"s-1","current_country":"KE"}"#),
                organisation: organisation, caseworker: "amina", on: owner)
            try PersonStore(key: PIIKey(secret: "service-role-old-key-of-more-than-32-characters")).record(
                PersonalIdentifiers(names: ["Halima Yusuf"]), caseID: made.id, organisation: organisation, on: owner)

            let app = LeastPrivilegeTests.choice(appURL)
            do {
                let host = try await ServiceHost.open(app, PersonalDataKeyHostTests.server(key: new), logger: quiet)
                await host.shutdown()
                Issue.record("the service role started with a key that opens no stored identifier")
            } catch {
                #expect("\(error)".contains("wrong key file?"), "\(error)")
            }
            let during = try await ServiceHost.open(
                app, PersonalDataKeyHostTests.server(key: new, previous: old), logger: quiet)
            await during.shutdown()

            // The service role could be shown less than every row: it may not rotate.
            let asService = try PassageDatabase.open(app, logger: quiet)
            defer { asService.close() }
            do {
                _ = try asService.rotatePersonalDataKey(
                    keyFile: new, previousKeyFile: old, batchSize: 100, operatorName: "operator:test") { _ in }
                Issue.record("the service role ran a rotation")
            } catch {
                #expect("\(error)".contains("migration role"), "\(error)")
            }
            let asOwner = try PassageDatabase.open(LeastPrivilegeTests.choice(ownerURL), logger: quiet)
            defer { asOwner.close() }
            let report = try asOwner.rotatePersonalDataKey(
                keyFile: new, previousKeyFile: old, batchSize: 100, operatorName: "operator:test") { _ in }
            #expect(report.total == 1)
            let after = try await ServiceHost.open(app, PersonalDataKeyHostTests.server(key: new), logger: quiet)
            #expect(
                try PersonStore(key: after.storeSetup.personalDataKey).read(
                    caseID: made.id, organisation: organisation, on: owner) == PersonalIdentifiers(names: ["Halima Yusuf"]))
            await after.shutdown()
        }
    }
}
