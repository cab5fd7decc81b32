-- Foundation: the extension every later migration relies on, and organisations.
-- pgcrypto gives crypt()/gen_salt('bf') for password hashes, pgp_sym_encrypt for personal
-- identifiers, digest() for the audit chain.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- An organisation owns cases and users. Every deployment has one named 'default', to which
-- users and imports without --org belong (console contract, "Out of band").
CREATE TABLE organisations (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO organisations (name) VALUES ('default');
