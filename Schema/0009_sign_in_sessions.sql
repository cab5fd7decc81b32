-- Sessions that end with their credentials, and sign-in throttling instead of account lockout
-- (Docs/security.md "2. Sessions end with their credentials", "4. Sign-in throttling").

-- Every change that must end a user's open sessions (a new password, a lock, a new role or
-- organisation, a rename) moves the user's credentials epoch on. A signed-in session remembers
-- the epoch it signed in with, and each of its transactions first checks that the epoch is still
-- the user's (`passage_session_check`). The trigger, not the program, bumps the epoch: a change
-- made by `passage user …`, by another server process or by hand in SQL ends sessions too.
-- Removing the user removes the row, which ends them as well.
ALTER TABLE users ADD COLUMN credentials_epoch bigint NOT NULL DEFAULT 1;

CREATE FUNCTION users_bump_credentials_epoch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.password_hash IS DISTINCT FROM OLD.password_hash
       OR NEW.role IS DISTINCT FROM OLD.role
       OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
       OR NEW.name IS DISTINCT FROM OLD.name
       OR (NEW.disabled AND NOT OLD.disabled) THEN
        NEW.credentials_epoch := greatest(OLD.credentials_epoch, NEW.credentials_epoch) + 1;
    ELSIF NEW.credentials_epoch < OLD.credentials_epoch THEN
        -- an epoch never goes back: an old session must not come alive again
        NEW.credentials_epoch := OLD.credentials_epoch;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER users_credentials_epoch BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_bump_credentials_epoch();

-- Raises SQLSTATE PS514 unless user `user_id` still exists, is not locked, and has the epoch the
-- session signed in with. Sent in the same round trip as the transaction's first statement, so
-- it costs one index look-up and no round trip; the statements after it are skipped when it fails.
CREATE FUNCTION passage_session_check(user_id bigint, epoch bigint) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = user_id AND credentials_epoch = epoch AND NOT disabled;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'session ended: the account was locked, removed or changed' USING ERRCODE = 'PS514';
    END IF;
END $$;

-- Failed sign-ins are counted per (user name as given, address) and per address prefix
-- (IPv4 /24, IPv6 /64, all of loopback as one), never per user alone: a stranger can no longer
-- lock an account from everywhere. Past a number of free failures each further failure blocks
-- that key for a growing time (1 s, 2 s, 4 s … up to a ceiling); failures are forgotten after a
-- quiet window. Rows of unknown user names are kept like any other, so the reply and its
-- timing do not tell which names exist.
ALTER TABLE users DROP COLUMN failed_attempts;
ALTER TABLE users DROP COLUMN locked_until;
DROP TABLE sign_in_sources;

CREATE TABLE sign_in_throttle (
    key           text PRIMARY KEY,  -- 'user:<name>@<address>' or 'prefix:<prefix>'
    user_name     text,              -- for the first kind, so USER UNLOCK can clear them
    failures      integer NOT NULL,
    last_failure  timestamptz NOT NULL,
    blocked_until timestamptz
);
CREATE INDEX sign_in_throttle_user ON sign_in_throttle (user_name) WHERE user_name IS NOT NULL;
CREATE INDEX sign_in_throttle_age ON sign_in_throttle (last_failure);

-- Counts one failure against `throttle_key` and returns the failures counted in the current
-- window. The row is locked by the upsert, so concurrent failures all count.
CREATE FUNCTION sign_in_record_failure(throttle_key text, user_name text, free integer,
                                       first_delay double precision, longest_delay double precision,
                                       quiet_window double precision) RETURNS integer
LANGUAGE sql AS $$
    INSERT INTO sign_in_throttle AS t (key, user_name, failures, last_failure, blocked_until)
    VALUES (throttle_key, user_name, 1, now(),
            CASE WHEN 1 > free THEN now() + make_interval(secs => least(longest_delay, first_delay)) END)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.last_failure < now() - make_interval(secs => quiet_window) THEN 1 ELSE t.failures + 1 END,
        last_failure = now(),
        blocked_until = CASE
            WHEN (CASE WHEN t.last_failure < now() - make_interval(secs => quiet_window) THEN 1 ELSE t.failures + 1 END) > free
            THEN now() + make_interval(secs => least(longest_delay, first_delay * power(2, least(40,
                     (CASE WHEN t.last_failure < now() - make_interval(secs => quiet_window) THEN 1 ELSE t.failures + 1 END) - free - 1))))
            END
    RETURNING failures
$$;
