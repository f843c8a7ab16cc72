-- Gold: SRAG hospitalisations and deaths, confirmed and suspected, per
-- state and day; uf '' gathers the rows without a known state.
CREATE TABLE gold_srag_state (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    hospitalised BIGINT NOT NULL,
    confirmed BIGINT NOT NULL,
    suspected BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    deaths_confirmed BIGINT NOT NULL,
    deaths_suspected BIGINT NOT NULL,
    confirmed_share DOUBLE PRECISION,
    death_rate_confirmed DOUBLE PRECISION,
    death_rate_suspected DOUBLE PRECISION,
    PRIMARY KEY (uf, date)
);

CREATE TABLE gold_srag_state_next (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    hospitalised BIGINT NOT NULL,
    confirmed BIGINT NOT NULL,
    suspected BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    deaths_confirmed BIGINT NOT NULL,
    deaths_suspected BIGINT NOT NULL,
    confirmed_share DOUBLE PRECISION,
    death_rate_confirmed DOUBLE PRECISION,
    death_rate_suspected DOUBLE PRECISION,
    PRIMARY KEY (uf, date)
);
