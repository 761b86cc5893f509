#!/bin/sh
# Runs once, when the postgres container first creates its data directory
# (/docker-entrypoint-initdb.d). Two roles: the owner runs migrations; the application only reads
# and writes rows. Not owning the tables, the application cannot ALTER them, DISABLE TRIGGER
# (the audit trail's append-only triggers) or TRUNCATE them. See docs/compliance.md.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" <<'SQL'
CREATE ROLE branchsvc_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE branchsvc_app LOGIN PASSWORD :'app_password';
ALTER SCHEMA public OWNER TO branchsvc_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO branchsvc_app;
ALTER DEFAULT PRIVILEGES FOR ROLE branchsvc_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO branchsvc_app;
ALTER DEFAULT PRIVILEGES FOR ROLE branchsvc_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO branchsvc_app;
SQL
