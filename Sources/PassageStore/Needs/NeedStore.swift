import Foundation
import PassageCore
import Postgres

/// Protection needs of cases. Every query names the organisation: a need of another
/// organisation's case is "not found", exactly like the case.
public struct NeedStore: Sendable {
    public init() {}

    /// Records a need of case `caseID`. The code must be a known UNHCR code (`need_codes`).
    public func add(
        caseID: Int64, code: String, priority: String, note: String?, organisation: Int64,
        identifiedBy: String, on connection: PostgresConnection
    ) throws -> NeedRecord {
        guard NeedCode.isWellFormed(code) else {
            throw StoreError.invalid(
                argument: "code", message: "code must be a UNHCR specific-needs code like LP or SV-VA (got \(code))")
        }
        let rows: PostgresRows
        do {
            rows = try connection.query(
                """
                WITH added AS (
                    INSERT INTO needs (case_id, organisation_id, code, priority, identified_by, note)
                    SELECT id, organisation_id, \(code), \(priority), \(identifiedBy), \(note)
                      FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation)
                    RETURNING *)
                SELECT \(Self.columns) FROM added n JOIN need_codes k ON k.code = n.code
                """)
        } catch let error as PostgresError where error.serverError?.kind == .foreignKeyViolation {
            if error.serverError?.constraint?.contains("priority") == true {
                throw StoreError.invalid(
                    argument: "priority", message: "priority must be one of the referral priorities (got \(priority))")
            }
            throw StoreError.invalid(argument: "code", message: "code \(code) is not a known need code")
        }
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        return try Self.record(from: row)
    }

    /// The needs of case `caseID`, oldest first.
    /// The needs of case `caseID` in id order: those after `after`, at most `limit` (nil: all).
    public func list(
        caseID: Int64, organisation: Int64, after: Int64? = nil, limit: Int? = nil, on connection: PostgresConnection
    ) throws -> [NeedRecord] {
        let rows = try connection.query(
            """
            SELECT \(Self.columns) FROM needs n JOIN need_codes k ON k.code = n.code
             WHERE n.case_id = \(caseID) AND n.organisation_id = \(organisation) AND n.id > \(after ?? 0)
             ORDER BY n.id LIMIT \(Int64(limit ?? Int.max))
            """)
        if rows.isEmpty {
            // No needs, or no such case: only the second is an error.
            guard
                try !connection.query("SELECT 1 FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation)")
                    .isEmpty
            else {
                throw StoreError.notFound("case \(caseID)")
            }
        }
        return try rows.map(Self.record(from:))
    }

    /// Marks need `id` open, met or withdrawn. With `expectedVersion`, a need changed since
    /// that version is refused; setting the status it already has is refused too (so of two
    /// caseworkers closing it at once, the second learns the first was there).
    public func setStatus(
        id: Int64, to status: NeedStatus, expectedVersion: Int?, organisation: Int64,
        on connection: PostgresConnection
    ) throws -> NeedRecord {
        let rows = try connection.query(
            """
            SELECT status, version FROM needs WHERE id = \(id) AND organisation_id = \(organisation) FOR UPDATE
            """)
        guard let row = rows.first else { throw StoreError.notFound("need \(id)") }
        let (currentText, version) = try row.decode((String, Int).self)
        let current = NeedStatus(rawValue: currentText) ?? .open
        if let expectedVersion, expectedVersion != version {
            throw StoreError.staleVersion(current: version, given: expectedVersion)
        }
        do {
            _ = try NeedStatus.change(from: current, to: status)
        } catch {
            throw StoreError.conflict(error.description)
        }
        let updated = try connection.query(
            """
            WITH changed AS (
                UPDATE needs SET status = \(status.rawValue), version = version + 1, updated_at = now()
                 WHERE id = \(id) AND organisation_id = \(organisation)
                RETURNING *)
            SELECT \(Self.columns) FROM changed n JOIN need_codes k ON k.code = n.code
            """)
        return try Self.record(from: updated[0])
    }

    static let columns = SQLFragment(
        """
        n.id, n.case_id, n.code, k.meaning, k.dimension, n.priority, n.status, n.identified_by, n.identified_at, \
        n.note, n.version, n.updated_at
        """)

    /// Reads a row of `columns`.
    static func record(from row: PostgresRow) throws -> NeedRecord {
        let (
            id, caseID, code, meaning, dimension, priority, status, identifiedBy, identifiedAt, note, version, updatedAt
        ) =
            try row.decode(
                (Int64, Int64, String, String, String, String, String, String, Date, String?, Int, Date).self)
        return NeedRecord(
            id: id, caseID: caseID, code: code, meaning: meaning, dimension: dimension, priority: priority,
            status: NeedStatus(rawValue: status) ?? .open, identifiedBy: identifiedBy, identifiedAt: identifiedAt,
            note: note, version: version, updatedAt: updatedAt)
    }
}
