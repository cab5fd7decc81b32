import Foundation
import Logging
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Rotating the personal-data key while the server runs (Docs/operations.md "Rotating the
/// personal-data key"): the stored identifiers are re-sealed under the new key in batches, an
/// interrupted run carries on, a server holding both keys reads every row meanwhile, and a
/// wrong key is refused at start.
@Suite("Personal identifiers: rotating the personal-data key")
struct PersonalDataKeyRotationTests {
    static let quiet: Logger = {
        var logger = Logger(label: "test.rotation")
        logger.logLevel = .critical
        return logger
    }()

    static let old = ReferralFixture.key
    static let new = try! PIIKey(secret: String(repeating: "n", count: 64))
    /// What the server holds during a rotation: the new key, opening under the old one too.
    static let both = try! new.opening(alsoUnder: old)

    /// Three persons of two organisations sealed under the old key, and an open consented
    /// referral whose snapshot copied the first one's.
    struct World {
        let fixture: ReferralFixture
        let db: PostgresConnection
        let referral: Int64
        let written: [(caseID: Int64, organisation: Int64, identifiers: PersonalIdentifiers)]
    }

    func world(_ label: String = #function) async throws -> World {
        let fixture = try await ReferralFixture.make(label)
        let db = try fixture.connect()
        let written: [(Int64, Int64, PersonalIdentifiers)] = [
            (
                fixture.adultCase, fixture.ngoA,
                PersonalIdentifiers(
                    names: ["Ana Lucía Pérez"], dateOfBirth: "1991-02-03", phone: "+57 300 111", documents: ["VE-1"])
            ),
            (fixture.childCase, fixture.ngoA, PersonalIdentifiers(names: ["Tomás Pérez"], phone: "+57 300 222")),
            (fixture.otherCase, fixture.ngoB, PersonalIdentifiers(names: ["Rosa Gil", "Rosa G."])),
        ]
        let people = PersonStore(key: Self.old)
        for (caseID, organisation, identifiers) in written {
            try people.record(identifiers, caseID: caseID, organisation: organisation, on: db)
        }
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        return World(fixture: fixture, db: db, referral: made.id, written: written)
    }

    /// How the stored values of both tables open: (under the new key only, under the old key only).
    func split(_ db: PostgresConnection) throws -> (new: Int, old: Int) {
        var counts = (new: 0, old: 0)
        let rows = try db.query(
            """
            SELECT organisation_id, identifiers FROM persons
            UNION ALL SELECT organisation_id, identifiers FROM referral_contacts
            """)
        for row in rows {
            let (organisation, sealed) = try row.decode((Int64, [UInt8]).self)
            let underNew = Self.new.cipher.openClear(sealed, organisation: organisation) != nil
            let underOld = Self.old.cipher.openClear(sealed, organisation: organisation) != nil
            #expect(underNew != underOld, "a value opens under exactly one key")
            if underNew { counts.new += 1 } else { counts.old += 1 }
        }
        return counts
    }

    func contact(_ world: World, key: PIIKey) throws -> ReferralContact? {
        try world.fixture.scoped(world.fixture.clinic, on: world.db) {
            try ReferralStore(key: key).show(id: world.referral, organisation: world.fixture.clinic, on: $0).0.contact
        }
    }

    @Test("after a rotation every value opens under the new key only, the snapshot too, and the run is audited")
    func rotates() async throws {
        let world = try await world()
        defer { world.db.close() }
        #expect(try split(world.db) == (new: 0, old: 4))
        let rotation = PersonalDataKeyRotation(key: Self.both, batchSize: 2)
        let report = try rotation.run(conninfo: world.fixture.conninfo, actor: "operator:root")
        #expect(report.resealed.map(\.table) == ["persons", "referral_contacts"])
        #expect(report.resealed.map(\.count) == [3, 1])
        #expect(report.alreadyCurrent == 0)
        #expect(report.passes == 2, "a second pass proves nothing is left")
        #expect(try split(world.db) == (new: 4, old: 0))
        let newOnly = PersonStore(key: Self.new)
        let oldOnly = PersonStore(key: Self.old)
        for (caseID, organisation, identifiers) in world.written {
            #expect(try newOnly.read(caseID: caseID, organisation: organisation, on: world.db) == identifiers)
            #expect(throws: StoreError.self) {
                try oldOnly.read(caseID: caseID, organisation: organisation, on: world.db)
            }
        }
        #expect(try contact(world, key: Self.new) == ReferralContact(names: ["Ana Lucía Pérez"], phone: "+57 300 111"))
        #expect(throws: StoreError.self) { try contact(world, key: Self.old) }
        let entry = try #require(try AuditLog.tail(1, on: world.db).last)
        #expect(entry.action == "pii_key.rotated")
        #expect(entry.actor == "operator:root" && entry.source == "cli")
        #expect(entry.detail == "persons=3 referral_contacts=1 already_current=0 passes=2")
        // Run again: nothing to do, everything already under the new key.
        let again = try rotation.run(conninfo: world.fixture.conninfo, actor: "operator:root")
        #expect(again.total == 0 && again.alreadyCurrent == 4 && again.passes == 1)
    }

    @Test("an interrupted rotation leaves finished batches done; the server reads the mixed rows; a new run finishes")
    func resumes() async throws {
        let world = try await world()
        defer { world.db.close() }
        struct Interrupted: Error {}
        var batches = 0
        do {
            _ = try PersonalDataKeyRotation(key: Self.both, batchSize: 1).run(
                conninfo: world.fixture.conninfo, actor: "operator:root"
            ) { _ in
                batches += 1
                if batches == 2 { throw Interrupted() }
            }
            Issue.record("the rotation was not interrupted")
        } catch is Interrupted {}
        #expect(try split(world.db) == (new: 2, old: 2))
        // Not audited as a rotation: it did not finish.
        #expect(try AuditLog.tail(1, on: world.db).last?.action != "pii_key.rotated")
        // The server holding both keys reads every person and the snapshot, whichever key sealed it.
        let server = PersonStore(key: Self.both)
        for (caseID, organisation, identifiers) in world.written {
            #expect(try server.read(caseID: caseID, organisation: organisation, on: world.db) == identifiers)
        }
        #expect(try contact(world, key: Self.both)?.names == ["Ana Lucía Pérez"])
        // And what it writes meanwhile is sealed under the new key.
        let changed = PersonalIdentifiers(names: ["Rosa Gil Ortega"])
        try server.record(changed, caseID: world.fixture.otherCase, organisation: world.fixture.ngoB, on: world.db)
        #expect(
            try PersonStore(key: Self.new).read(
                caseID: world.fixture.otherCase, organisation: world.fixture.ngoB, on: world.db) == changed)
        // The start check passes on the mixed rows with both keys, and with the new key alone
        // (some rows open under it).
        #expect(try PersonalDataKeyCheck.run(key: Self.both, on: world.db, logger: Self.quiet)?.opened == 3)
        #expect(try PersonalDataKeyCheck.run(key: Self.new, on: world.db, logger: Self.quiet) != nil)
        let report = try PersonalDataKeyRotation(key: Self.both, batchSize: 1).run(
            conninfo: world.fixture.conninfo, actor: "operator:root")
        #expect(report.total == 1, "only what was left: the person the server did not rewrite and the snapshot")
        #expect(report.resealed.map(\.count) == [0, 1])
        #expect(report.alreadyCurrent == 3)
        #expect(try split(world.db) == (new: 4, old: 0))
    }

    @Test("a value under neither key stops the run naming its table and row, not its content; its batch is unchanged")
    func stopsOnAStrangerValue() async throws {
        let world = try await world()
        defer { world.db.close() }
        // The third person's value sealed for ngo-b is moved onto ngo-a's second person: the
        // organisation is bound in, so it opens for neither under any key.
        let persons = try world.db.query("SELECT id, organisation_id FROM persons ORDER BY id").map {
            try $0.decode((Int64, Int64).self)
        }
        try world.db.execute(
            """
            UPDATE persons SET identifiers = (SELECT identifiers FROM persons WHERE id = \(persons[2].0))
             WHERE id = \(persons[1].0)
            """)
        let before = try world.db.query("SELECT identifiers FROM persons ORDER BY id").map {
            try $0.decode([UInt8].self)
        }
        do {
            _ = try PersonalDataKeyRotation(key: Self.both, batchSize: 2).run(
                conninfo: world.fixture.conninfo, actor: "operator:root")
            Issue.record("the rotation went through a value that opens under no key")
        } catch {
            let message = "\(error)"
            #expect(message.contains("persons row id \(persons[1].0)"), "\(message)")
            #expect(message.contains("neither the current nor the previous"), "\(message)")
            #expect(!message.contains("Rosa") && !message.contains("Tomás"), "\(message)")
        }
        let after = try world.db.query("SELECT identifiers FROM persons ORDER BY id").map {
            try $0.decode([UInt8].self)
        }
        // The batch of the first two persons rolled back as a whole: nothing changed.
        #expect(after == before)
        #expect(try AuditLog.tail(1, on: world.db).last?.action != "pii_key.rotated")
    }

    @Test("the organisation stays bound after a rotation: a re-sealed value moved to another organisation's row opens for none")
    func organisationStaysBound() async throws {
        let world = try await world()
        defer { world.db.close() }
        _ = try PersonalDataKeyRotation(key: Self.both).run(conninfo: world.fixture.conninfo, actor: "operator:root")
        let persons = try world.db.query("SELECT id FROM persons ORDER BY id").map { try $0.decode(Int64.self) }
        // ngo-a's first person's re-sealed value copied over ngo-b's person.
        try world.db.execute(
            """
            UPDATE persons SET identifiers = (SELECT identifiers FROM persons WHERE id = \(persons[0]))
             WHERE id = \(persons[2])
            """)
        for key in [Self.new, Self.both] {
            #expect(throws: StoreError.self) {
                try PersonStore(key: key).read(
                    caseID: world.fixture.otherCase, organisation: world.fixture.ngoB, on: world.db)
            }
        }
    }

    @Test("the start check refuses a key that opens none of the stored identifiers, and passes an empty database")
    func startCheck() async throws {
        let world = try await world()
        defer { world.db.close() }
        #expect(try PersonalDataKeyCheck.run(key: Self.old, on: world.db, logger: Self.quiet) == .init(read: 3, opened: 3))
        #expect(try PersonalDataKeyCheck.run(key: Self.both, on: world.db, logger: Self.quiet)?.opened == 3)
        do {
            try PersonalDataKeyCheck.run(key: Self.new, on: world.db, logger: Self.quiet)
            Issue.record("a key that opens nothing passed the start check")
        } catch {
            #expect(
                "\(error)".contains("the personal-data key does not open the stored identifiers: wrong key file?"),
                "\(error)")
        }
        let empty = try await MigratedDatabase.connection("startCheck-empty")
        defer { empty.close() }
        #expect(try PersonalDataKeyCheck.run(key: Self.new, on: empty, logger: Self.quiet) == .init(read: 0, opened: 0))
    }

    @Test("a rotation needs a previous key that differs from the current one")
    func refusesWithoutAPreviousKey() async throws {
        #expect(throws: StoreError.self) { try Self.new.opening(alsoUnder: PIIKey(secret: String(repeating: "n", count: 64))) }
        let db = try await MigratedDatabase.connection("rotation-without-previous")
        defer { db.close() }
        do {
            _ = try PersonalDataKeyRotation(key: Self.new).run(on: db, actor: "operator:root")
            Issue.record("a rotation without a previous key ran")
        } catch {
            #expect("\(error)".contains("--pii-previous-key-file"), "\(error)")
        }
    }
}
