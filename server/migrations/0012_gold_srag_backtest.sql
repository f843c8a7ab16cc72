-- Gold: the nowcast's and the outlook's backtest at the newest vintage
-- (docs/nowcast.md), pooled over the states, per measure, kind (nowcast,
-- outlook) and step (weeks back or ahead).
CREATE TABLE gold_srag_backtest (
    vintage TEXT NOT NULL,
    measure TEXT NOT NULL,
    kind TEXT NOT NULL,
    step BIGINT NOT NULL,
    cases BIGINT NOT NULL,
    error DOUBLE PRECISION NOT NULL,
    naive_error DOUBLE PRECISION NOT NULL,
    coverage_50 DOUBLE PRECISION NOT NULL,
    coverage_90 DOUBLE PRECISION NOT NULL,
    wis DOUBLE PRECISION NOT NULL,
    naive_wis DOUBLE PRECISION,
    PRIMARY KEY (vintage, measure, kind, step)
);

CREATE TABLE gold_srag_backtest_next (
    vintage TEXT NOT NULL,
    measure TEXT NOT NULL,
    kind TEXT NOT NULL,
    step BIGINT NOT NULL,
    cases BIGINT NOT NULL,
    error DOUBLE PRECISION NOT NULL,
    naive_error DOUBLE PRECISION NOT NULL,
    coverage_50 DOUBLE PRECISION NOT NULL,
    coverage_90 DOUBLE PRECISION NOT NULL,
    wis DOUBLE PRECISION NOT NULL,
    naive_wis DOUBLE PRECISION,
    PRIMARY KEY (vintage, measure, kind, step)
);
