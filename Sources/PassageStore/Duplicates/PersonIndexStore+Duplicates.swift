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
        let candidates = try scoredCandidates(
            for: query, in: .everyOrganisation, excluding: personID, on: connection
        )
        .filter { $0.score >= PersonMatchScore.strongMatch }
        .map { candidate in
            // one of its cases: the pair's reference for the other side to ask about
            DuplicateCandidate(
                personID: candidate.personID, caseID: candidate.cases.first?.id ?? 0,
                organisationID: candidate.organisationID, score: candidate.score)
        }
        return (personID, candidates)
    }
}
