import Foundation
import PassageCore
import Postgres

/// Merging two person records of one organisation and undoing it (Schema/0020,
/// Docs/finding-persons.md "Merge and unmerge"). Runs in the organisation's scope; every query
/// names the organisation as well.
///
/// A merge moves the merged-away person's cases to the survivor (their needs and referrals
/// belong to the cases, so they follow) and marks the merged-away person `merged_into` the
/// survivor. Nothing else changes — no case version, no `updated_at`, no identifiers (the
/// merged-away person keeps its own sealed identifiers) — so an unmerge, which moves exactly the
/// recorded cases back and clears the mark, gives back the rows as they were.
public struct PersonMergeStore: Sendable {
    public init() {}

    static let columns = SQLFragment(
        """
        m.id, m.survivor_case, m.merged_case, m.moved_cases, m.merged_by, m.merged_at, m.unmerged_by, m.unmerged_at
        """)

    /// Merges the person of case `mergedCase` into the person of case `survivorCase`.
    public func merge(
        survivorCase: Int64, mergedCase: Int64, by actor: String, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> PersonMerge {
        guard survivorCase != mergedCase else {
            throw StoreError.invalid(argument: "case-b", message: "name two different cases")
        }
        let survivor = try person(ofCase: survivorCase, organisation: organisation, on: connection)
        let merged = try person(ofCase: mergedCase, organisation: organisation, on: connection)
        guard survivor != merged else {
            throw StoreError.conflict("cases \(survivorCase) and \(mergedCase) are already the same person")
        }
        // Both persons locked, and neither merged away (a case never points to a merged-away
        // person, but a concurrent merge may have just made it so).
        let persons = try connection.query(
            """
            SELECT id, merged_into FROM persons
             WHERE id = ANY(\([Int(survivor), Int(merged)])) AND organisation_id = \(organisation)
             ORDER BY id FOR UPDATE
            """
        ).map { try $0.decode((Int64, Int64?).self) }
        guard persons.count == 2, persons.allSatisfy({ $0.1 == nil }) else {
            throw StoreError.conflict("one of the two persons was merged meanwhile; nothing was changed")
        }
        let moving = try connection.query(
            """
            SELECT id, closed_at IS NOT NULL FROM cases
             WHERE person_id = \(merged) AND organisation_id = \(organisation) ORDER BY id FOR UPDATE
            """
        ).map { try $0.decode((Int64, Bool).self) }
        if let closed = moving.first(where: { $0.1 }) {
            throw StoreError.conflict(
                "case \(closed.0) is closed; reopen it first (CASE REOPEN): a merge moves it to the other person")
        }
        try refuseOpenTransfers(persons: [survivor, merged], on: connection)
        let moved = moving.map(\.0)
        try connection.execute(
            "UPDATE cases SET person_id = \(survivor) WHERE id = ANY(\(moved.map(Int.init))) AND organisation_id = \(organisation)"
        )
        try connection.execute("UPDATE persons SET merged_into = \(survivor) WHERE id = \(merged)")
        let id = try connection.query(
            """
            INSERT INTO person_merges (organisation_id, survivor_id, merged_id, moved_cases, survivor_case, merged_case, merged_by)
            VALUES (\(organisation), \(survivor), \(merged), \(moved.map(Int.init)), \(survivorCase), \(mergedCase), \(actor))
            RETURNING id
            """
        )[0].decode(Int64.self)
        return try show(id: id, organisation: organisation, on: connection)
    }

    /// Undoes merge `id`: its moved cases go back to the merged-away person, which is no longer
    /// merged. Refused when the merge was undone already, when its survivor was merged into a
    /// third person since (undo that first), or when a moved case no longer belongs to the
    /// survivor here (it was transferred or closed).
    public func unmerge(id: Int64, by actor: String, organisation: Int64, on connection: PostgresConnection) throws
        -> PersonMerge
    {
        guard
            let row = try connection.query(
                """
                SELECT survivor_id, merged_id, moved_cases, unmerged_at IS NOT NULL FROM person_merges
                 WHERE id = \(id) AND organisation_id = \(organisation) FOR UPDATE
                """
            ).first
        else { throw StoreError.notFound("merge \(id)") }
        let (survivor, merged, moved, undone) = try row.decode((Int64, Int64, [Int], Bool).self)
        guard !undone else { throw StoreError.conflict("merge \(id) was undone already") }
        if let later = try connection.query(
            """
            SELECT id FROM person_merges
             WHERE merged_id = \(survivor) AND organisation_id = \(organisation) AND unmerged_at IS NULL
            """
        ).first {
            throw StoreError.conflict(
                "the surviving person of merge \(id) was merged again since: undo merge \(try later.decode(Int64.self)) first"
            )
        }
        let cases = try connection.query(
            """
            SELECT id, person_id, organisation_id, closed_at IS NOT NULL FROM cases
             WHERE id = ANY(\(moved)) ORDER BY id FOR UPDATE
            """
        ).map { try $0.decode((Int64, Int64?, Int64, Bool).self) }
        for caseID in moved {
            guard let found = cases.first(where: { $0.0 == Int64(caseID) }), found.2 == organisation,
                found.1 == survivor
            else {
                throw StoreError.conflict(
                    "case \(caseID) of merge \(id) no longer belongs to the surviving person here; nothing was changed")
            }
            if found.3 {
                throw StoreError.conflict("case \(caseID) is closed; reopen it first (CASE REOPEN)")
            }
        }
        try refuseOpenTransfers(persons: [survivor], on: connection)
        try connection.execute(
            "UPDATE cases SET person_id = \(merged) WHERE id = ANY(\(moved)) AND organisation_id = \(organisation)")
        try connection.execute(
            "UPDATE persons SET merged_into = NULL WHERE id = \(merged) AND organisation_id = \(organisation)")
        try connection.execute(
            "UPDATE person_merges SET unmerged_by = \(actor), unmerged_at = now() WHERE id = \(id)")
        return try show(id: id, organisation: organisation, on: connection)
    }

    /// Merge `id` of the organisation.
    public func show(id: Int64, organisation: Int64, on connection: PostgresConnection) throws -> PersonMerge {
        guard
            let row = try connection.query(
                "SELECT \(Self.columns) FROM person_merges m WHERE m.id = \(id) AND m.organisation_id = \(organisation)"
            ).first
        else { throw StoreError.notFound("merge \(id)") }
        return try Self.decode(row)
    }

    /// The person of case `caseID`; notFound when the case is not the organisation's, conflict
    /// when no personal details were recorded for it.
    func person(ofCase caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws -> Int64 {
        guard
            let row = try connection.query(
                "SELECT person_id FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation) FOR UPDATE"
            ).first
        else { throw StoreError.notFound("case \(caseID)") }
        guard let person = try row.decode(Int64?.self) else {
            throw StoreError.conflict("case \(caseID) has no personal details recorded (PERSON SET): nothing to merge")
        }
        return person
    }

    /// An open transfer moves its case's person with it (Docs/transfers.md); a merge under it
    /// would move the other person's cases' person too.
    func refuseOpenTransfers(persons: [Int64], on connection: PostgresConnection) throws {
        if let open = try connection.query(
            """
            SELECT t.id, t.case_id FROM case_transfers t JOIN cases c ON c.id = t.case_id
             WHERE c.person_id = ANY(\(persons.map(Int.init))) AND t.status IN ('proposed', 'requested')
             ORDER BY t.id LIMIT 1
            """
        ).first {
            let (transfer, caseID) = try open.decode((Int64, Int64).self)
            throw StoreError.conflict(
                "case \(caseID) has open transfer \(transfer): decide or cancel it first (TRANSFER DECLINE|CANCEL)")
        }
    }

    static func decode(_ row: PostgresRow) throws -> PersonMerge {
        let (id, survivorCase, mergedCase, moved, mergedBy, mergedAt, unmergedBy, unmergedAt) = try row.decode(
            (Int64, Int64, Int64, [Int], String, Date, String?, Date?).self)
        return PersonMerge(
            id: id, survivorCase: survivorCase, mergedCase: mergedCase, movedCases: moved.map(Int64.init),
            mergedBy: mergedBy, mergedAt: mergedAt, unmergedBy: unmergedBy, unmergedAt: unmergedAt)
    }
}
