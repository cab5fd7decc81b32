import Foundation
import PassageCore
import Postgres

extension ReferralStore {
    /// `REFERRAL SET`: moves referral `id` by `event` on behalf of `organisation`, if the
    /// lifecycle allows it from the referral's current state and `organisation` holds the side
    /// the event needs. The row is locked first, so of two concurrent requests the second sees
    /// the first's result: a stale `expectedVersion` or an illegal transition, refused with
    /// nothing changed.
    public func move(
        id: Int64, by event: ReferralEvent, expectedVersion: Int?, note: String?, organisation: Int64,
        actor: String, on connection: PostgresConnection
    ) throws -> ReferralMoved {
        let rows = try connection.query(
            """
            SELECT r.status, r.outcome, r.reason, r.version, r.referring_organisation_id, r.receiving_organisation_id,
                   (SELECT array_agg(code ORDER BY code) FROM referral_reasons WHERE kind = \(event.reasonKind))
              FROM referrals r
             WHERE r.id = \(id) AND \(organisation) IN (r.referring_organisation_id, r.receiving_organisation_id)
               FOR UPDATE OF r
            """)
        guard let row = rows.first else { throw StoreError.notFound("referral \(id)") }
        let (statusText, storedOutcome, storedReason, version, referringID, receivingID, knownReasons) =
            try row.decode((String, String?, String?, Int, Int64, Int64, [String]?).self)
        let status = ReferralStatus(rawValue: statusText) ?? .pending
        let current: ReferralState
        do throws(ReferralRequestError) {
            current =
                status == .pending
                ? .pending : try ReferralState(status: status, outcome: storedOutcome, reason: storedReason)
        } catch {
            throw StoreError.conflict(
                "referral \(id) is stored in an impossible state (\(error.description)); it was edited outside Passage")
        }
        if let expectedVersion, expectedVersion != version {
            throw StoreError.staleVersion(current: version, given: expectedVersion)
        }
        var sides = Set<ReferralSide>()
        if referringID == organisation { sides.insert(.referring) }
        if receivingID == organisation { sides.insert(.receiving) }
        let next = try ReferralLifecycle.apply(event, to: current, by: sides)
        if let kind = event.reasonKind, let reason = next.reason {
            let known = knownReasons ?? []
            guard known.contains(reason) else {
                throw StoreError.invalid(
                    argument: "reason",
                    message: "reason \(reason) is not a \(kind) reason (known: \(known.joined(separator: ", ")))")
            }
        }
        let moved = try connection.query(
            """
            WITH moved AS (
                UPDATE referrals
                   SET status = \(next.status.rawValue), outcome = \(next.outcome), reason = \(next.reason),
                       version = version + 1, updated_at = now(),
                       accepted_at = CASE WHEN \(next.status.rawValue) = 'accepted' THEN now() ELSE accepted_at END,
                       closed_at = CASE WHEN \(next.status.isOpen) THEN closed_at ELSE now() END
                 WHERE id = \(id) AND version = \(version)
                RETURNING id, version),
            event AS (
                INSERT INTO referral_events (referral_id, actor, from_status, to_status, outcome, reason, note)
                SELECT id, \(actor), \(status.rawValue), \(next.status.rawValue), \(next.outcome), \(next.reason), \(note) FROM moved)
            SELECT version FROM moved
            """)
        guard let after = moved.first else { throw StoreError.staleVersion(current: version + 1, given: version) }
        return ReferralMoved(id: id, from: status, state: next, version: try after.decode(Int.self))
    }
}
