-- Per-100k figures for states (NULL until the population is collected),
-- cases per city, and the rankings of states and cities.
ALTER TABLE gold_cases_state ADD COLUMN population BIGINT;
ALTER TABLE gold_cases_state ADD COLUMN cases_per_100k DOUBLE PRECISION;
ALTER TABLE gold_cases_state ADD COLUMN deaths_per_100k DOUBLE PRECISION;
ALTER TABLE gold_cases_state_next ADD COLUMN population BIGINT;
ALTER TABLE gold_cases_state_next ADD COLUMN cases_per_100k DOUBLE PRECISION;
ALTER TABLE gold_cases_state_next ADD COLUMN deaths_per_100k DOUBLE PRECISION;

CREATE TABLE gold_cases_city (
    uf TEXT NOT NULL,
    city_ibge TEXT NOT NULL,
    city TEXT NOT NULL,
    date TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    new_cases BIGINT NOT NULL,
    new_deaths BIGINT NOT NULL,
    new_cases_7d DOUBLE PRECISION NOT NULL,
    new_deaths_7d DOUBLE PRECISION NOT NULL,
    population BIGINT,
    cases_per_100k DOUBLE PRECISION,
    deaths_per_100k DOUBLE PRECISION,
    PRIMARY KEY (city_ibge, date)
);

CREATE TABLE gold_cases_city_next (
    uf TEXT NOT NULL,
    city_ibge TEXT NOT NULL,
    city TEXT NOT NULL,
    date TEXT NOT NULL,
    cases BIGINT NOT NULL,
    deaths BIGINT NOT NULL,
    new_cases BIGINT NOT NULL,
    new_deaths BIGINT NOT NULL,
    new_cases_7d DOUBLE PRECISION NOT NULL,
    new_deaths_7d DOUBLE PRECISION NOT NULL,
    population BIGINT,
    cases_per_100k DOUBLE PRECISION,
    deaths_per_100k DOUBLE PRECISION,
    PRIMARY KEY (city_ibge, date)
);

CREATE TABLE gold_ranking (
    scope TEXT NOT NULL,
    uf TEXT NOT NULL,
    city_ibge TEXT NOT NULL,
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    previous_value DOUBLE PRECISION,
    change DOUBLE PRECISION,
    population BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    PRIMARY KEY (scope, metric, uf, city_ibge)
);

CREATE TABLE gold_ranking_next (
    scope TEXT NOT NULL,
    uf TEXT NOT NULL,
    city_ibge TEXT NOT NULL,
    name TEXT NOT NULL,
    metric TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    previous_value DOUBLE PRECISION,
    change DOUBLE PRECISION,
    population BIGINT NOT NULL,
    rank BIGINT NOT NULL,
    PRIMARY KEY (scope, metric, uf, city_ibge)
);
