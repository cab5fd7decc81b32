-- The gap rollup's measures, figures and registry facts as parallel arrays instead of jsonb
-- (issue 7; Docs/performance.md "What makes GAPS fast"). A profile at a million cases showed
-- that turning thousands of jsonb objects back into Swift values (through Foundation's
-- JSONSerialization) was most of a rollup answer's time; arrays of text, bigint and float8 are
-- read by the Postgres layer directly. The rollup is derived data: it is emptied here and the
-- next refresh fills it again, and its refresh history goes too, so that until then GAPS reads
-- the base tables instead of an empty rollup.
DELETE FROM gap_rollups;
DELETE FROM gap_rollup_refreshes;
ALTER TABLE gap_rollups
    DROP COLUMN counts,
    DROP COLUMN figures,
    DROP COLUMN registry,
    -- measure names, and for each (same position) the true count and the cell key
    ADD COLUMN measures       text[]   NOT NULL,
    ADD COLUMN counts         bigint[] NOT NULL,
    ADD COLUMN cell_keys      bigint[] NOT NULL,
    -- median and 90th-percentile times, in hours: the figures the group has (a figure of no rows is absent)
    ADD COLUMN figure_names   text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN figure_values  float8[] NOT NULL DEFAULT '{}',
    -- coverage: active providers and their stated capacity (public registry facts)
    ADD COLUMN registry_names  text[]   NOT NULL DEFAULT '{}',
    ADD COLUMN registry_values bigint[] NOT NULL DEFAULT '{}';
