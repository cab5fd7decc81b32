import ArgumentParser
import Foundation
import Logging
import PassageCore
import PassageStore
import Postgres
import Synchronization

/// `passage-bench person-search`: search latency over many persons, and what PERSON SET's
/// duplicate check adds (Docs/finding-persons.md "Figures"). On an embedded data directory
/// (`passage migrate --data-dir DIR` first): loads `--persons` persons of the evaluation
/// generator (both records of each pair: namesakes, siblings and variants included, in pair
/// order) in bulk, each sealed and indexed as PERSON SET does; then times `--queries` searches
/// (the second record of a pair, excluding itself: the ranking query, the opening of the
/// candidates in one transaction, the scoring, as the service does, without its audit entry),
/// counts how often the first record of a same-person pair is found as a strong match, and
/// times the index write of new persons without and with the checks PERSON SET runs (the warning
/// within the organisation in its transaction, the registration check across organisations in
/// a second one), alternating. Prints p50/p95/p99 in milliseconds.
struct PersonSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person-search",
        abstract: "Search latency over many persons; PERSON SET with vs without the check.")
    @Option(help: "Embedded data directory (passage migrate --data-dir DIR first).") var dataDir: String
    @Option(help: "Persons to load (or loaded before, with --reuse).") var persons = 100_000
    @Option(help: "Searches and duplicate checks to time.") var queries = 500
    @Option(help: "Candidates a search opens at most.") var candidates = PersonIndexStore.candidateLimit
    @Flag(help: "The persons were loaded by an earlier run with the same --persons: load none.") var reuse = false
    @Flag(help: "Seal under per-person keys (pd2:, the keyring cluster beside the data directory).")
    var keyring = false
    @Flag(help: "Print each same-person pair the search did not find (generated people, not real ones).")
    var misses = false

    func validate() throws {
        guard persons >= 2 * queries, queries >= 1 else {
            throw ValidationError("--queries must be at least 1 and --persons at least twice --queries")
        }
    }

    func run() throws {
        var logger = Logger(label: "bench.person-search")
        logger.logLevel = .warning
        let location = DatabaseLocation.embedded(directory: dataDir)
        let opened = try OpenedDatabase.open(location, logger: logger)
        defer { opened.close(stopCluster: false) }
        let connection = try PostgresConnection.connect(opened.conninfo)
        defer { connection.close() }
        var key = try PIIKey(secret: String(repeating: "s", count: 64))
        var keyringDatabase: KeyringDatabase?
        if keyring {
            keyringDatabase = try KeyringDatabase.open(
                for: location, url: nil, caseConninfo: opened.conninfo, logger: logger)
            guard let keyringDatabase else { throw ValidationError("no keyring") }
            key = key.using(keyring: keyringDatabase.keyring)
        }
        defer { keyringDatabase?.close(stopCluster: false) }
        let index = PersonIndexStore(key: key)
        let organisation = try connection.transaction { db in
            try OrganisationStore.id(named: "bench-person-search", create: true, on: db)
        }
        let set = EvaluationSet(pairs: persons / 2, seed: 2026)
        let clock = ContinuousClock()
        if !reuse {
            let loaded = try clock.measure {
                _ = try load(
                    set.pairs.flatMap { [$0.first, $0.second] }, key: key, index: index, organisation: organisation,
                    on: connection)
            }
            print("loaded \(persons) persons in \(loaded)")
            try connection.execute("VACUUM ANALYZE person_match_keys")
            try connection.execute("VACUUM ANALYZE persons")
            try connection.execute("VACUUM ANALYZE cases")
        }
        let total = try connection.query("SELECT count(*) FROM persons WHERE organisation_id = \(organisation)")[0]
            .decode(Int.self)
        // the persons of the pairs, in load order: pair i is (ids[2i], ids[2i + 1])
        let ids = try connection.query(
            "SELECT id FROM persons WHERE organisation_id = \(organisation) ORDER BY id LIMIT \(2 * queries)"
        ).map { try $0.decode(Int64.self) }
        // Searches: the variant record of a loaded pair, as a caseworker would type it, itself left out.
        var searchTimes: [Double] = []
        var reachedCount = 0
        var (same, found, scorable) = (0, 0, 0)
        for (number, pair) in set.pairs.prefix(queries).enumerated() {
            var query = PersonQuery(pair.second)
            query.sex = pair.second.sex
            var matches: [ScoredCandidate] = []
            let elapsed = try clock.measure {
                let reached = try connection.transaction { db in
                    try index.scoredCandidates(
                        for: query, in: .organisation(organisation), excluding: ids[2 * number + 1], filtering: true,
                        limit: candidates, on: db)
                }
                reachedCount += reached.count
                matches = reached.filter { $0.score >= PersonMatchScore.listed }
            }
            searchTimes.append(elapsed.milliseconds)
            // recall at this size: the first record, when it is the same person and scores strong on its own
            guard pair.samePerson else { continue }
            same += 1
            guard PersonMatchScore.score(query, pair.first) >= PersonMatchScore.strongMatch else { continue }
            scorable += 1
            if matches.contains(where: { $0.personID == ids[2 * number] && $0.score >= PersonMatchScore.strongMatch }) {
                found += 1
            } else if misses {
                print("missed:", pair.kind, pair.first, "|", pair.second)
            }
        }
        print("persons \(total), searches \(queries), candidates per search \(Double(reachedCount) / Double(queries))")
        print("search ms: \(Self.percentiles(searchTimes))")
        print(
            "same-person queries \(same), strong when scored alone \(scorable), found strong by the search \(found)"
                + String(format: " (%.4f)", Double(found) / Double(max(scorable, 1))))
        // PERSON SET's index write without and with its checks, on persons not loaded before.
        let fresh = try load(
            EvaluationSet(pairs: queries, seed: 4_000 + UInt64(total)).pairs.map(\.first), key: key, index: index,
            organisation: organisation, on: connection)
        var without: [Double] = []
        var with: [Double] = []
        var warnings = 0
        for (personID, caseID, identifiers) in fresh {
            without.append(
                try clock.measure {
                    try connection.transaction { db in
                        try index.index(identifiers, personID: personID, organisation: organisation, on: db)
                    }
                }.milliseconds)
            with.append(
                try clock.measure {
                    let strong = try connection.transaction { db in
                        try index.index(identifiers, personID: personID, organisation: organisation, on: db)
                        return try index.strongMatches(
                            of: identifiers, personID: personID, caseID: caseID, organisation: organisation, on: db)
                    }
                    warnings += strong.count
                    _ = try connection.transaction { db in
                        try index.duplicateCandidates(ofCase: caseID, organisation: organisation, on: db)
                    }
                }.milliseconds)
        }
        print("index write ms without check: \(Self.percentiles(without))")
        print("index write ms with check:    \(Self.percentiles(with))")
        print(
            "check costs (p50, p95 of with minus without): "
                + String(
                    format: "%.2f ms, %.2f ms; warnings %d", Self.at(with, 0.5) - Self.at(without, 0.5),
                    Self.at(with, 0.95) - Self.at(without, 0.95), warnings))
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
            // sealing and blinding (transliteration, HMACs) on every core; the inserts in one transaction
            let prepared = try Self.concurrently(identifiers) { person in
                (
                    HexText.lowercase(try key.sealPerson(person, organisation: organisation, replacing: nil)),
                    index.rows(for: person)
                )
            }
            let sealed = prepared.map(\.0)
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
                for (((personID, caseID), person), (_, rows)) in zip(zip(ids, identifiers), prepared) {
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

    /// `transform` of each of `items`, in order, spread over the machine's cores.
    static func concurrently<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) throws -> Result
    ) throws -> [Result] {
        let results = Mutex<[Int: Swift.Result<Result, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let result = Swift.Result { try transform(items[index]) }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { done in try (0..<items.count).map { try done[$0]!.get() } }
    }

    static func at(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func percentiles(_ values: [Double]) -> String {
        String(
            format: "p50 %.2f  p95 %.2f  p99 %.2f  mean %.2f", at(values, 0.5), at(values, 0.95), at(values, 0.99),
            values.reduce(0, +) / Double(values.count))
    }
}

extension Duration {
    fileprivate var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
