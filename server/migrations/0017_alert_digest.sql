-- The weekly digest: an account that asks for it gets one e-mail every
-- Monday from 08:00 (Brasília) summing up every target its rules watch.
-- `last_week` is the Monday (ISO date) of the last digest sent (or of the
-- week it was asked for: the first one comes the Monday after). A worker
-- claims a due digest (`claimed_by` until `claimed_until`); a failure is
-- tried again at `next_attempt_at`. `secret` keys its unsubscribe link.
CREATE TABLE alert_digest (
    account TEXT PRIMARY KEY REFERENCES account (name) ON DELETE CASCADE,
    email TEXT NOT NULL,
    secret TEXT NOT NULL,
    last_week TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL
);
