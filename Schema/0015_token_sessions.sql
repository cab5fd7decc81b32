-- Token sessions for the HTTP API and the web pages (issue 20; Docs/security.md "13. API session
-- tokens"). `POST /v1/sessions` signs in like AUTH and returns a bearer token: 32 random bytes,
-- given to the client once. Only the token's SHA-256 is stored. A fast hash is right here, unlike
-- for passwords: the token has 256 bits of entropy, so nobody can guess it from its hash however
-- fast the guessing is, while a password is guessable and needs bcrypt's deliberate slowness.
-- SHA-256 also makes the look-up an exact index match, which bcrypt's salted hash could not be
-- (every request would have to try every session's hash).
--
-- A session is refused when it is unknown, past `expires_at`, ended (`ended_at`, sign-out), or
-- when its user's credentials epoch is no longer the one it signed in with or the account is
-- locked: exactly the rule of the console's sessions (0009, `passage_session_check`), and every
-- transaction of a resumed session is checked by that function too.
CREATE TABLE api_sessions (
    id                bigserial PRIMARY KEY,
    token_hash        bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    user_id           bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- users.credentials_epoch at sign-in
    credentials_epoch bigint NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL CHECK (expires_at > created_at),
    -- refreshed at most once a minute, so a busy token does not write on every request
    last_used_at      timestamptz,
    -- signed out, or ended with its credentials (the trigger below)
    ended_at          timestamptz,
    -- the address it was opened from, as the audit entry has it
    source            text NOT NULL
);

-- Sign-in removes expired rows a few at a time (`TokenSessionStore.purgeExpired`).
CREATE INDEX api_sessions_expiry ON api_sessions (expires_at);
-- The user's live sessions, for the trigger below and the cascade on removal.
CREATE INDEX api_sessions_by_user ON api_sessions (user_id) WHERE ended_at IS NULL;

-- Token hashes are nobody's business inside an organisation's scope: the casework role (which
-- 0004's default privileges would grant every table) gets no rights and, as a second wall,
-- row-level security without a policy shows it no row. Only the application's own role, outside
-- any scope, opens, resumes and ends sessions.
ALTER TABLE api_sessions ENABLE ROW LEVEL SECURITY;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        REVOKE ALL ON api_sessions FROM passage_casework;
        REVOKE ALL ON SEQUENCE api_sessions_id_seq FROM passage_casework;
    END IF;
END $$;

-- When the user's credentials epoch moves on (a lock, a new password, role, organisation or
-- name; 0009's trigger), their open token sessions are marked ended in the same transaction.
-- The epoch check alone already refuses them; the mark makes the table tell the truth.
-- SECURITY DEFINER: the change may be made inside a scope, whose role sees no row here.
CREATE FUNCTION api_sessions_end_with_credentials() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE api_sessions SET ended_at = now()
     WHERE user_id = NEW.id AND ended_at IS NULL AND credentials_epoch < NEW.credentials_epoch;
    RETURN NULL;
END $$;

-- Not `AFTER UPDATE OF credentials_epoch`: a column trigger ignores changes made by BEFORE
-- triggers, and 0009's trigger is what moves the epoch.
CREATE TRIGGER users_end_api_sessions AFTER UPDATE ON users
    FOR EACH ROW WHEN (NEW.credentials_epoch > OLD.credentials_epoch)
    EXECUTE FUNCTION api_sessions_end_with_credentials();
