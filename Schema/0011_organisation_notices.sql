-- Separation of duties (Docs/security.md "7. Separation of duties"). An administrator who
-- creates, resets, unlocks or changes the role of a user of another organisation leaves a notice
-- that organisation's supervisors read (NOTICES), and the account waits, unable to sign in, until
-- one of them confirms it (USER CONFIRM): no single administrator reaches an organisation's
-- personal data unseen.

-- Set with `disabled`: the sign-in and session checks already refuse a disabled account.
ALTER TABLE users ADD COLUMN awaiting_confirmation boolean NOT NULL DEFAULT false;

-- Whatever unlocks the account (USER UNLOCK, `passage user unlock`, SQL by hand), it stays
-- disabled while it awaits confirmation; only clearing both together lets it sign in.
CREATE FUNCTION users_keep_awaiting_disabled() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.awaiting_confirmation THEN
        NEW.disabled := true;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER users_awaiting_confirmation BEFORE INSERT OR UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION users_keep_awaiting_disabled();

CREATE TABLE organisation_notices (
    id                 bigserial PRIMARY KEY,
    organisation_id    bigint NOT NULL REFERENCES organisations(id),
    at                 timestamptz NOT NULL DEFAULT now(),
    -- who acted, and the organisation they belong to
    actor              text NOT NULL,
    actor_organisation text NOT NULL,
    action             text NOT NULL CHECK (action IN ('user.add', 'user.passwd', 'user.unlock', 'user.role', 'user.confirm')),
    -- the user name acted on (kept when the user is removed)
    subject            text NOT NULL,
    detail             text NOT NULL DEFAULT ''
);

CREATE INDEX organisation_notices_by_organisation ON organisation_notices (organisation_id, id);
