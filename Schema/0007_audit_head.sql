-- The audit chain's head in a row of its own (Docs/architecture.md "Audit", Docs/performance.md
-- "REFER").
--
-- Until now an appender took a transaction-level advisory lock, then read the newest entry's
-- hash with `ORDER BY id DESC LIMIT 1`, then inserted: two round trips inside the serialised
-- part of every audited transaction, and a look-up whose cached plan was made while audit_log
-- was small (a sequential scan that grew with the table until autovacuum analysed it). Now the
-- head (the newest entry's id and hash) lives in one row, and `audit_append` locks that row,
-- reads it, inserts the entry and moves the head, in one statement. The row lock is the
-- serialisation: held to the end of the transaction, so each entry links to the one committed
-- before it, as before. Under READ COMMITTED, `FOR UPDATE` after a wait returns the row as the
-- previous appender committed it; under REPEATABLE READ or SERIALIZABLE it fails with a
-- serialization error (retried by the pool) instead of linking to a stale head.
--
-- The head also lets verification notice the newest entries deleted: the last entry must be
-- the one the head names.
CREATE TABLE audit_chain_head (
    single  boolean PRIMARY KEY DEFAULT true CHECK (single),
    last_id bigint NOT NULL,
    hash    text   NOT NULL
) WITH (fillfactor = 10);  -- room on the page for HOT updates of the one row

INSERT INTO audit_chain_head (last_id, hash)
SELECT coalesce((SELECT id FROM audit_log ORDER BY id DESC LIMIT 1), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '');

-- Appends one entry and returns its id. SECURITY DEFINER: callers (the casework role) may
-- append through it but may not insert into audit_log or move the head by hand.
CREATE FUNCTION audit_append(actor text, action text, subject text, source text, detail text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    previous text;
    entry_id bigint;
    entry_at timestamptz;
    entry_hash text;
BEGIN
    SELECT h.hash INTO STRICT previous FROM audit_chain_head h FOR UPDATE;
    -- id and time are taken under the lock, so ids follow the chain's order
    entry_id := nextval('audit_log_id_seq');
    entry_at := clock_timestamp();
    entry_hash := audit_entry_hash(previous, entry_id, entry_at, actor, action, subject, source, detail);
    INSERT INTO audit_log (id, at, actor, action, subject, source, detail, prev_hash, hash)
    VALUES (entry_id, entry_at, actor, action, subject, source, detail, previous, entry_hash);
    UPDATE audit_chain_head SET last_id = entry_id, hash = entry_hash;
    RETURN entry_id;
END $$;

REVOKE ALL ON FUNCTION audit_append(text, text, text, text, text) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        EXECUTE 'GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text) TO passage_casework';
        EXECUTE 'REVOKE INSERT ON audit_log FROM passage_casework';
        EXECUTE 'REVOKE ALL ON audit_chain_head FROM passage_casework';
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot adjust passage_casework''s audit privileges: it keeps INSERT on audit_log';
END $$;
