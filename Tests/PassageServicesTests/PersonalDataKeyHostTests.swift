import Foundation
import Logging
import PassageCore
import PassageServices
import PassageStore
import Postgres
import TestSupport
import Testing

/// The personal-data key as `passage serve` and `passage pii-key` meet it: a server refuses a
/// key that opens none of the stored identifiers, starts with the new key and the previous one
/// during a rotation, and after `rotate` starts with the new key alone.
@Suite struct PersonalDataKeyHostTests {
    static var quiet: Logger {
        var logger = Logger(label: "test.key-host")
        logger.logLevel = .critical
        return logger
    }

    static func keyFile(_ secret: String) throws -> String {
        let path = NSTemporaryDirectory() + "passage-key-\(UUID().uuidString)"
        try (secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    static func server(key: String, previous: String? = nil) -> ServiceHostOptions {
        var options = ServiceHostOptions(
            personalDataKey: .required(file: key), pools: .commandLine, operatorName: "operator:test")
        options.previousPersonalDataKeyFile = previous
        return options
    }

    @Test("a wrong key refuses the start; new and previous key start and read; after rotate the new key alone starts")
    func serverAcrossARotation() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let choice = DatabaseChoice(databaseURL: conninfo, schemaDirectory: MigratedDatabase.schemaDirectory)
        let old = try Self.keyFile("old-host-key-of-more-than-thirty-two-characters")
        let new = try Self.keyFile(String(repeating: "7", count: 64))
        defer { for path in [old, new] { try? FileManager.default.removeItem(atPath: path) } }

        // Persons sealed under the old key by a server holding it.
        let first = try await ServiceHost.open(choice, Self.server(key: old), logger: Self.quiet)
        let identifiers = PersonalIdentifiers(names: ["Fatuma Abdi"], phone: "+254 700 1")
        var cases: [Int64] = []
        do {
            let db = try PostgresConnection.connect(conninfo)
            defer { db.close() }
            let organisation = try OrganisationStore.id(named: "ngo-k", create: true, on: db)
            for reference in ["k-1", "k-2", "k-3"] {
                let made = try CaseStore().create(
                    try CaseFacts.decode(jsonLine: #"{"ref":"\#(reference)","current_country":"KE"}"#),
                    organisation: organisation, caseworker: "amina", on: db)
                try PersonStore(key: first.storeSetup.personalDataKey).record(
                    identifiers, caseID: made.id, organisation: organisation, on: db)
                cases.append(made.id)
            }
        }
        await first.shutdown()
        let db = try PostgresConnection.connect(conninfo)
        defer { db.close() }
        let organisation = try OrganisationStore.id(named: "ngo-k", create: false, on: db)

        // The new key alone: refused before anything is served.
        do {
            let host = try await ServiceHost.open(choice, Self.server(key: new), logger: Self.quiet)
            await host.shutdown()
            Issue.record("a server started with a key that opens none of the stored identifiers")
        } catch {
            #expect("\(error)".contains("wrong key file?"), "\(error)")
        }
        // The same key as current and previous is a mistake, said so.
        await #expect(throws: (any Error).self) {
            let host = try await ServiceHost.open(choice, Self.server(key: old, previous: old), logger: Self.quiet)
            await host.shutdown()
        }

        // During the rotation: new as current, old as previous; old rows read, new ones sealed
        // under the new key.
        let during = try await ServiceHost.open(choice, Self.server(key: new, previous: old), logger: Self.quiet)
        let both = PersonStore(key: during.storeSetup.personalDataKey)
        #expect(try both.read(caseID: cases[0], organisation: organisation, on: db) == identifiers)
        let changed = PersonalIdentifiers(names: ["Fatuma Abdi Hassan"])
        try both.record(changed, caseID: cases[1], organisation: organisation, on: db)

        // `passage pii-key rotate` while that server runs.
        let database = try PassageDatabase.open(choice, logger: Self.quiet)
        var progressed = 0
        let report = try database.rotatePersonalDataKey(
            keyFile: new, previousKeyFile: old, batchSize: 1, operatorName: "operator:test"
        ) { _ in progressed += 1 }
        database.close()
        #expect(report.resealed.first?.count == 2 && report.alreadyCurrent == 1, "\(report)")
        #expect(progressed == 2)
        await during.shutdown()

        // Afterwards the new key alone starts and reads everything; the old alone is refused.
        let after = try await ServiceHost.open(choice, Self.server(key: new), logger: Self.quiet)
        let current = PersonStore(key: after.storeSetup.personalDataKey)
        #expect(try current.read(caseID: cases[0], organisation: organisation, on: db) == identifiers)
        #expect(try current.read(caseID: cases[1], organisation: organisation, on: db) == changed)
        await after.shutdown()
        await #expect(throws: (any Error).self) {
            let host = try await ServiceHost.open(choice, Self.server(key: old), logger: Self.quiet)
            await host.shutdown()
        }
        let audited = try db.query("SELECT actor, detail FROM audit_log WHERE action = 'pii_key.rotated'").map {
            try $0.decode((String, String).self)
        }
        #expect(audited.count == 1 && audited.first?.0 == "operator:test")
    }

    @Test("pii-key generate writes 64 hex digits with mode 0600 and never overwrites")
    func generates() throws {
        let path = NSTemporaryDirectory() + "passage-generated-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PassageDatabase.generatePersonalDataKey(at: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let key = text.trimmingCharacters(in: .newlines)
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: (any Error).self) { try PassageDatabase.generatePersonalDataKey(at: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }
}
