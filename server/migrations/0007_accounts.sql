-- Access control: accounts with a role, their sessions, and the read-only
-- API tokens of scripts. Secrets are stored only as digests: the password
-- as an argon2 PHC string, session and API tokens as SHA-256 hex.
CREATE TABLE account (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
    created_at TEXT NOT NULL
);

CREATE TABLE account_session (
    token_sha256 TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account (name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX account_session_expiry ON account_session (expires_at);

CREATE TABLE api_token (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
