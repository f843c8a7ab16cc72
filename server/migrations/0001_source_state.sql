-- The collection state of each configured source. Portable DDL: the same
-- migration runs on PostgreSQL and on the embedded SQLite store.
-- Instants are RFC 3339 UTC text, dates ISO text: both sort as they compare.
CREATE TABLE source_state (
    name TEXT PRIMARY KEY,
    last_attempt_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    content_sha256 TEXT,
    newest_date TEXT
);
