import Foundation
import PassageCore
import Postgres

/// A release's facts as they stood at its boundary, where a history is kept (issue 17,
/// Docs/anonymisation.md "What a release reads"). Rows count when recorded before the boundary;
/// then a case's category and subcategory come from its classification history and a
/// referral's status from its events (`passage_classification_at`, `passage_referral_status_at`,
/// Schema/0014). Only rows changed since the boundary read the history: a row whose last change
/// is older is already as it stood. A referral's answer (`referral_response`) needs no history:
/// its time is on the row, counted only when before the boundary.
///
/// Not kept as history, so read as they stand when the release is made (then frozen): a case's
/// sex, age band, origin, country and area (its facts are replaced in place) and a need's status.
enum AsOfBoundary {
    /// The expression of `dimension` as of `boundary`, or nil when it has no history to read.
    static func append(
        _ dimension: StatisticsDimension, asOf boundary: Date,
        to sql: inout PostgresQuery.StringInterpolation
    ) -> Bool {
        switch dimension {
        case .category:
            sql.appendLiteral("(CASE WHEN greatest(c.updated_at, c.classified_at) < ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral(" THEN c.primary_category ELSE (passage_classification_at(c.id, ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral("))[1] END)")
        case .subcategory:
            sql.appendLiteral("coalesce(CASE WHEN greatest(c.updated_at, c.classified_at) < ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral(" THEN c.subcategory ELSE (passage_classification_at(c.id, ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral("))[2] END, 'none')")
        case .referralStatus:
            sql.appendLiteral("(CASE WHEN r.updated_at < ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral(" THEN r.status ELSE passage_referral_status_at(r.id, ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral(") END)")
        case .referralResponse:
            // Answered before the boundary (accepted, or declined: the provider's answer, whose
            // time the transition wrote), then in time or late against the due time; no answer
            // before the boundary is `none`, whatever came after. No history needed: both times
            // are written once, by the answer itself.
            sql.appendLiteral(
                "(CASE WHEN coalesce(r.accepted_at, CASE WHEN r.status = 'declined' THEN r.closed_at END) < ")
            sql.appendInterpolation(boundary)
            sql.appendLiteral(
                " THEN (CASE WHEN coalesce(r.accepted_at, CASE WHEN r.status = 'declined' THEN r.closed_at END) <= r.due_at THEN 'in_time' ELSE 'late' END) ELSE 'none' END)"
            )
        default:
            return false
        }
        return true
    }

}
