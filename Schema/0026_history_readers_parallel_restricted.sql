-- The two functions that read a row's history for a release (0014) may run in a parallel
-- query's leader (issue 22, Docs/performance.md "Cost curve"). Declared PARALLEL UNSAFE by
-- default, one call anywhere in a query kept the whole query in one process, so a STATS release
-- counted 10 M unchanged cases alone while `psql` counts them with two workers. Restricted is
-- enough: only the few rows changed since the boundary call them, in the leader, while the
-- workers scan and count the rest. They only read (STABLE), so running in parallel mode is safe.
ALTER FUNCTION passage_classification_at(bigint, timestamptz) PARALLEL RESTRICTED;
ALTER FUNCTION passage_referral_status_at(bigint, timestamptz) PARALLEL RESTRICTED;
