import Foundation
import Logging
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Identifiers that pgcrypto's pgp_sym_encrypt sealed before schema 12 are re-sealed once, in
/// the application, and then read with the new code; nothing in the old format is left.
@Suite("Personal identifiers: the one-time re-sealing of pgp_sym_encrypt ciphertext")
struct LegacyIdentifierMigrationTests {
    static let quiet: Logger = {
        var logger = Logger(label: "test.reseal")
        logger.logLevel = .warning
        return logger
    }()

    /// A database as it was before schema 12: identifiers written by pgp_sym_encrypt for three
    /// cases of two organisations, and an open consented referral whose snapshot copied them.
    struct OldDatabase {
        let fixture: ReferralFixture
        let db: PostgresConnection
        let referral: Int64
        let written: [(caseID: Int64, organisation: Int64, identifiers: PersonalIdentifiers)]
    }

    func oldDatabase(_ label: String = #function) async throws -> OldDatabase {
        let fixture = try await ReferralFixture.make(label)
        let db = try fixture.connect()
        // Back to before 0012: its constraints would refuse the old format.
        for table in ["persons", "referral_contacts"] {
            try db.execute("ALTER TABLE \(identifier: table) DROP CONSTRAINT identifiers_sealed_by_application")
        }
        let key = ReferralFixture.key
        let written: [(Int64, Int64, PersonalIdentifiers)] = [
            (
                fixture.adultCase, fixture.ngoA,
                PersonalIdentifiers(
                    names: ["Ana Lucía Pérez"], dateOfBirth: "1991-02-03", phone: "+57 300 111", documents: ["VE-1"])
            ),
            (fixture.childCase, fixture.ngoA, PersonalIdentifiers(names: ["Tomás Pérez"], phone: "+57 300 222")),
            (fixture.otherCase, fixture.ngoB, PersonalIdentifiers(names: ["Rosa Gil", "Rosa G."])),
        ]
        for (caseID, organisation, identifiers) in written {
            let clear = String(decoding: try JSONEncoder().encode(identifiers), as: UTF8.self)
            // The statement PersonStore used before schema 12.
            try db.execute(
                """
                WITH person AS (
                    INSERT INTO persons (organisation_id, identifiers)
                    VALUES (\(organisation), pgp_sym_encrypt(\(clear), \(key.secret), 'cipher-algo=aes256')) RETURNING id)
                UPDATE cases SET person_id = (SELECT id FROM person) WHERE id = \(caseID)
                """)
        }
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try fixture.referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: "amina", source: "test", on: $0)
            })
        // Schema 12 arrives: its constraints hold for new writes only.
        let migration = try MigrationSet.load(from: MigratedDatabase.schemaDirectory).migrations.first {
            $0.version == 12
        }
        try db.executeScript(try #require(migration).sql)
        #expect(try legacyCount(db) == 4)
        return OldDatabase(fixture: fixture, db: db, referral: made.id, written: written)
    }

    func legacyCount(_ db: PostgresConnection) throws -> Int {
        try db.query(
            """
            SELECT (SELECT count(*) FROM persons WHERE substring(identifiers FROM 1 FOR 4) <> '\\x7064313a'::bytea)
                 + (SELECT count(*) FROM referral_contacts WHERE substring(identifiers FROM 1 FOR 4) <> '\\x7064313a'::bytea)
            """)[0].decode(Int.self, at: 0)
    }

    func constraintsValidated(_ db: PostgresConnection) throws -> [Bool] {
        try db.query(
            """
            SELECT convalidated FROM pg_constraint WHERE conname = 'identifiers_sealed_by_application' ORDER BY conrelid::regclass::text
            """
        ).map { try $0.decode(Bool.self, at: 0) }
    }

    @Test("old rows are re-sealed in batches, read back with the new code, and the constraints then hold for every row")
    func reseals() async throws {
        let old = try await oldDatabase()
        defer { old.db.close() }
        #expect(try constraintsValidated(old.db) == [false, false])
        let step = LegacyIdentifierMigration(key: ReferralFixture.key, batchSize: 2, logger: Self.quiet)
        #expect(try step.run(conninfo: old.fixture.conninfo) == 4)
        #expect(try legacyCount(old.db) == 0)
        #expect(try constraintsValidated(old.db) == [true, true])
        let people = PersonStore(key: ReferralFixture.key)
        for (caseID, organisation, identifiers) in old.written {
            #expect(try people.read(caseID: caseID, organisation: organisation, on: old.db) == identifiers)
        }
        // The provider's snapshot was re-sealed too: names and phone, as consented.
        let (view, _) = try old.fixture.scoped(old.fixture.clinic, on: old.db) {
            try old.fixture.referrals.show(id: old.referral, organisation: old.fixture.clinic, on: $0)
        }
        #expect(view.contact == ReferralContact(names: ["Ana Lucía Pérez"], phone: "+57 300 111"))
        // pgcrypto can open nothing any more, and a second run finds nothing to do.
        #expect(throws: PostgresError.self) {
            try old.db.query("SELECT pgp_sym_decrypt(identifiers, \(ReferralFixture.key.secret)) FROM persons")
        }
        #expect(try step.run(conninfo: old.fixture.conninfo) == 0)
    }

    @Test("a wrong key re-seals nothing: the batch rolls back and the old rows stay as they were")
    func wrongKey() async throws {
        let old = try await oldDatabase()
        defer { old.db.close() }
        let before = try old.db.query("SELECT id, identifiers FROM persons ORDER BY id").map {
            try $0.decode([UInt8].self, at: 1)
        }
        let wrong = LegacyIdentifierMigration(
            key: try PIIKey(secret: String(repeating: "w", count: 40)), logger: Self.quiet)
        #expect(throws: PostgresError.self) { try wrong.run(conninfo: old.fixture.conninfo) }
        #expect(try legacyCount(old.db) == 4)
        #expect(
            try old.db.query("SELECT id, identifiers FROM persons ORDER BY id").map {
                try $0.decode([UInt8].self, at: 1)
            } == before)
        #expect(try constraintsValidated(old.db) == [false, false])
    }

    @Test("a role that may not turn statement logging off gets a clear error, and the key is not sent")
    func needsLoggingOff() async throws {
        let old = try await oldDatabase()
        defer { old.db.close() }
        let role = "reseal_\(UInt32.random(in: 0 ... .max))"
        try old.db.execute("CREATE ROLE \(identifier: role) BYPASSRLS")
        defer {
            _ = try? old.db.execute("DROP OWNED BY \(identifier: role)")
            _ = try? old.db.execute("DROP ROLE \(identifier: role)")
        }
        try old.db.execute("GRANT SELECT ON persons, referral_contacts TO \(identifier: role)")
        let limited = try old.fixture.connect()
        defer { limited.close() }
        try limited.execute("SET ROLE \(identifier: role)")
        let step = LegacyIdentifierMigration(key: ReferralFixture.key, logger: Self.quiet)
        #expect {
            try step.run(on: limited)
        } throws: { error in
            "\(error)".contains("GRANT SET ON PARAMETER") && "\(error)".contains("log_statement")
        }
        #expect(try legacyCount(old.db) == 4)
    }
}
