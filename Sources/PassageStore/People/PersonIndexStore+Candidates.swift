import Foundation
import PassageCore
import Postgres

/// The one candidate path of `PERSON SEARCH`, `GET /v1/persons`, `PERSON SET`'s warning and the
/// registration check across organisations (Docs/finding-persons.md §3, §6): SQL ranks the
/// persons sharing blind keys by how telling the shared keys are and returns the best few with
/// their sealed identifiers and cases; the application opens those (one keyring query for all)
/// and scores them against a query prepared once.
extension PersonIndexStore {
    /// Where candidates are looked for.
    public enum CandidateScope: Sendable, Equatable {
        /// One organisation's persons (a search, `PERSON SET`'s warning).
        case organisation(Int64)
        /// Every organisation's (the registration check; outside any scope).
        case everyOrganisation
    }

    /// How much a shared key of each kind says when ranking candidates before any is opened.
    /// Namesakes share every name key with the person searched for; what sets the true match
    /// apart is what namesakes rarely share — a document, the phone, the date — so those weigh
    /// most, and a name pair little (a four-part name gives six correlated pairs: counted as
    /// keys, sixty namesakes would come before the person who shares the date and the phone).
    static func rankWeight(_ kind: MatchKeyKind) -> Double {
        switch kind {
        case .document: 9
        case .phone: 7
        case .birthDate: 6
        case .namePair: 2
        case .namePartYear: 3
        case .birthYearMonth: 2
        case .namePart: 1
        }
    }

    /// The rank weight of `key`: its kind's, except a date of 1 January, which registration
    /// forms write when only the year is known (`PersonMatchScore` reads it so): hundreds share
    /// it in a large organisation, and the person searched for was born on another day of it.
    static func rankWeight(_ key: MatchKey) -> Double {
        key.kind == .birthDate && key.value.hasSuffix("-01-01") ? yearOnlyDateWeight : rankWeight(key.kind)
    }
    static let yearOnlyDateWeight = 1.0

    /// A key more persons share than this (in the scope) is common — a frequent name pair in a
    /// large organisation: its hits are read only up to here and weigh `commonKeyWeight`, so one
    /// search never aggregates tens of thousands of rows (the cost stays flat as the
    /// organisation grows).
    public static let commonKeyPersons = 400
    static let commonKeyWeight = 0.5

    /// The stored values to look up for `keys` with their rank weights: under the current index
    /// key and, during a rotation, each previous one (a person's rows are all under one key).
    func weightedLookup(_ keys: Set<MatchKey>) -> (values: [Int], weights: [Double]) {
        var values: [Int] = []
        var weights: [Double] = []
        for indexKey in [indexKey] + previousIndexKeys {
            for key in keys {
                values.append(Int(indexKey.blind(key)))
                weights.append(Self.rankWeight(key))
            }
        }
        return (values, weights)
    }

    /// A candidate as the ranking query returns it: still sealed.
    struct SealedCandidate {
        let personID: Int64
        let organisationID: Int64
        let sealed: [UInt8]
        let rank: Double
        let cases: [CaseReference]
        let sex: String?
        let nationality: String?
    }

