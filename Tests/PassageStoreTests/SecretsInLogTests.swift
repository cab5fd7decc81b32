import Foundation
import Logging
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// Docs/security.md "5. Secrets stay in the application": with every statement log PostgreSQL
/// has turned on (`log_statement = 'all'`, `log_min_duration_statement = 0`, parameters in
/// full), a user is created, signs in, changes password; a person's identifiers are written and
/// read, a referral shares them, and an old pgp_sym_encrypt value is re-sealed. The server's log
/// (the logging collector's current file) then holds none of the key, the passwords or the clear identifiers.
@Suite("Secrets stay in the application: the server's log with every statement logged")
struct SecretsInLogTests {
    @Test("no password, no personal-data key (nor its hex or base64), no clear name or phone reaches the server's log")
    func statementLogHoldsNoSecret() async throws {
        let tag = String(UInt64.random(in: 1 << 40...1 << 50), radix: 36)
        let secret = "pii-key-\(tag)-of-more-than-thirty-two-characters"
        let key = try PIIKey(secret: secret)
        let passwords = ["pw-\(tag)-correct-horse", "pw-\(tag)-wrong-guess", "pw-\(tag)-new-battery"]
        let person = PersonalIdentifiers(
            names: ["Nombre\(tag) Apellido"], dateOfBirth: "1988-07-06", phone: "+57 310 \(tag)",
            documents: ["DOC-\(tag)"])
        let legacy = PersonalIdentifiers(names: ["Antiguo\(tag) Viejo"], phone: "+57 320 \(tag)")
        let userName = "logged-\(tag)"
        let sentinel = "sentinel-\(tag)"

        let cluster = try await TestCluster.cluster()
        // The log collector's file of today (ServerLog), from where it ends now.
        let logFile = try #require(cluster.currentLogFile())
        let logStart = (try? FileManager.default.attributesOfItem(atPath: logFile)[.size] as? Int) ?? 0
        let fixture = try await ReferralFixture.make()
        // Set-up: a value as pgp_sym_encrypt wrote it before schema 12, on a session that logs nothing.
        let setup = try fixture.connect()
        defer { setup.close() }
        for (name, value) in LegacyIdentifierMigration.loggingOff {
            _ = try setup.query("SELECT set_config(\(name), \(value), false)")
        }
        for table in ["persons", "referral_contacts"] {
            try setup.execute("ALTER TABLE \(identifier: table) DROP CONSTRAINT identifiers_sealed_by_application")
        }
        let legacyClear = String(decoding: try JSONEncoder().encode(legacy), as: UTF8.self)
        try setup.execute(
            """
            WITH person AS (
                INSERT INTO persons (organisation_id, identifiers)
                VALUES (\(fixture.ngoB), pgp_sym_encrypt(\(legacyClear), \(secret), 'cipher-algo=aes256')) RETURNING id)
            UPDATE cases SET person_id = (SELECT id FROM person) WHERE id = \(fixture.otherCase)
            """)
        let schema12 = try #require(
            try MigrationSet.load(from: MigratedDatabase.schemaDirectory).migrations.first { $0.version == 12 })
        try setup.executeScript(schema12.sql)
        // Every statement of every new session of this database is logged, with its parameters.
        let database = try setup.query("SELECT current_database()")[0].decode(String.self, at: 0)
        try setup.execute("ALTER DATABASE \(identifier: database) SET log_statement = 'all'")
        try setup.execute("ALTER DATABASE \(identifier: database) SET log_min_duration_statement = 0")

        let db = try fixture.connect()
        #expect(try db.query("SELECT current_setting('log_statement')")[0].decode(String.self, at: 0) == "all")
        let users = UserStore()
        let added = try users.add(
            name: userName, role: .caseworker, organisation: fixture.ngoA, password: passwords[0], on: db)
        #expect(
            try users.signIn(name: userName, password: passwords[0], source: "127.0.0.1", on: db) == .signedIn(added))
        #expect(try users.signIn(name: userName, password: passwords[1], source: "127.0.0.1", on: db) == .failed)
        try users.setPassword(name: userName, password: passwords[2], on: db)
        #expect(try users.signIn(name: userName, password: passwords[2], source: "127.0.0.2", on: db) != .failed)

        let people = PersonStore(key: key)
        try people.record(person, caseID: fixture.adultCase, organisation: fixture.ngoA, on: db)
        #expect(try people.read(caseID: fixture.adultCase, organisation: fixture.ngoA, on: db) == person)
        let referrals = ReferralStore(key: key)
        let made = try #require(
            try fixture.scoped(fixture.ngoA, on: db) {
                try referrals.refer(
                    fixture.order(), organisation: fixture.ngoA, actor: userName, source: "test", on: $0)
            })
        let (view, _) = try fixture.scoped(fixture.clinic, on: db) {
            try referrals.show(id: made.id, organisation: fixture.clinic, on: $0)
        }
        #expect(view.contact?.phone == person.phone)

        // The one-time re-sealing of the old value, on its own session of this logged database.
        var quiet = Logger(label: "test.reseal")
        quiet.logLevel = .warning
        #expect(try LegacyIdentifierMigration(key: key, logger: quiet).run(conninfo: fixture.conninfo) == 1)
        #expect(try people.read(caseID: fixture.otherCase, organisation: fixture.ngoB, on: db) == legacy)
        _ = try db.query("SELECT \(sentinel)")
        db.close()

        let log = try await Self.logText(logFile, from: logStart, until: sentinel)
        // The log is really on, with parameters: the sentinel and the user name are there.
        let logged = [sentinel, userName].map { log.contains($0) }
        #expect(logged == [true, true])
        var needles = passwords + [secret, Self.hex(secret), Data(secret.utf8).base64EncodedString()]
        for identifiers in [person, legacy] {
            needles +=
                identifiers.names + [identifiers.phone ?? ""] + identifiers.documents + identifiers.names.map(Self.hex)
        }
        // Nor the distinctive start of the secret. (Reported by value, not with the whole log.)
        needles.append("pii-key-\(tag)")
        let found = needles.filter { !$0.isEmpty && log.contains($0) }
        #expect(found.isEmpty, "the server's log holds \(found)")

        // Nor do the tables, referral_contacts' snapshot included: every column of every table
        // as text (bytea as hex) holds none of them.
        let tables = try setup.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").map {
            try $0.decode(String.self, at: 0)
        }
        #expect(tables.contains("referral_contacts"))
        #expect(try setup.query("SELECT count(*) FROM referral_contacts")[0].decode(Int.self, at: 0) == 1)
        var stored: [String] = []
        for table in tables {
            for row in try setup.query("SELECT t::text FROM \(identifier: table) t") {
                let text = try row.decode(String.self, at: 0)
                stored += needles.filter { !$0.isEmpty && text.contains($0) }.map { "\(table): \($0)" }
            }
        }
        #expect(stored.isEmpty, "the tables hold \(stored)")
    }

    /// The log from `offset` on, once the server has written `marker` (the last statement).
    static func logText(_ path: String, from offset: Int, until marker: String) async throws -> String {
        for _ in 0..<100 {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let text = String(decoding: data.dropFirst(min(offset, data.count)), as: UTF8.self)
            if text.contains(marker) { return text }
            try await Task.sleep(for: .milliseconds(100))
        }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)).dropFirst(offset), as: UTF8.self)
    }

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
}
