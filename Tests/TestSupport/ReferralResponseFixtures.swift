import Foundation
import PassageCore
import PassageStore
import Postgres

/// How a fixture referral was answered by its provider, as the release boundary sees it
/// (Docs/referrals.md "Answered in time").
public enum FixtureAnswer: String, Sendable, CaseIterable {
    /// Accepted or declined a day after it was made, two days before its due time.
    case inTime
    /// Accepted or declined two days after its due time (still before the boundary).
    case late
    /// Answered in its time, but an hour after the release boundary: not answered in this release.
    case afterBoundary
    /// Never answered: pending, or withdrawn (cancelled) by the referring side.
    case never
}

extension StatisticsFixtures {
    /// A need of each case and a referral of each, made last month (`lastMonth`), due three
    /// days later (or, for `.afterBoundary`, five days after the boundary), with its events as
    /// the lifecycle writes them: created → pending; the answer (`accepted`, or `declined` when
    /// `status` is declined) at the time `answer` says, setting `accepted_at` or `closed_at`;
    /// then a day later the close (`completed`, or `cancelled`). A `.never` referral is pending,
    /// or cancelled two days after it was made when `status` is cancelled.
    public static func answeredReferrals(
        cases: [Int64], code: String, service: String, status: String, answer: FixtureAnswer,
        organisation: Int64 = 1, on connection: PostgresConnection
    ) throws {
        let boundary = ReleasePeriod.month.cutoff(at: Date())
        let made = lastMonth
        let day: TimeInterval = 86_400
        let due = answer == .afterBoundary ? boundary.addingTimeInterval(5 * day) : made.addingTimeInterval(3 * day)
        let answered: Date? =
            switch answer {
            case .inTime: made.addingTimeInterval(day)
            case .late: made.addingTimeInterval(5 * day)
            case .afterBoundary: boundary.addingTimeInterval(3_600)
            case .never: nil
            }
        // The events after creation: (time, from, to, outcome).
        var events: [(Date, String, String, String)] = []
        if let answered {
            let first = status == "declined" ? "declined" : "accepted"
            events.append((answered, "pending", first, ""))
            if status == "completed" || status == "cancelled" {
                events.append(
                    (answered.addingTimeInterval(day), "accepted", status, status == "completed" ? "successful" : ""))
            }
        } else if status == "cancelled" {
            events.append((made.addingTimeInterval(2 * day), "pending", "cancelled", ""))
        }
        let acceptedAt = events.first { $0.2 == "accepted" }?.0
        let closedAt = events.first { ["declined", "completed", "cancelled"].contains($0.2) }?.0
        try connection.execute(
            "INSERT INTO organisations (name) VALUES ('fixture-provider') ON CONFLICT (name) DO NOTHING")
        try connection.execute(
            """
            INSERT INTO providers (organisation_id) SELECT id FROM organisations WHERE name = 'fixture-provider' ON CONFLICT DO NOTHING
            """)
        // Events written with their times; the row last changed at the last of them (a release
        // reads the status from the events only for rows changed since its boundary).
        let times = [made.timeIntervalSince1970] + events.map(\.0.timeIntervalSince1970)
        try connection.execute(
            """
            WITH new_needs AS (
                INSERT INTO needs (case_id, organisation_id, code, priority, identified_by, identified_at)
                SELECT id, \(organisation), \(code), 'urgent', 'fixture', \(made) FROM unnest(\(cases.map(Int.init))) AS c(id)
                RETURNING id, case_id),
            new_referrals AS (
                INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                                       priority, status, outcome, consent, created_by, created_at, due_at, accepted_at, closed_at,
                                       updated_at)
                SELECT n.case_id, n.id, p.id, \(service), \(organisation), p.organisation_id, 'urgent', \(status),
                       CASE WHEN \(status) = 'completed' THEN 'successful' END, true, 'fixture', \(made), \(due),
                       \(acceptedAt), \(closedAt), \(events.last?.0 ?? made)
                  FROM new_needs n, providers p JOIN organisations o ON o.id = p.organisation_id AND o.name = 'fixture-provider'
                RETURNING id)
            INSERT INTO referral_events (referral_id, at, actor, from_status, to_status, outcome)
            SELECT r.id, to_timestamp(e.at), 'fixture', nullif(e.from_status, ''), e.to_status, nullif(e.outcome, '')
              FROM new_referrals r,
                   unnest(\(times), \([""] + events.map(\.1)), \(["pending"] + events.map(\.2)), \([""] + events.map(\.3)))
                   AS e(at, from_status, to_status, outcome)
            """)
    }
}
