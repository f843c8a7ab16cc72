-- Gold: cases and deaths per state (and BR) and day. Each gold table has a
-- staging twin (*_next) that a refresh fills first; publishing swaps the
-- contents in one transaction, so readers never see half a refresh.
CREATE TABLE gold_cases_state (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    new_cases BIGINT NOT NULL,
    new_deaths BIGINT NOT NULL,
    new_cases_7d DOUBLE PRECISION NOT NULL,
    new_deaths_7d DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (uf, date)
);

CREATE TABLE gold_cases_state_next (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    new_cases BIGINT NOT NULL,
    new_deaths BIGINT NOT NULL,
    new_cases_7d DOUBLE PRECISION NOT NULL,
    new_deaths_7d DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (uf, date)
);

-- One row per ingest run: when, how it ended, and its per-source and
-- per-stage figures (JSON).
CREATE TABLE ingest_run (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    status TEXT NOT NULL,
    origin TEXT NOT NULL,
    report TEXT NOT NULL,
    error TEXT
);
