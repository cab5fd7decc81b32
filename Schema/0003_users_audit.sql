-- Console users, sign-in lockouts, and the hash-chained audit log.

CREATE TABLE users (
    id                  bigserial PRIMARY KEY,
    name                text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    role                text NOT NULL CHECK (role IN ('caseworker', 'supervisor', 'analyst', 'policy', 'admin')),
    organisation_id     bigint NOT NULL REFERENCES organisations(id),
    -- crypt(password, gen_salt('bf', 10)): bcrypt, made and checked inside PostgreSQL.
    password_hash       text NOT NULL CHECK (password_hash LIKE '$2%'),
    -- Locked by an administrator until unlocked by one.
    disabled            boolean NOT NULL DEFAULT false,
    failed_attempts     integer NOT NULL DEFAULT 0,
    -- Locked automatically after too many failed sign-ins, until this time.
    locked_until        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- Failed sign-ins per source address, so guessing across many user names is slowed too.
CREATE TABLE sign_in_sources (
    source          text PRIMARY KEY,
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz
);

-- The audit log: who did what to which subject, when, from where. Each entry's hash covers
-- the previous entry's hash and every field of its own (its id included), so editing,
-- deleting or reordering a row breaks the chain at that row, and AUDIT VERIFY finds it.
CREATE TABLE audit_log (
    id        bigserial PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    subject   text NOT NULL,
    source    text NOT NULL,
    detail    text NOT NULL DEFAULT '',
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

-- One definition of an entry's hash, used when appending and when verifying. The fields are
-- serialised as a JSON array so no choice of separator can make two entries look alike.
CREATE FUNCTION audit_entry_hash(prev_hash text, id bigint, at timestamptz, actor text, action text,
                                 subject text, source text, detail text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT encode(digest(jsonb_build_array(prev_hash, id, (extract(epoch FROM at) * 1000000)::bigint,
                                           actor, action, subject, source, detail)::text, 'sha256'), 'hex')
$$;
