import Foundation
import PassageCore
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Personal identifiers: encrypted at rest")
struct PersonStoreTests {
    let key = try! PIIKey(secret: String(repeating: "k", count: 40))

    @Test("identifiers are ciphertext in the table and decrypt for an authorised read")
    func ciphertextAtRest() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let created = try CaseStore().create(
            try CaseFacts.decode(jsonLine: #"{"ref":"p-1","current_country":"KE"}"#),
            organisation: 1, caseworker: "amina", on: db)
        let people = PersonStore(key: key)
        let identifiers = PersonalIdentifiers(
            names: ["Amani Wanjiru"], dateOfBirth: "1990-04-02", phone: "+254700000001", documents: ["KE-P-991"])
        try people.record(identifiers, caseID: created.id, organisation: 1, on: db)
        // A raw read of the table: no clear text anywhere in the stored bytes.
        let raw = try db.query("SELECT identifiers FROM persons")[0].decode([UInt8].self)
        let rawText = String(decoding: raw, as: UTF8.self)
        #expect(!rawText.contains("Amani"))
        #expect(!rawText.contains("254700000001"))
        #expect(raw.count > 40)
        #expect(try people.read(caseID: created.id, organisation: 1, on: db) == identifiers)
        // Another organisation cannot read them; a wrong key cannot decrypt them.
        #expect(throws: StoreError.notFound("case \(created.id)")) {
            try people.read(caseID: created.id, organisation: 99, on: db)
        }
        let wrong = PersonStore(key: try PIIKey(secret: String(repeating: "w", count: 40)))
        #expect(throws: StoreError.self) { try wrong.read(caseID: created.id, organisation: 1, on: db) }
    }

    @Test(
        "raw SQL finds only application-sealed ciphertext: no clear name or phone in any table, nothing pgcrypto could open"
    )
    func onlyCiphertextInTheDatabase() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let other = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
        let people = PersonStore(key: key)
        let name = "Wanjiru Nyokabi-Otieno"
        let phone = "+254711222333"
        for (reference, organisation) in [("own", Int64(1)), ("theirs", other)] {
            let made = try CaseStore().create(
                try CaseFacts.decode(jsonLine: #"{"ref":"\#(reference)","current_country":"KE"}"#),
                organisation: organisation, caseworker: "amina", on: db)
            try people.record(
                PersonalIdentifiers(names: [name], phone: phone, documents: ["KE-P-4471"]), caseID: made.id,
                organisation: organisation, on: db)
        }
        // Every stored value is in the application's format and opens only in the application,
        // for its own organisation; pgcrypto cannot open it even when handed the key.
        let rows = try db.query("SELECT id, organisation_id, identifiers FROM persons ORDER BY id")
        #expect(rows.count == 2)
        for row in rows {
            let (_, organisation, sealed) = try row.decode((Int64, Int64, [UInt8]).self)
            #expect(PersonalDataCipher.isSealed(sealed))
            #expect(try key.cipher.open(sealed, organisation: organisation).names == [name])
        }
        #expect(
            try db.query(
                """
                SELECT count(*) FROM persons WHERE substring(identifiers FROM 1 FOR 4) <> '\\x7064313a'::bytea
                """)[0].decode(Int.self) == 0)
        // Every column of every table, as text (bytea as hex): neither the clear text nor its hex.
        let needles = [name, phone, "KE-P-4471", Self.hex(name), Self.hex(phone)]
        let tables = try db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").map {
            try $0.decode(String.self)
        }
        #expect(tables.contains("persons"))
        for table in tables {
            for row in try db.query("SELECT t::text FROM \(identifier: table) t") {
                let text = try row.decode(String.self)
                for needle in needles { #expect(!text.contains(needle), "table \(table) holds \(needle)") }
            }
        }
        // The database refuses a value in any other format (pgp_sym_encrypt's, or clear text).
        #expect(throws: PostgresError.self) {
            try db.execute("UPDATE persons SET identifiers = convert_to('{\"names\":[\"x\"]}', 'UTF8')")
        }
    }

    @Test("sealed identifiers moved to another organisation's person do not open there")
    func boundToTheOrganisation() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let other = try OrganisationStore.id(named: "ngo-b", create: true, on: db)
        let people = PersonStore(key: key)
        let own = try CaseStore().create(
            try CaseFacts.decode(jsonLine: #"{"ref":"a","current_country":"KE"}"#), organisation: 1,
            caseworker: "amina", on: db)
        let theirs = try CaseStore().create(
            try CaseFacts.decode(jsonLine: #"{"ref":"b","current_country":"KE"}"#), organisation: other,
            caseworker: "bo", on: db)
        try people.record(PersonalIdentifiers(names: ["Amani"]), caseID: own.id, organisation: 1, on: db)
        try people.record(PersonalIdentifiers(names: ["Baraka"]), caseID: theirs.id, organisation: other, on: db)
        // The database owner (no key) copies organisation 1's ciphertext into the other's row.
        try db.execute(
            """
            UPDATE persons SET identifiers = (SELECT identifiers FROM persons WHERE organisation_id = 1)
             WHERE organisation_id = \(other)
            """)
        #expect(throws: StoreError.self) { try people.read(caseID: theirs.id, organisation: other, on: db) }
        #expect(try people.read(caseID: own.id, organisation: 1, on: db)?.names == ["Amani"])
    }

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

    @Test("a generated key file is private and is read back the same")
    func generatedKeyFile() throws {
        let directory = NSTemporaryDirectory() + "passage-key-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try PIIKey.load(file: nil, environment: [:], embeddedDirectory: directory)
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/pii.key")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let second = try PIIKey.load(file: nil, environment: [:], embeddedDirectory: directory)
        #expect(first.secret == second.secret)
        #expect("\(first)" == "PIIKey(***)")
        #expect(throws: StoreError.self) { try PIIKey.load(file: nil, environment: [:], embeddedDirectory: nil) }
        #expect(throws: StoreError.self) { try PIIKey(secret: "short") }
    }
}
