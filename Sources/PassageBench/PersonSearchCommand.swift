import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres

/// `passage-bench person-search`: search latency over many persons, and what PERSON SET's
/// duplicate check adds (Docs/finding-persons.md "Figures"). On an embedded data directory
/// (`passage migrate --data-dir DIR` first): loads `--persons` persons of the evaluation
/// generator (both records of each pair: namesakes, siblings and variants included) in bulk,
/// each sealed and indexed as PERSON SET does; then times `--queries` searches (the blind-key
/// lookup and opening of candidates in one transaction, scoring after, as the service does,
/// without its audit entry), and the index write of a person with and without the check,
/// alternating. Prints p50/p95/p99 in milliseconds.
struct PersonSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person-search",
        abstract: "Search latency over many persons; PERSON SET with vs without the check.")
    @Option(help: "Embedded data directory (passage migrate --data-dir DIR first).") var dataDir: String
    @Option(help: "Persons to load (0: use those loaded before).") var persons = 100_000
    @Option(help: "Searches and duplicate checks to time.") var queries = 500

    func run() throws {
        var logger = Logger(label: "bench.person-search")
        logger.logLevel = .warning
        let opened = try OpenedDatabase.open(.embedded(directory: dataDir), logger: logger)
        defer { opened.close(stopCluster: false) }
        let connection = try PostgresConnection.connect(opened.conninfo)
        defer { connection.close() }
        let key = try PIIKey(secret: String(repeating: "s", count: 64))
        let index = PersonIndexStore(key: key)
        let organisation = try connection.transaction { db in
            try OrganisationStore.id(named: "bench-person-search", create: true, on: db)
        }
        let set = EvaluationSet(pairs: max(persons, queries * 2) / 2 + queries, seed: 2026)
        let clock = ContinuousClock()
        if persons > 0 {
            let loaded = try clock.measure {
                try load(
                    set.pairs.prefix(persons / 2).flatMap { [$0.first, $0.second] }, key: key, index: index,
                    organisation: organisation, on: connection)
            }
            print("loaded \(persons) persons in \(loaded)")
            try connection.execute("VACUUM ANALYZE person_match_keys")
            try connection.execute("VACUUM ANALYZE persons")
        }
        let total = try connection.query("SELECT count(*) FROM persons WHERE organisation_id = \(organisation)")[0]
            .decode(Int.self)
        // Searches: the variant record of a loaded pair, as a caseworker would type it.
        var searchTimes: [Double] = []
        var candidates = 0
        for pair in set.pairs.prefix(queries) {
            var query = PersonQuery(pair.second)
            query.sex = pair.second.sex
            let keys = PersonMatchKeys.forQuery(query)
            let elapsed = try clock.measure {
                let found = try connection.transaction { db in
                    try index.candidates(
                        for: keys, organisation: organisation, limit: PersonIndexStore.candidateLimit, on: db)
                }
                candidates += found.count
                _ = found.map { PersonMatchScore.score(query, $0.person) }.filter { $0 >= PersonMatchScore.listed }
            }
            searchTimes.append(elapsed.milliseconds)
        }
        print("persons \(total), searches \(queries), candidates per search \(Double(candidates) / Double(queries))")
        print("search ms: \(Self.percentiles(searchTimes))")
        // PERSON SET's index write without and with the duplicate check, on persons not loaded.
        let fresh = try load(
            set.pairs.suffix(queries).map(\.first), key: key, index: index, organisation: organisation, on: connection)
        var without: [Double] = []
        var with: [Double] = []
        for (personID, caseID, identifiers) in fresh {
            without.append(
                try clock.measure {
                    try connection.transaction { db in
                        try index.index(identifiers, personID: personID, organisation: organisation, on: db)
                    }
                }.milliseconds)
            with.append(
                try clock.measure {
                    _ = try connection.transaction { db in
                        try index.index(identifiers, personID: personID, organisation: organisation, on: db)
                        return try index.strongMatches(
                            of: identifiers, personID: personID, caseID: caseID, organisation: organisation, on: db)
                    }
                }.milliseconds)
        }
        print("index write ms without check: \(Self.percentiles(without))")
        print("index write ms with check:    \(Self.percentiles(with))")
    }

    /// Loads `people` as cases with persons and index rows, in batches; their (person, case, identifiers).
    func load(
        _ people: [MatchablePerson], key: PIIKey, index: PersonIndexStore, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> [(Int64, Int64, PersonalIdentifiers)] {
        let template = try connection.transaction { db in
            try CaseStore().create(
                try CaseFacts.decode(jsonLine: #"{"ref":"ps-template-\#(UUID().uuidString)","current_country":"JO"}"#),
                organisation: organisation, caseworker: "bench", on: db
            ).id
        }
        var loaded: [(Int64, Int64, PersonalIdentifiers)] = []
        let batch = 5_000
        var start = 0
        while start < people.count {
            let slice = people[start..<min(start + batch, people.count)]
            let identifiers = slice.map {
                PersonalIdentifiers(
                    names: $0.names, dateOfBirth: $0.dateOfBirth, phone: $0.phone, documents: $0.documents)
            }
            let sealed = try identifiers.map {
                try key.sealPerson($0, organisation: organisation, replacing: nil).map { String(format: "%02x", $0) }
                    .joined()
            }
            let sexes = slice.map { $0.sex ?? "unknown" }
            try connection.transaction { db in
                let ids = try db.query(
                    """
                    WITH p AS (
                        INSERT INTO persons (organisation_id, identifiers)
                        SELECT \(organisation), decode(s, 'hex') FROM unnest(\(sealed)::text[]) WITH ORDINALITY AS u(s, n)
                        ORDER BY n RETURNING id),
                    numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM p),
                    c AS (
                        INSERT INTO cases (organisation_id, person_id, ref, caseworker, facts, classification,
                                           classifier_version, classified_by, primary_category, categories, review)
                        SELECT t.organisation_id, numbered.id, 'ps-' || numbered.id, t.caseworker,
                               t.facts || jsonb_build_object('sex', (\(sexes)::text[])[numbered.n]),
                               t.classification, t.classifier_version, t.classified_by, t.primary_category,
                               t.categories, t.review
                          FROM numbered, cases t WHERE t.id = \(template)
                        RETURNING id, person_id)
                    SELECT person_id, id FROM c ORDER BY person_id
                    """
                ).map { try $0.decode((Int64, Int64).self) }
                var personIDs: [Int] = []
                var kinds: [Int] = []
                var keys: [Int] = []
                for ((personID, caseID), person) in zip(ids, identifiers) {
                    let rows = index.rows(for: person)
                    personIDs += Array(repeating: Int(personID), count: rows.kinds.count)
                    kinds += rows.kinds
                    keys += rows.keys
                    loaded.append((personID, caseID, person))
                }
                try db.execute(
                    """
                    INSERT INTO person_match_keys (person_id, organisation_id, kind, key)
                    SELECT p, \(organisation), k, v FROM unnest(\(personIDs)::int8[], \(kinds)::int8[], \(keys)::int8[]) AS u(p, k, v)
                    """)
            }
            start += batch
        }
        return loaded
    }

    static func percentiles(_ values: [Double]) -> String {
        let sorted = values.sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return String(
            format: "p50 %.2f  p95 %.2f  p99 %.2f  mean %.2f", at(0.5), at(0.95), at(0.99),
            sorted.reduce(0, +) / Double(sorted.count))
    }
}

extension Duration {
    fileprivate var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
