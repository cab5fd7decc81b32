import EmbeddedPostgres
import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// Retention and erasure by crypto-shredding (Docs/case-life.md "Retention and erasure") over a
/// real PostgreSQL: the case database and, apart from it, the keyring's database.
@Suite("Erasure and retention")
struct ErasureServiceTests {
    static let accounts = ReferralWorld.accounts + [("sia", Role.supervisor, "ngo-b"), ("bea", Role.admin, "ngo-b")]

    /// The services over a fresh case database, with a keyring in a database of its own.
    struct Fixture {
        let conninfo: String
        let keyringConninfo: String
        let pool: PostgresPool
        let keyring: PersonKeyring
        let key: PIIKey
        let services: ApplicationServices
        let base: ServiceFixture

        func actor(_ name: String) async throws -> Actor { try await base.actor(name) }

        func people(_ key: PIIKey? = nil) -> PersonStore { PersonStore(key: key ?? self.key) }

        func stored(_ caseID: Int64, organisation: String, key: PIIKey? = nil, conninfo: String? = nil) throws
            -> StoredPerson
        {
            let connection = try PostgresConnection.connect(conninfo ?? self.conninfo)
            defer { connection.close() }
            let id = try connection.query("SELECT id FROM organisations WHERE name = \(organisation)")[0].decode(
                Int64.self)
            return try people(key).readStored(caseID: caseID, organisation: id, on: connection)
        }

        func scalar<T: PostgresDecodable & Sendable>(_ sql: PostgresQuery, _ type: T.Type = T.self) async throws -> T {
            try await pool.withConnection { try $0.query(sql)[0].decode(T.self) }
        }
    }

    static func with<T>(_ label: String = #function, _ body: (Fixture) async throws -> T) async throws -> T {
        let conninfo = try await MigratedDatabase.conninfo(label)
        let keyringConninfo = try await TestCluster.freshDatabase(label + "_keyring")
        var logger = Logger(label: "test.erasure")
        logger.logLevel = .warning
        let pool = try PostgresPool(conninfo: conninfo, size: 2, logger: logger)
        try await pool.transaction { connection in try TestAccounts.add(accounts, on: connection) }
        let keyring = try PersonKeyring(conninfo: keyringConninfo)
        let key = ServiceFixture.personalDataKey.using(keyring: keyring)
        let services = ApplicationServices.onStore(StoreSetup(pool: pool, personalDataKey: key))
        let fixture = Fixture(
            conninfo: conninfo, keyringConninfo: keyringConninfo, pool: pool, keyring: keyring, key: key,
            services: services, base: ServiceFixture(conninfo: conninfo, pool: pool, services: services))
        do {
            let result = try await body(fixture)
            await pool.shutdown()
            keyring.close()
            return result
        } catch {
            await pool.shutdown()
            keyring.close()
            throw error
        }
    }

    static func isConflict(_ error: any Error, containing text: String) -> Bool {
        if case ServiceError.conflict(let message) = error { message.contains(text) } else { false }
    }

    static func isDenied(_ error: any Error) -> Bool {
        if case ServiceError.permissionDenied = error { true } else { false }
    }

    static func isNotFound(_ error: any Error) -> Bool {
        if case ServiceError.notFound = error { true } else { false }
    }

    /// Ana (ngo-a's adult case, with a noted need and a referral with notes, closed), Ben
    /// (ngo-a's child case) and Carl (ngo-b's case), each under a key of their own.
    static func world(_ fixture: Fixture) async throws -> ReferralWorld {
        let world = try await ReferralWorld.make(on: fixture.pool, recordPerson: false)
        let amina = try await fixture.actor("amina")
        let bo = try await fixture.actor("bo")
        let people = fixture.services.people
        try await people.record(
            PersonDetailsChange(name: "Ana Díaz", dateOfBirth: "1990-04-01", phone: "+57 300", documents: ["V-123"]),
            forCase: world.adultCase, by: amina)
        try await people.record(PersonDetailsChange(name: "Ben Díaz"), forCase: world.childCase, by: amina)
        try await people.record(PersonDetailsChange(name: "Carl Ruiz"), forCase: world.otherCase, by: bo)
        try await fixture.pool.transaction { connection in
            try connection.execute(
                "UPDATE needs SET note = 'Ana lives with her aunt at Calle 5' WHERE id = \(world.legalNeed)")
            try connection.execute(
                "UPDATE needs SET note = 'Ben is at school B' WHERE id = \(world.childNeed)")
        }
        let referral = try await fixture.services.referrals.refer(world.referral(), by: amina)
        _ = try await fixture.services.referrals.move(
            ReferralChange(referral: referral.id, status: .cancelled, reason: "other"), by: amina)
        try await fixture.pool.transaction { connection in
            try connection.execute(
                "UPDATE referral_events SET note = 'called Ana on +57 300' WHERE referral_id = \(referral.id)")
        }
        _ = try await fixture.services.cases.close(world.adultCase, reason: .moved, carryForward: true, by: amina)
        return world
    }

