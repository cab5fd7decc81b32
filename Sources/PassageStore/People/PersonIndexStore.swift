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

    public init(key: PIIKey) {
        self.key = key
        indexKey = PersonMatchIndexKey(secret: key.secret)
    }

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
        guard !keys.isEmpty else { return }
        let (kinds, values) = blind(keys)
        try connection.execute(
            """
            INSERT INTO person_match_keys (person_id, organisation_id, kind, key)
            SELECT \(personID), \(organisation), kind, key
              FROM unnest(\(kinds)::int8[], \(values)::int8[]) AS k(kind, key)
            """)
    }

    /// Persons of `organisation` that share at least one of `keys`, most shared keys first, at
    /// most `limit`, with their cases (at least one case of `sex` / `nationality` when given) and
    /// their identifiers opened: what a search scores.
    public func candidates(
        for keys: Set<MatchKey>, organisation: Int64, sex: String? = nil, nationality: String? = nil, limit: Int,
        on connection: PostgresConnection
    ) throws -> [PersonCandidate] {
        guard !keys.isEmpty else { return [] }
        let values = blind(keys).values
        let rows = try connection.query(
            """
            WITH hits AS (
                SELECT person_id, count(*) AS shared FROM person_match_keys
                 WHERE key = ANY(\(values)::int8[]) AND organisation_id = \(organisation)
                 GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT \(limit))
            SELECT p.id, p.identifiers, h.shared, array_agg(c.id ORDER BY c.id), array_agg(c.ref ORDER BY c.id),
                   coalesce(min(c.sex), ''), coalesce(min(c.origin_country), '')
              FROM hits h
              JOIN persons p ON p.id = h.person_id AND p.organisation_id = \(organisation)
              JOIN cases c ON c.person_id = p.id AND c.organisation_id = \(organisation)
             WHERE (\(sex ?? "") = '' OR c.sex = \(sex ?? ""))
               AND (\(nationality ?? "") = '' OR c.origin_country = \(nationality ?? ""))
             GROUP BY p.id, p.identifiers, h.shared
             ORDER BY h.shared DESC, p.id
            """)
        return try rows.map { row in
            let (personID, sealed, shared, caseIDs, refs, sex, nationality) = try row.decode(
                (Int64, [UInt8], Int, [Int], [String], String, String).self)
            let identifiers = try open(sealed, organisation: organisation)
            var matchable = identifiers.matchable
            matchable.sex = sex.isEmpty ? nil : sex
            matchable.nationality = nationality.isEmpty ? nil : nationality
            return PersonCandidate(
                personID: personID, sharedKeys: shared, person: matchable,
                cases: zip(caseIDs, refs).map { CaseReference(id: Int64($0), ref: $1) })
        }
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

/// A person a search's keys reached, opened for scoring.
public struct PersonCandidate: Sendable, Equatable {
    public let personID: Int64
    public let sharedKeys: Int
    public let person: MatchablePerson
    public let cases: [CaseReference]
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
        return try candidates(
            for: PersonMatchKeys.forQuery(query), organisation: organisation, limit: Self.candidateLimit, on: connection
        )
        .filter { $0.personID != personID }
        .map { PersonMatch(cases: $0.cases, score: PersonMatchScore.score(query, $0.person)) }
        .filter(\.isStrong)
        .sorted { $0.score > $1.score }
    }

    /// At most this many candidates are opened and scored for one search or check: the keys
    /// are chosen so that far fewer share one (a search by a very common single name is the
    /// exception, and is answered from its best-sharing candidates).
    public static let candidateLimit = 50
}

extension PersonIndexStore {
    /// The rows `index` writes for `identifiers` (kind, key), for bulk loads (`passage-bench person-search`).
    public func rows(for identifiers: PersonalIdentifiers) -> (kinds: [Int], keys: [Int]) {
        let (kinds, values) = blind(PersonMatchKeys.forRecord(identifiers.matchable))
        return (kinds, values)
    }
}
