-- The release dimension `referral_response` (issue 25, Docs/referrals.md "Answered in time",
-- Docs/anonymisation.md "Standard reports"): whether the receiving provider answered a referral
-- (accepted or declined it) by its due time, as of the release's boundary. The counting roles
-- read the three times that decide it, and only these; the value they group by is one of
-- `in_time`, `late`, `none`, like the creation time they already read to place a referral in
-- its month. No new column and no table rewrite: the answer's time is already on the row
-- (`accepted_at`, or `closed_at` of a declined referral, written once by the answer).
GRANT SELECT (due_at, accepted_at, closed_at) ON referrals TO passage_statistics, passage_statistics_scoped;

-- The planner takes an expression over three timestamps for one group per row (their distinct
-- values multiplied): a STATS table by it was planned as a million-group aggregate spilled to
-- disk, without parallel workers, where by status it is a hashed, parallel one. Statistics on
-- the expression itself (the same text as StatisticsDimension.responseAsItStands, which the
-- count uses for the rows unchanged since the boundary) give it its three values.
CREATE STATISTICS referrals_response_values ON ((
    CASE WHEN coalesce(accepted_at, CASE WHEN status = 'declined' THEN closed_at END) IS NULL THEN 'none'
         WHEN coalesce(accepted_at, CASE WHEN status = 'declined' THEN closed_at END) <= due_at THEN 'in_time'
         ELSE 'late' END)) FROM referrals;
ANALYZE referrals;