    /// The persons in `scope` sharing keys of `keys`, best ranked first, at most `limit`, each
    /// with its cases (at least one case of `sex` / `nationality` when given), `excluding` a
    /// person (the one being checked); merged-away persons never.
    func rankedCandidates(
        _ keys: Set<MatchKey>, in scope: CandidateScope, excluding: Int64? = nil, sex: String? = nil,
        nationality: String? = nil, limit: Int, on connection: PostgresConnection
    ) throws -> [SealedCandidate] {
        guard !keys.isEmpty else { return [] }
        let (values, weights) = weightedLookup(keys)
        let organisation: Int64 =
            switch scope {
            case .organisation(let id): id
            case .everyOrganisation: 0
            }
        let rows = try connection.query(
            """
            WITH wanted AS (
                SELECT key, weight FROM unnest(\(values)::int8[], \(weights)::float8[]) AS w(key, weight)),
            hits AS (
                SELECT w.key, w.weight, m.person_id
                  FROM wanted w
                  CROSS JOIN LATERAL (
                      SELECT person_id FROM person_match_keys
                       WHERE key = w.key AND (\(organisation) = 0 OR organisation_id = \(organisation))
                       LIMIT \(Self.commonKeyPersons)) m),
            common AS (SELECT key FROM hits GROUP BY key HAVING count(*) >= \(Self.commonKeyPersons)),
            ranked AS (
                SELECT person_id,
                       sum(CASE WHEN key IN (SELECT key FROM common) THEN \(Self.commonKeyWeight) ELSE weight END)
                           AS rank
                  FROM hits
                 WHERE person_id <> \(excluding ?? 0)
                 GROUP BY person_id ORDER BY 2 DESC, person_id LIMIT \(limit))
            SELECT p.id, p.organisation_id, p.identifiers, r.rank, array_agg(c.id ORDER BY c.id),
                   array_agg(c.ref ORDER BY c.id), coalesce(min(c.sex), ''), coalesce(min(c.origin_country), '')
              FROM ranked r
              JOIN persons p ON p.id = r.person_id AND p.merged_into IS NULL
                            AND (\(organisation) = 0 OR p.organisation_id = \(organisation))
              JOIN cases c ON c.person_id = p.id AND c.organisation_id = p.organisation_id
             WHERE (\(sex ?? "") = '' OR c.sex = \(sex ?? ""))
               AND (\(nationality ?? "") = '' OR c.origin_country = \(nationality ?? ""))
             GROUP BY p.id, p.organisation_id, p.identifiers, r.rank
             ORDER BY r.rank DESC, p.id
            """)
        return try rows.map { row in
            let (personID, organisationID, sealed, rank, caseIDs, refs, sex, nationality) = try row.decode(
                (Int64, Int64, [UInt8], Double, [Int], [String], String, String).self)
            return SealedCandidate(
                personID: personID, organisationID: organisationID, sealed: sealed, rank: rank,
                cases: zip(caseIDs, refs).map { CaseReference(id: Int64($0), ref: $1) },
                sex: sex.isEmpty ? nil : sex, nationality: nationality.isEmpty ? nil : nationality)
        }
    }

    /// `candidates` opened, with one keyring query for all (an erased person opens empty).
    func opened(_ candidates: [SealedCandidate]) throws -> [(SealedCandidate, MatchablePerson)] {
        let opened = try key.openPeople(candidates.map { ($0.sealed, $0.organisationID) })
        return zip(candidates, opened).map { candidate, opened in
            var person = MatchablePerson()
            if case .identifiers(let identifiers) = opened { person = identifiers.matchable }
            person.sex = candidate.sex
            person.nationality = candidate.nationality
            return (candidate, person)
        }
    }

    /// The persons in `scope` that `query` reaches, opened and scored, best first: what a search
    /// lists and a duplicate check judges. The clear identifiers of the candidates go no further
    /// than this function.
    public func scoredCandidates(
        for query: PersonQuery, in scope: CandidateScope, excluding: Int64? = nil, filtering: Bool = false,
        limit: Int = PersonIndexStore.candidateLimit, on connection: PostgresConnection
    ) throws -> [ScoredCandidate] {
        let prepared = PersonMatchScore.Prepared(query)
        let candidates = try rankedCandidates(
            PersonMatchKeys.forQuery(query), in: scope, excluding: excluding,
            sex: filtering ? query.sex : nil, nationality: filtering ? query.nationality : nil, limit: limit,
            on: connection)
        return try opened(candidates).map { candidate, person in
            ScoredCandidate(
                personID: candidate.personID, organisationID: candidate.organisationID, cases: candidate.cases,
                score: (prepared.score(person) * 10).rounded() / 10)
        }
        .sorted { ($0.score, -$0.personID) > ($1.score, -$1.personID) }
    }
}

/// A person a search or check reached and how strongly they match (never their identifiers).
public struct ScoredCandidate: Sendable, Equatable {
    public let personID: Int64
    public let organisationID: Int64
    public let cases: [CaseReference]
    /// `PersonMatchScore`, rounded to one decimal.
    public let score: Double
}
