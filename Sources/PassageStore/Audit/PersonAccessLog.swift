import Foundation
import PassageCore
import Postgres

/// Reads the audit chain for every entry about one person's record (Docs/case-life.md "Who saw
/// my data"): entries whose subject is a case of that person or a referral of such a case.
public enum PersonAccessLog {
    /// The entries about the person of case `caseID` of `organisation`, oldest first; not found
    /// when the case is not the organisation's.
    public static func accesses(ofCase caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws
        -> [PersonAccess]
    {
        let found = try connection.query(
            "SELECT person_id FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation)")
        guard let row = found.first else { throw StoreError.notFound("case \(caseID)") }
        let person = try row.decode(Int64?.self)
        let rows = try connection.query(
            """
            WITH person_cases AS (
                SELECT id FROM cases WHERE id = \(caseID) OR (\(person)::bigint IS NOT NULL AND person_id = \(person))),
            subjects AS (
                SELECT 'case:' || id AS subject FROM person_cases
                UNION SELECT 'referral:' || r.id FROM referrals r WHERE r.case_id IN (SELECT id FROM person_cases))
            SELECT a.id, a.at, a.actor, o.name, a.action, a.subject, a.source, a.detail
              FROM audit_log a
              JOIN subjects s ON s.subject = a.subject
              LEFT JOIN users u ON u.name = a.actor
              LEFT JOIN organisations o ON o.id = u.organisation_id
             ORDER BY a.id
            """)
        return try rows.map { row in
            let (id, at, actor, organisation, action, subject, source, detail) = try row.decode(
                (Int64, Date, String, String?, String, String, String, String).self)
            return PersonAccess(
                entry: id, at: at, user: actor, organisation: organisation, action: action, subject: subject,
                source: source, detail: detail)
        }
    }
}
