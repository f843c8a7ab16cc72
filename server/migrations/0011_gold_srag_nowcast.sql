-- Gold: the nowcast of SIVEP-Gripe's newest weeks (docs/nowcast.md), its
-- trends and its two-week outlook, per vintage, place (a state, or BR for
-- Brazil) and measure (srag, covid, deaths); `complete` is 0 or 1.
CREATE TABLE gold_srag_nowcast (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    week TEXT NOT NULL,
    vintage TEXT NOT NULL,
    weeks_back BIGINT NOT NULL,
    reported BIGINT NOT NULL,
    median DOUBLE PRECISION NOT NULL,
    low_50 DOUBLE PRECISION NOT NULL,
    high_50 DOUBLE PRECISION NOT NULL,
    low_90 DOUBLE PRECISION NOT NULL,
    high_90 DOUBLE PRECISION NOT NULL,
    complete BIGINT NOT NULL,
    PRIMARY KEY (vintage, uf, measure, week)
);

CREATE TABLE gold_srag_nowcast_next (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    week TEXT NOT NULL,
    vintage TEXT NOT NULL,
    weeks_back BIGINT NOT NULL,
    reported BIGINT NOT NULL,
    median DOUBLE PRECISION NOT NULL,
    low_50 DOUBLE PRECISION NOT NULL,
    high_50 DOUBLE PRECISION NOT NULL,
    low_90 DOUBLE PRECISION NOT NULL,
    high_90 DOUBLE PRECISION NOT NULL,
    complete BIGINT NOT NULL,
    PRIMARY KEY (vintage, uf, measure, week)
);

CREATE TABLE gold_srag_trend (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    vintage TEXT NOT NULL,
    week TEXT NOT NULL,
    short_growth DOUBLE PRECISION NOT NULL,
    short_p_increase DOUBLE PRECISION NOT NULL,
    short_class TEXT NOT NULL,
    long_growth DOUBLE PRECISION NOT NULL,
    long_p_increase DOUBLE PRECISION NOT NULL,
    long_class TEXT NOT NULL,
    PRIMARY KEY (vintage, uf, measure)
);

CREATE TABLE gold_srag_trend_next (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    vintage TEXT NOT NULL,
    week TEXT NOT NULL,
    short_growth DOUBLE PRECISION NOT NULL,
    short_p_increase DOUBLE PRECISION NOT NULL,
    short_class TEXT NOT NULL,
    long_growth DOUBLE PRECISION NOT NULL,
    long_p_increase DOUBLE PRECISION NOT NULL,
    long_class TEXT NOT NULL,
    PRIMARY KEY (vintage, uf, measure)
);

CREATE TABLE gold_srag_outlook (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    vintage TEXT NOT NULL,
    week TEXT NOT NULL,
    weeks_ahead BIGINT NOT NULL,
    median DOUBLE PRECISION NOT NULL,
    low_50 DOUBLE PRECISION NOT NULL,
    high_50 DOUBLE PRECISION NOT NULL,
    low_90 DOUBLE PRECISION NOT NULL,
    high_90 DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (vintage, uf, measure, week)
);

CREATE TABLE gold_srag_outlook_next (
    uf TEXT NOT NULL,
    measure TEXT NOT NULL,
    vintage TEXT NOT NULL,
    week TEXT NOT NULL,
    weeks_ahead BIGINT NOT NULL,
    median DOUBLE PRECISION NOT NULL,
    low_50 DOUBLE PRECISION NOT NULL,
    high_50 DOUBLE PRECISION NOT NULL,
    low_90 DOUBLE PRECISION NOT NULL,
    high_90 DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (vintage, uf, measure, week)
);
