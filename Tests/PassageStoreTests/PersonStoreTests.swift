import Foundation
import PassageCore
import Postgres
import Testing
import TestSupport
@testable import PassageStore

@Suite("Personal identifiers: encrypted at rest")
struct PersonStoreTests {
    let key = try! PIIKey(secret: String(repeating: "k", count: 40))

    @Test("identifiers are ciphertext in the table and decrypt for an authorised read")
    func ciphertextAtRest() async throws {
        let db = try await MigratedDatabase.connection()
        defer { db.close() }
        let created = try CaseStore().create(try CaseFacts.decode(jsonLine: #"{"ref":"p-1","current_country":"KE"}"#),
                                             organisation: 1, caseworker: "amina", on: db)
        let people = PersonStore(key: key)
        let identifiers = PersonalIdentifiers(names: ["Amani Wanjiru"], dateOfBirth: "1990-04-02", phone: "+254700000001", documents: ["KE-P-991"])
        try people.record(identifiers, caseID: created.id, organisation: 1, on: db)
        // A raw read of the table: no clear text anywhere in the stored bytes.
        let raw = try db.query("SELECT identifiers FROM persons")[0].decode([UInt8].self, at: 0)
        let rawText = String(decoding: raw, as: UTF8.self)
        #expect(!rawText.contains("Amani"))
        #expect(!rawText.contains("254700000001"))
        #expect(raw.count > 40)
        #expect(try people.read(caseID: created.id, organisation: 1, on: db) == identifiers)
        // Another organisation cannot read them; a wrong key cannot decrypt them.
        #expect(throws: StoreError.notFound("case \(created.id)")) { try people.read(caseID: created.id, organisation: 99, on: db) }
        let wrong = PersonStore(key: try PIIKey(secret: String(repeating: "w", count: 40)))
        #expect(throws: PostgresError.self) { try wrong.read(caseID: created.id, organisation: 1, on: db) }
    }

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