    @Test(
        "a supervisor of the owning organisation erases a closed case's person: notes NULL in the same transaction, the keyring entry destroyed, audited without content; everyone else still opens"
    )
    func eraseOnRequest() async throws {
        try await Self.with { fixture in
            let world = try await Self.world(fixture)
            let erasure = fixture.services.erasure
            #expect(try fixture.keyring.count() == 3)
            // Persons are written under keys of their own.
            #expect(
                try await fixture.scalar(
                    "SELECT count(*) FROM persons WHERE substring(identifiers FROM 1 FOR 4) = 'pd2:'::bytea", Int.self)
                    == 3)

            // Roles and organisations.
            for name in ["amina", "adm"] {
                let actor = try await fixture.actor(name)
                await #expect {
                    _ = try await erasure.erase(personOfCase: world.adultCase, reason: .request, by: actor)
                } throws: { Self.isDenied($0) }
            }
            let sia = try await fixture.actor("sia")
            await #expect {
                _ = try await erasure.erase(personOfCase: world.adultCase, reason: .request, by: sia)
            } throws: { Self.isNotFound($0) }
            let sam = try await fixture.actor("sam")
            // An open case's person is not erased.
            await #expect {
                _ = try await erasure.erase(personOfCase: world.childCase, reason: .request, by: sam)
            } throws: { Self.isConflict($0, containing: "is open") }
            #expect(try await fixture.base.audit(.personErased).isEmpty)

            // PERSON SET wrote blind-index keys (issue 23) for Ana; they go with her.
            let anaKeys: PostgresQuery = """
                SELECT count(*) FROM person_match_keys k JOIN cases c ON c.person_id = k.person_id
                 WHERE c.id = \(world.adultCase)
                """
            #expect(try await fixture.scalar(anaKeys, Int.self) > 0)
            let outcome = try await erasure.erase(personOfCase: world.adultCase, reason: .request, by: sam)
            #expect(try await fixture.scalar(anaKeys, Int.self) == 0)
            #expect(try await fixture.scalar("SELECT count(*) FROM person_match_keys", Int.self) > 0)
            // One need's note and the notes of the referral's two events.
            #expect(outcome == ErasureOutcome(persons: 1, notes: 3, keysDestroyed: true))

            // Raw SQL: the notes are NULL, the person marked, the key gone; other notes stay.
            #expect(try await fixture.scalar("SELECT note IS NULL FROM needs WHERE id = \(world.legalNeed)", Bool.self))
            #expect(
                try await fixture.scalar(
                    "SELECT count(*) FROM referral_events e JOIN referrals r ON r.id = e.referral_id WHERE r.case_id = \(world.adultCase) AND e.note IS NOT NULL",
                    Int.self) == 0)
            #expect(
                try await fixture.scalar("SELECT note FROM needs WHERE id = \(world.childNeed)", String.self)
                    == "Ben is at school B")
            #expect(
                try await fixture.scalar(
                    "SELECT count(*) FROM persons WHERE erased_at IS NOT NULL AND erasure_reason = 'request' AND NOT key_destruction_pending",
                    Int.self) == 1)
            #expect(
                try await fixture.scalar(
                    "SELECT count(*) FROM referral_contacts rc JOIN referrals r ON r.id = rc.referral_id WHERE r.case_id = \(world.adultCase)",
                    Int.self) == 0)
            #expect(try fixture.keyring.count() == 2)

            // Audited with the case and the reason, nothing of what was erased.
            #expect(
                try await fixture.base.audit(.personErased) == [
                    .init(
                        actor: "sam", action: "person.erased", subject: "case:\(world.adultCase)", source: "192.0.2.7",
                        detail: "reason=request")
                ])

            // The person reads as erased, clearly; the case itself still works.
            let amina = try await fixture.actor("amina")
            await #expect {
                _ = try await fixture.services.people.details(ofCase: world.adultCase, by: amina)
            } throws: { Self.isConflict($0, containing: "were erased") }
            let file = try await fixture.services.cases.file(of: world.adultCase, by: amina)
            #expect(file.record.id == world.adultCase)
            await #expect {
                _ = try await erasure.erase(personOfCase: world.adultCase, reason: .request, by: sam)
            } throws: { Self.isConflict($0, containing: "already erased") }
            // Reopened, the erased person cannot be written again.
            _ = try await fixture.services.cases.reopen(world.adultCase, by: sam)
            await #expect {
                try await fixture.services.people.record(
                    PersonDetailsChange(phone: "+57 1"), forCase: world.adultCase, by: amina)
            } throws: { Self.isConflict($0, containing: "were erased") }

            // Everyone else still opens.
            #expect(
                try await fixture.services.people.details(ofCase: world.childCase, by: amina).names == ["Ben Díaz"])
            let bo = try await fixture.actor("bo")
            #expect(
                try await fixture.services.people.details(ofCase: world.otherCase, by: bo).names == ["Carl Ruiz"])
        }
    }

    @Test(
        "erasing a person replaces the free-text reason of their cases' category overrides (CASE OVERRIDE), which can tell their story; the category in force stays and other cases keep theirs"
    )
    func erasureReplacesOverrideReasons() async throws {
        try await Self.with { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool, recordPerson: false)
            let amina = try await fixture.actor("amina")
            let sam = try await fixture.actor("sam")
            let cases = fixture.services.cases
            try await fixture.services.people.record(
                PersonDetailsChange(name: "Ana Díaz"), forCase: world.adultCase, by: amina)
            let story = "Ana fled her husband in Cali; he works at the port"
            _ = try await cases.override(world.adultCase, category: .refugeeAsylum, reason: story, by: sam)
            _ = try await cases.override(world.childCase, category: .idp, reason: "Ben's own reason", by: sam)
            _ = try await cases.close(world.adultCase, reason: .moved, carryForward: true, by: amina)

            let outcome = try await fixture.services.erasure.erase(
                personOfCase: world.adultCase, reason: .request, by: sam)
            #expect(outcome.notes == 1)
            // Raw SQL: the story is in no row; the override keeps its category with the marker.
            #expect(
                try await fixture.scalar(
                    "SELECT count(*) FROM classifications WHERE reason LIKE '%Cali%'", Int.self) == 0)
            let history = try await cases.file(of: world.adultCase, by: amina)
            let overrides = history.history.filter { $0.source == .override }
            #expect(overrides.map(\.reason) == [ErasureStore.erasedReason])
            #expect(overrides.map(\.primaryCategory) == ["refugee_asylum"])
            #expect(history.record.primaryCategory == "refugee_asylum")
            // Another person's case keeps its reason.
            let other = try await cases.file(of: world.childCase, by: amina).history.filter { $0.source == .override }
            #expect(other.map(\.reason) == ["Ben's own reason"])
        }
    }

    /// Runs `tool` of the test cluster's installation; fails the test with its output.
    static func run(_ tool: String, _ arguments: [String]) async throws {
        let cluster = try await TestCluster.cluster()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: cluster.installation.tool(tool))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(description: "\(tool) failed (\(process.terminationStatus)): \(text)")
        }
    }

    @Test(
        "a backup of the case database taken before an erasure, restored after it, holds the erased person unreadable while every other person still opens with the current keyring"
    )
    func backupRestoredAfterErasure() async throws {
        try await Self.with { fixture in
            let world = try await Self.world(fixture)
            let dump = FileManager.default.temporaryDirectory.appendingPathComponent("erasure-\(getpid()).dump").path
            defer { try? FileManager.default.removeItem(atPath: dump) }
            try await Self.run("pg_dump", ["-Fc", "-f", dump, "-d", fixture.conninfo])

            _ = try await fixture.services.erasure.erase(
                personOfCase: world.adultCase, reason: .request, by: try await fixture.actor("sam"))

            let restored = try await TestCluster.freshDatabase(#function + "_restored")
            try await Self.run("pg_restore", ["--no-owner", "-d", restored, dump])
            // The restored rows are those of before the erasure: not marked, ciphertext intact.
            let connection = try PostgresConnection.connect(restored)
            defer { connection.close() }
            #expect(
                try connection.query("SELECT count(*) FROM persons WHERE erased_at IS NULL")[0].decode(Int.self) == 3)

            #expect(try fixture.stored(world.adultCase, organisation: "ngo-a", conninfo: restored) == .erased)
            #expect(
                try fixture.stored(world.childCase, organisation: "ngo-a", conninfo: restored)
                    == .identifiers(PersonalIdentifiers(names: ["Ben Díaz"])))
            #expect(
                try fixture.stored(world.otherCase, organisation: "ngo-b", conninfo: restored)
                    == .identifiers(PersonalIdentifiers(names: ["Carl Ruiz"])))
            // In the live database likewise.
            #expect(try fixture.stored(world.adultCase, organisation: "ngo-a") == .erased)
        }
    }

    @Test(
        "rotating the personal-data key re-wraps the keyring entries: the identifiers' ciphertext is unchanged byte for byte and opens with the new key only"
    )
    func rotationRewrapsWithoutTouchingIdentifiers() async throws {
        try await Self.with { fixture in
            let world = try await Self.world(fixture)
            let before = try await fixture.pool.withConnection { connection in
                try connection.query("SELECT id, identifiers FROM persons ORDER BY id").map {
                    try $0.decode((Int64, [UInt8]).self)
                }
            }
            let newSecret = try PIIKey(secret: "the-new-personal-data-key-of-forty-characters")
            let rotating = try newSecret.opening(alsoUnder: ServiceFixture.personalDataKey).using(
                keyring: fixture.keyring)
            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let report = try PersonalDataKeyRotation(key: rotating, batchSize: 2).run(on: connection, actor: "op")
            #expect(report.rewrapped == 3)
            #expect(report.total == 0)
            let after = try connection.query("SELECT id, identifiers FROM persons ORDER BY id").map {
                try $0.decode((Int64, [UInt8]).self)
            }
            #expect(after.map(\.0) == before.map(\.0))
            #expect(after.map(\.1) == before.map(\.1))

            let newOnly = newSecret.using(keyring: fixture.keyring)
            #expect(
                try fixture.stored(world.childCase, organisation: "ngo-a", key: newOnly)
                    == .identifiers(PersonalIdentifiers(names: ["Ben Díaz"])))
            let oldOnly = ServiceFixture.personalDataKey.using(keyring: fixture.keyring)
            #expect(throws: StoreError.self) {
                _ = try fixture.stored(world.childCase, organisation: "ngo-a", key: oldOnly)
            }
            // A second run finds nothing left to re-wrap.
            #expect(try PersonalDataKeyRotation(key: rotating).run(on: connection, actor: "op").rewrapped == 0)
        }
    }

    @Test(
        "retention: only an administrator sets it, audited; the sweep erases exactly the persons whose cases all closed longer ago than their organisation's period"
    )
    func retentionSweep() async throws {
        try await Self.with { fixture in
            let world = try await Self.world(fixture)
            let erasure = fixture.services.erasure
            await #expect { try await erasure.setRetention(months: 6, by: try await fixture.actor("sam")) } throws: {
                Self.isDenied($0)
            }
            await #expect { try await erasure.setRetention(months: 0, by: try await fixture.actor("adm")) } throws: {
                if case ServiceError.badArgument = $0 { true } else { false }
            }
            try await erasure.setRetention(months: 6, by: try await fixture.actor("adm"))
            #expect(
                try await fixture.scalar("SELECT retention_months FROM organisations WHERE name = 'ngo-a'", Int.self)
                    == 6)
            #expect(
                try await fixture.scalar(
                    "SELECT retention_months IS NULL FROM organisations WHERE name = 'ngo-b'", Bool.self))
            #expect(try await fixture.base.audit(.organisationRetention).map(\.detail) == ["months=6"])

            let sweeper = Actor(name: "retention", role: .admin, organisation: "", source: "test")
            // Closed one month ago: kept.
            try await fixture.pool.transaction { connection in
                try connection.execute(
                    "UPDATE cases SET closed_at = now() - interval '1 month' WHERE id = \(world.adultCase)")
            }
            #expect(try await erasure.eraseExpired(by: sweeper).erased == 0)
            // Ben's case is open; Carl's organisation keeps no retention period, even when closed long ago.
            let bo = try await fixture.actor("bo")
            _ = try await fixture.services.cases.close(world.otherCase, reason: .moved, carryForward: true, by: bo)
            try await fixture.pool.transaction { connection in
                try connection.execute(
                    "UPDATE cases SET closed_at = now() - interval '7 months' WHERE id IN (\(world.adultCase), \(world.otherCase))"
                )
            }
            let report = try await erasure.eraseExpired(by: sweeper)
            #expect(report.erased == 1 && report.failed == 0)
            #expect(try fixture.stored(world.adultCase, organisation: "ngo-a") == .erased)
            #expect(try fixture.stored(world.otherCase, organisation: "ngo-b") != .erased)
            #expect(try fixture.stored(world.childCase, organisation: "ngo-a") != .erased)
            #expect(
                try await fixture.base.audit(.personErased).map { [$0.actor, $0.subject, $0.detail] } == [
                    ["retention", "case:\(world.adultCase)", "reason=retention"]
                ])
            #expect(try await fixture.scalar("SELECT note IS NULL FROM needs WHERE id = \(world.legalNeed)", Bool.self))
            // Nothing left to do.
            #expect(try await erasure.eraseExpired(by: sweeper).erased == 0)
            try await erasure.setRetention(months: nil, by: try await fixture.actor("bea"))
            #expect(try await fixture.base.audit(.organisationRetention).map(\.detail) == ["months=6", "off"])
        }
    }

    @Test("an erasure whose keyring step did not happen is finished by the reconciler")
    func reconcilerFinishesInterruptedErasures() async throws {
        try await Self.with { fixture in
            let world = try await Self.world(fixture)
            // Step 1 only, as a crash between the two databases leaves it.
            let marked = try await fixture.pool.transaction { connection in
                let organisation = try connection.query("SELECT id FROM organisations WHERE name = 'ngo-a'")[0].decode(
                    Int64.self)
                return try ErasureStore().markErased(
                    caseID: world.adultCase, organisation: organisation, reason: .request, on: connection)
            }
            #expect(marked.entries.count == 1)
            #expect(try fixture.keyring.count() == 3)
            // Already erased for every reader.
            #expect(try fixture.stored(world.adultCase, organisation: "ngo-a") == .erased)
            #expect(try await fixture.services.erasure.finishPendingErasures() == 1)
            #expect(try fixture.keyring.count() == 2)
            #expect(
                try await fixture.scalar("SELECT count(*) FROM persons WHERE key_destruction_pending", Int.self) == 0)
            #expect(try await fixture.services.erasure.finishPendingErasures() == 0)
        }
    }

    @Test(
        "persons sealed under the personal-data key itself (pd1) still read, are refused erasure with a clear reason, and are converted to keys of their own"
    )
    func convertingOlderPersons() async throws {
        try await Self.with { fixture in
            let world = try await ReferralWorld.make(on: fixture.pool, recordPerson: true)
            // ReferralWorld recorded Ana under the personal-data key itself.
            #expect(
                try await fixture.scalar(
                    "SELECT substring(identifiers FROM 1 FOR 4) = 'pd1:'::bytea FROM persons", Bool.self))
            let amina = try await fixture.actor("amina")
            #expect(try await fixture.services.people.details(ofCase: world.adultCase, by: amina).names == ["Ana"])
            // REFER copied Ana's sealed value into the referral's contact snapshot.
            _ = try await fixture.services.referrals.refer(world.referral(), by: amina)
            let sam = try await fixture.actor("sam")

            let connection = try PostgresConnection.connect(fixture.conninfo)
            defer { connection.close() }
            let report = try PersonKeyConversion(key: fixture.key).run(on: connection, actor: "op")
            #expect(
                report
                    == {
                        var r = PersonKeyConversion.Report()
                        r.persons = 1
                        r.referralContacts = 1
                        return r
                    }())
            #expect(
                try connection.query(
                    "SELECT count(*) FROM referral_contacts WHERE substring(identifiers FROM 1 FOR 4) = 'pd2:'::bytea")[
                        0
                    ]
                    .decode(Int.self) == 1)
            #expect(
                try fixture.stored(world.adultCase, organisation: "ngo-a")
                    == .identifiers(PersonalIdentifiers(names: ["Ana"], phone: "+57 300")))
            #expect(try PersonKeyConversion(key: fixture.key).run(on: connection, actor: "op").persons == 0)

            // A person written without the keyring (pd1) is refused erasure, naming the way out.
            let ngoA = try connection.query("SELECT id FROM organisations WHERE name = 'ngo-a'")[0].decode(Int64.self)
            try PersonStore(key: ServiceFixture.personalDataKey).record(
                PersonalIdentifiers(names: ["Ben"]), caseID: world.childCase, organisation: ngoA, on: connection)
            _ = try await fixture.services.cases.close(world.childCase, reason: .moved, carryForward: true, by: amina)
            await #expect {
                _ = try await fixture.services.erasure.erase(personOfCase: world.childCase, reason: .request, by: sam)
            } throws: { Self.isConflict($0, containing: "pii-key convert") }

            try await fixture.pool.transaction { connection in
                try connection.execute("UPDATE referrals SET status = 'cancelled'")
            }
            _ = try await fixture.services.cases.close(world.adultCase, reason: .moved, carryForward: true, by: amina)
            _ = try await fixture.services.erasure.erase(personOfCase: world.adultCase, reason: .request, by: sam)
            #expect(try fixture.stored(world.adultCase, organisation: "ngo-a") == .erased)
        }
    }
}
