import Foundation
import PassageCore
import Postgres

/// The blind index of persons (`person_match_keys`, Docs/finding-persons.md): written from the
/// clear identifiers in the transaction that seals them, read to find candidates of a search
/// or of a duplicate check. The database sees keyed hashes only; the clear keys, the HMAC key
/// and the scoring stay in this process.
public struct PersonIndexStore: Sendable {
    let key: PIIKey
    let indexKey: PersonMatchIndexKey
    /// The index keys of the previous personal-data keys (during a rotation): rows not yet
    /// rebuilt are under one of them (Docs/finding-persons.md §4 "Rotation").
    let previousIndexKeys: [PersonMatchIndexKey]

    public init(key: PIIKey) {
        self.key = key
        indexKey = PersonMatchIndexKey(secret: key.secret)
        previousIndexKeys = key.previousSecrets.map(PersonMatchIndexKey.init(secret:))
    }

    /// The generation stamped on persons indexed under the current key.
    public var generation: Int64 { indexKey.generation }

    /// The stored values of `keys`, each with its kind.
    func blind(_ keys: Set<MatchKey>) -> (kinds: [Int], values: [Int]) {
        let pairs = Set(keys.map { (Int($0.kind.rawValue), Int(indexKey.blind($0))) }.map(KindAndValue.init))
            .sorted { ($0.kind, $0.value) < ($1.kind, $1.value) }
        return (pairs.map(\.kind), pairs.map(\.value))
    }

    private struct KindAndValue: Hashable {
        let kind: Int
        let value: Int
        init(_ pair: (Int, Int)) { (kind, value) = pair }
    }

    /// Replaces person `personID`'s index rows by those of `identifiers` (nothing to index: no
    /// rows). Run in the transaction that writes the identifiers.
    public func index(
        _ identifiers: PersonalIdentifiers, personID: Int64, organisation: Int64, on connection: PostgresConnection
    ) throws {
        let keys = PersonMatchKeys.forRecord(identifiers.matchable)
        try connection.execute("DELETE FROM person_match_keys WHERE person_id = \(personID)")
        // Which key the rows are under, with them (a rebuild after a rotation looks for the others).
        try connection.execute(
            """
            UPDATE persons SET match_key_generation = \(indexKey.generation)
             WHERE id = \(personID) AND match_key_generation IS DISTINCT FROM \(indexKey.generation)
            """)
        guard !keys.isEmpty else { return }
        let (kinds, values) = blind(keys)
        try connection.execute(
            """
            INSERT INTO person_match_keys (person_id, organisation_id, kind, key)
            SELECT \(personID), \(organisation), kind, key
              FROM unnest(\(kinds)::int8[], \(values)::int8[]) AS k(kind, key)
            """)
    }

    /// The identifiers sealed in `sealed` (the one place the index opens a person's identifiers).
    /// Either format (`pd1:`, or `pd2:` under the person's own key from the keyring); an erased
    /// person (their keys are deleted with them, so met only in a restored backup) opens empty.
    func open(_ sealed: [UInt8], organisation: Int64) throws -> PersonalIdentifiers {
        guard case .identifiers(let identifiers) = try key.openPerson(sealed, organisation: organisation) else {
            return PersonalIdentifiers()
        }
        return identifiers
    }
}

extension PersonalIdentifiers {
    /// What the matching compares of these identifiers.
    public var matchable: MatchablePerson {
        MatchablePerson(names: names, dateOfBirth: dateOfBirth, phone: phone, documents: documents)
    }
}

extension PersonIndexStore {
    /// The index of the persons `people` stores (under the same personal-data key).
    public init(people: PersonStore) { self.init(key: people.key) }

    /// Re-indexes the person of case `caseID` from `identifiers` (just recorded); the person's id.
    @discardableResult
    public func index(
        _ identifiers: PersonalIdentifiers, ofCase caseID: Int64, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> Int64 {
        let rows = try connection.query(
            "SELECT person_id FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation)")
        guard let personID = try rows.first?.decode(Int64?.self) else {
            throw StoreError.notFound("no person recorded for case \(caseID)")
        }
        try index(identifiers, personID: personID, organisation: organisation, on: connection)
        return personID
    }

    /// The other persons of `organisation` that `identifiers` (of person `personID`, case
    /// `caseID`) strongly match: the duplicate check of a person being recorded.
    public func strongMatches(
        of identifiers: PersonalIdentifiers, personID: Int64, caseID: Int64, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> [PersonMatch] {
        var person = identifiers.matchable
        if let row = try connection.query("SELECT sex, origin_country FROM cases WHERE id = \(caseID)").first {
            (person.sex, person.nationality) = try row.decode((String?, String?).self)
        }
        var query = PersonQuery(person)
        query.sex = person.sex
        query.nationality = person.nationality
        return try scoredCandidates(for: query, in: .organisation(organisation), excluding: personID, on: connection)
            .map { PersonMatch(cases: $0.cases, score: $0.score) }
            .filter(\.isStrong)
    }

    /// At most this many candidates are opened and scored for one search or check: the best
    /// ranked by the keys they share (`rankedCandidates`). At 1,000,000 persons the true match
    /// is among them 0.988 of the time (20: 0.979), for about a millisecond more than 20
    /// (Docs/finding-persons.md §6).
    public static let candidateLimit = 50
}

extension PersonIndexStore {
    /// The rows `index` writes for `identifiers` (kind, key), for bulk loads (`passage-bench person-search`).
    public func rows(for identifiers: PersonalIdentifiers) -> (kinds: [Int], keys: [Int]) {
        let (kinds, values) = blind(PersonMatchKeys.forRecord(identifiers.matchable))
        return (kinds, values)
    }
}
