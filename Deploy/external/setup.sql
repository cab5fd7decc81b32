-- Passage on an external PostgreSQL with least privilege: run once, as a superuser.
--
--   sudo -u postgres psql -v ON_ERROR_STOP=1 -f Deploy/external/setup.sql
--   (names other than the defaults: add -v database=… -v owner=… -v service=…)
--
-- It makes two login roles and the database (Deploy/external/README.md):
--   owner   (default passage_owner) owns the database, its schema and every table, function and
--           sequence; `passage migrate` logs in as it. Not a superuser, no CREATEROLE.
--   service (default passage_app) is the one `passage serve` logs in as. It owns nothing and holds
--           only what the group role passage_service is granted by the migrations (Schema/0016),
--           so it cannot change the schema, the policies or the audit log, and row-level security
--           applies to it.
-- and the group roles the migrations use, which an owner without CREATEROLE cannot create:
--   passage_casework (the organisation scope's role), passage_statistics and
--   passage_statistics_scoped (exports), passage_service (the service's privileges).
--
-- No password is set here: set them afterwards, outside any file (`\password passage_owner` and
-- `\password passage_app` in psql), and put them in the two URLs, or use peer or certificate
-- authentication in pg_hba.conf. Running the script again changes nothing.

\set ON_ERROR_STOP on
\if :{?database}
\else
    \set database passage
\endif
\if :{?owner}
\else
    \set owner passage_owner
\endif
\if :{?service}
\else
    \set service passage_app
\endif

-- The group roles (none can log in).
-- passage_service is NOINHERIT: it may switch to the three others but holds only its own grants.
SELECT format('CREATE ROLE %I NOLOGIN', name)
  FROM unnest(ARRAY['passage_casework']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec
SELECT format('CREATE ROLE %I NOLOGIN NOINHERIT', name)
  FROM unnest(ARRAY['passage_statistics', 'passage_statistics_scoped', 'passage_service']) AS name
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) \gexec

-- The two login roles, without any power over other roles or the cluster.
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', :'service')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'service') \gexec

-- Migrations 0004 and 0005 expect the owner to be a member of the roles it grants tables to;
-- the server switches to them, so passage_service is a member too; the service login gets
-- passage_service's privileges by inheritance.
GRANT passage_casework, passage_statistics, passage_statistics_scoped TO :"owner";
GRANT passage_casework, passage_statistics, passage_statistics_scoped TO passage_service;
GRANT passage_service TO :"service";

-- The database, owned by the owner (so it owns the schema public, PostgreSQL 15 and later).
SELECT format('CREATE DATABASE %I OWNER %I ENCODING ''UTF8''', :'database', :'owner')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"owner", :"service";

\connect :"database"
CREATE EXTENSION IF NOT EXISTS pgcrypto;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
