-- Alerts: an account's rules, each rule's state (for hysteresis), its
-- firings with the figures that caused them, and the outbox of their
-- deliveries. Instants are RFC 3339 UTC text, dates ISO text, flags 0 or 1.

-- A rule watches one target's metric. `threshold` is a rate (fraction) for
-- at_least / at_most, percentage points for rises_by / falls_by;
-- `trend_class` is set for becomes. The webhook's signing key is kept as
-- given out once: the server needs it to sign.
CREATE TABLE alert_rule (
    id TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account (name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_code TEXT NOT NULL,
    metric TEXT NOT NULL,
    bed_class TEXT,
    scope TEXT,
    condition TEXT NOT NULL,
    threshold DOUBLE PRECISION,
    trend_class TEXT,
    webhook_url TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    paused BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX alert_rule_account ON alert_rule (account);

-- Whether the rule's condition held as of the data date last evaluated.
CREATE TABLE alert_state (
    rule_id TEXT PRIMARY KEY REFERENCES alert_rule (id) ON DELETE CASCADE,
    holds BIGINT NOT NULL,
    data_date TEXT NOT NULL,
    evaluated_at TEXT NOT NULL
);

-- Each time a rule's condition became true: the data date and what was
-- seen (a rate, its 7-day change in p.p., a trend class).
CREATE TABLE alert_firing (
    id TEXT PRIMARY KEY,
    rule_id TEXT NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    data_date TEXT NOT NULL,
    value DOUBLE PRECISION,
    change_pp DOUBLE PRECISION,
    trend_class TEXT,
    fired_at TEXT NOT NULL
);

CREATE INDEX alert_firing_rule ON alert_firing (rule_id, fired_at);

-- The outbox: one row per firing and channel, written with the firing.
-- A worker claims due rows (`claimed_by` until `claimed_until`), delivers
-- and records the outcome; a failure is tried again at `next_attempt_at`.
CREATE TABLE alert_delivery (
    id TEXT PRIMARY KEY,
    firing_id TEXT NOT NULL REFERENCES alert_firing (id) ON DELETE CASCADE,
    rule_id TEXT NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);

CREATE INDEX alert_delivery_due ON alert_delivery (status, next_attempt_at);
