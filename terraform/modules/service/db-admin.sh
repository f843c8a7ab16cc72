# Run by the db-admin ECS task (sh -c) as the RDS master user: creates the
# server's login role if it is missing, sets its password from the app secret
# and grants it what the migrations need. Idempotent. Statements are not
# logged by the server (log_statement = none), so the password stays out of
# the PostgreSQL logs; psql gets it as a variable, never echoed.
set -eu
: "${APP_DB_USER:?missing}" "${APP_DB_PASSWORD:?missing}"
psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
  -v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), :'app_user') \gexec
GRANT USAGE, CREATE ON SCHEMA public TO :"app_user";
SELECT format('role %s ready in database %s', :'app_user', current_database()) AS result;
SQL
