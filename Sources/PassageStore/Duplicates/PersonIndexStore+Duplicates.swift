import Foundation
import PassageCore
import Postgres

extension PersonIndexStore {
    /// The persons of **any** organisation that the person of case `caseID` (of `organisation`)
    /// strongly matches: the registration check that fills the candidate pairs
    /// (Docs/finding-persons.md "Candidate pairs", "Duplicates across organisations").
    ///
    /// Runs outside an organisation's scope (other organisations' blind keys and persons are
    /// read). Candidates are retrieved by the installation-wide blind keys, merged-away persons
    /// skipped; each is opened here, in the application, only to be scored with
    /// `PersonMatchScore`, and its clear identifiers go no further than this function: what
    /// leaves it is the person's id, one of its cases, its organisation and the score. The
    /// person's own id, and nil when the case has no (live) person.
    public func duplicateCandidates(ofCase caseID: Int64, organisation: Int64, on connection: PostgresConnection)
        throws -> (personID: Int64, candidates: [DuplicateCandidate])?
    {
        guard
            let row = try connection.query(
                """
                SELECT p.id, p.identifiers, c.sex, c.origin_country
                  FROM cases c JOIN persons p ON p.id = c.person_id AND p.merged_into IS NULL
                 WHERE c.id = \(caseID) AND c.organisation_id = \(organisation)
                """
            ).first
        else { return nil }
        let (personID, sealed, sex, nationality) = try row.decode((Int64, [UInt8], String?, String?).self)
        var person = try open(sealed, organisation: organisation).matchable
        person.sex = sex
        person.nationality = nationality
        var query = PersonQuery(person)
        query.sex = sex
        query.nationality = nationality
        let keys = PersonMatchKeys.forQuery(query)
        guard !keys.isEmpty else { return (personID, []) }
        let rows = try connection.query(
            """
            WITH hits AS (
                SELECT person_id, count(*) AS shared FROM person_match_keys
                 WHERE key = ANY(\(blind(keys).values)::int8[]) AND person_id <> \(personID)
                 GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT \(Self.candidateLimit))
            SELECT p.id, p.organisation_id, p.identifiers, min(c.id), coalesce(min(c.sex), ''),
                   coalesce(min(c.origin_country), '')
              FROM hits h
              JOIN persons p ON p.id = h.person_id AND p.merged_into IS NULL
              JOIN cases c ON c.person_id = p.id AND c.organisation_id = p.organisation_id
             GROUP BY p.id, p.organisation_id, p.identifiers, h.shared
             ORDER BY h.shared DESC, p.id
            """)
        var candidates: [DuplicateCandidate] = []
        for row in rows {
            let (otherID, otherOrganisation, otherSealed, otherCase, otherSex, otherNationality) = try row.decode(
                (Int64, Int64, [UInt8], Int64, String, String).self)
            var other = try open(otherSealed, organisation: otherOrganisation).matchable
            other.sex = otherSex.isEmpty ? nil : otherSex
            other.nationality = otherNationality.isEmpty ? nil : otherNationality
            let score = (PersonMatchScore.score(query, other) * 10).rounded() / 10
            guard score >= PersonMatchScore.strongMatch else { continue }
            candidates.append(
                DuplicateCandidate(
                    personID: otherID, caseID: otherCase, organisationID: otherOrganisation, score: score))
        }
        return (personID, candidates)
    }
}
