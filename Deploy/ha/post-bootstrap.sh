#!/bin/sh
# Patroni's post_bootstrap (run once, on the node that initialises the cluster, with a
# superuser connection string as $1): the login role Passage uses and its database. The role
# may create roles: the migrations create the row-level-security group roles (Docs/operations.md,
# "An existing PostgreSQL"); for two roles see Deploy/external/. The standbys copy all of it.
set -eu
psql "$1" -v ON_ERROR_STOP=1 -q <<'SQL'
CREATE ROLE passage LOGIN CREATEROLE;
CREATE DATABASE passage OWNER passage;
\c passage
CREATE EXTENSION IF NOT EXISTS pgcrypto;
SQL
