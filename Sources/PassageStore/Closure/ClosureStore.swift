import Foundation
import PassageCore
import Postgres

/// Closing and reopening cases (Schema/0019, Docs/case-life.md). Runs on the caller's connection,
/// inside its transaction and organisation scope, so the audit entry commits with the change.
public struct ClosureStore: Sendable {
    public init() {}

    /// Whether organisation `organisation` wants a supervisor to close its cases.
    public func needsSupervisor(organisation: Int64, on connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query(
            "SELECT closure_needs_supervisor FROM organisations WHERE id = \(organisation)")
        return try rows.first?.decode(Bool.self) ?? false
    }

    /// Locks case `caseID` of `organisation` and says whether it is closed.
    public func lockedState(caseID: Int64, organisation: Int64, on connection: PostgresConnection) throws -> Bool {
        let rows = try connection.query(
            "SELECT closed_at IS NOT NULL FROM cases WHERE id = \(caseID) AND organisation_id = \(organisation) FOR UPDATE")
        guard let row = rows.first else { throw StoreError.notFound("case \(caseID)") }
        return try row.decode(Bool.self)
    }

    /// The case's open needs and open (pending or accepted) referrals, by id.
    public func openCasework(caseID: Int64, on connection: PostgresConnection) throws -> OpenCasework {
        let needs = try connection.query(
            "SELECT id FROM needs WHERE case_id = \(caseID) AND status = 'open' ORDER BY id"
        ).map { try $0.decode(Int64.self) }
        let referrals = try connection.query(
            "SELECT id FROM referrals WHERE case_id = \(caseID) AND status IN ('pending', 'accepted') ORDER BY id"
        ).map { try $0.decode(Int64.self) }
        return OpenCasework(needs: needs, referrals: referrals)
    }

    /// Closes the (locked, open) case and records it in its life history.
    public func close(
        caseID: Int64, reason: ClosureReason, carriedForward: [Int64], by name: String, role: Role,
        on connection: PostgresConnection
    ) throws -> CaseClosure {
        try connection.execute(
            "UPDATE cases SET closed_at = now(), closure_reason = \(reason.rawValue), updated_at = now() WHERE id = \(caseID)"
        )
        return try record(
            caseID: caseID, event: .closed, reason: reason, carriedForward: carriedForward, by: name, role: role,
            on: connection)
    }

    /// Reopens the (locked, closed) case and records it in its life history.
    public func reopen(caseID: Int64, by name: String, role: Role, on connection: PostgresConnection) throws
        -> CaseClosure
    {
        try connection.execute(
            "UPDATE cases SET closed_at = NULL, closure_reason = NULL, updated_at = now() WHERE id = \(caseID)")
        return try record(
            caseID: caseID, event: .reopened, reason: nil, carriedForward: [], by: name, role: role, on: connection)
    }

    /// The case's closings and reopenings, oldest first (the case must be visible in scope).
    public func history(caseID: Int64, on connection: PostgresConnection) throws -> [CaseClosure] {
        try connection.query(
            """
            SELECT case_id, event, reason, carried_forward, decided_by, decided_role, at
              FROM case_closures WHERE case_id = \(caseID) ORDER BY id
            """
        ).map(Self.closure(from:))
    }

    private func record(
        caseID: Int64, event: CaseClosure.Event, reason: ClosureReason?, carriedForward: [Int64], by name: String,
        role: Role, on connection: PostgresConnection
    ) throws -> CaseClosure {
        let rows = try connection.query(
            """
            INSERT INTO case_closures (case_id, event, reason, carried_forward, decided_by, decided_role)
            VALUES (\(caseID), \(event.rawValue), \(reason?.rawValue), \(carriedForward.map { Int($0) }), \(name), \(role.rawValue))
            RETURNING case_id, event, reason, carried_forward, decided_by, decided_role, at
            """)
        return try Self.closure(from: rows[0])
    }

    private static func closure(from row: PostgresRow) throws -> CaseClosure {
        let (caseID, event, reason, carried, by, role, at) = try row.decode(
            (Int64, String, String?, [Int], String, String, Date).self)
        guard let event = CaseClosure.Event(rawValue: event) else {
            throw StoreError.unusable("case \(caseID): unknown closure event \(event)")
        }
        return CaseClosure(
            caseID: caseID, event: event, reason: reason.flatMap(ClosureReason.init(rawValue:)),
            carriedForward: carried.map { Int64($0) }, decidedBy: by, decidedRole: role, at: at)
    }
}
