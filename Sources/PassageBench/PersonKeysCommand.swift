import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// `passage-bench person-keys`: what per-person keys cost (Docs/performance.md "Per-person
/// keys"). On an embedded data directory (migrated, with its keyring cluster beside it), the same
/// process records and then reads persons (PERSON SET's and PERSON SHOW's store work, one
/// transaction each) sealed under the personal-data key itself (`pd1:`, as before the keyring)
/// and under keys of their own (`pd2:`, one keyring entry made per new person, one keyring
/// lookup per read), alternating in chunks so that drift hits both alike. Prints mean
/// microseconds per operation and the ratios pd2/pd1.
struct PersonKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person-keys",
        abstract: "Record and read persons under the personal-data key (pd1) and under per-person keys (pd2).")
    @Option(help: "Embedded data directory (passage migrate --data-dir DIR first).") var dataDir: String
    @Option(help: "Persons of each kind.") var persons = 2_000
    @Option(help: "Persons per alternation.") var chunk = 250

    func validate() throws {
        guard (1...1_000_000).contains(persons), (1...persons).contains(chunk) else {
            throw ValidationError("--persons 1…1000000, --chunk 1…persons")
        }
    }

    func run() throws {
        var logger = Logger(label: "bench.person-keys")
        logger.logLevel = .warning
        let location = DatabaseLocation.embedded(directory: dataDir)
        let opened = try OpenedDatabase.open(location, logger: logger)
        defer { opened.close(stopCluster: false) }
        guard
            let keyringDatabase = try KeyringDatabase.open(
                for: location, url: nil, caseConninfo: opened.conninfo, logger: logger)
        else { throw ValidationError("no keyring") }
        defer { keyringDatabase.close(stopCluster: false) }
        let connection = try PostgresConnection.connect(opened.conninfo)
        defer { connection.close() }
        let master = try PIIKey(secret: String(repeating: "b", count: 64))
        let stores = [
            ("pd1", PersonStore(key: master)),
            ("pd2", PersonStore(key: master.using(keyring: keyringDatabase.keyring))),
        ]
        let (organisation, cases) = try connection.transaction { db -> (Int64, [Int64]) in
            let organisation = try OrganisationStore.id(
                named: "bench-person-keys-\(UUID().uuidString.prefix(8))", create: true, on: db)
            var ids: [Int64] = []
            for index in 0..<(2 * persons) {
                let facts = try CaseFacts.decode(
                    jsonLine: #"{"ref":"pk-\#(index)","age":30,"nationality":"VE","current_country":"CO"}"#)
                ids.append(try CaseStore().create(facts, organisation: organisation, caseworker: "bench", on: db).id)
            }
            return (organisation, ids)
        }
        let identifiers = PersonalIdentifiers(
            names: ["Ana María Díaz Pérez"], dateOfBirth: "1990-04-01", phone: "+57 300 123 4567",
            documents: ["V-12345678"])
        let clock = ContinuousClock()
        var write = [Duration.zero, .zero]
        var read = [Duration.zero, .zero]
        var start = 0
        while start < persons {
            let end = min(start + chunk, persons)
            for (kind, (_, store)) in stores.enumerated() {
                let mine = cases[(kind * persons + start)..<(kind * persons + end)]
                write[kind] += try clock.measure {
                    for caseID in mine {
                        try connection.transaction { db in
                            try store.record(identifiers, caseID: caseID, organisation: organisation, on: db)
                        }
                    }
                }
                read[kind] += try clock.measure {
                    for caseID in mine {
                        let stored = try connection.transaction { db in
                            try store.readStored(caseID: caseID, organisation: organisation, on: db)
                        }
                        guard stored == .identifiers(identifiers) else { throw ValidationError("read back differs") }
                    }
                }
            }
            start = end
        }
        func micros(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12)
                / Double(persons)
        }
        for (kind, (name, _)) in stores.enumerated() {
            print(String(format: "%@ record %.0f us  read %.0f us", name, micros(write[kind]), micros(read[kind])))
        }
        print(
            String(
                format: "ratio pd2/pd1: record %.2f  read %.2f", micros(write[1]) / micros(write[0]),
                micros(read[1]) / micros(read[0])))
    }
}
