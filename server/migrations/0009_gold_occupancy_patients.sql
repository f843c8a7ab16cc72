-- Gold: patients in clinical and ICU beds, suspected and confirmed
-- COVID-19, and their exits (deaths, discharges), per state and day, from
-- the occupancy register (OpenDataSUS).
CREATE TABLE gold_occupancy_patients (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    hospitals BIGINT NOT NULL,
    stale BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    suspected_clinical BIGINT NOT NULL,
    suspected_icu BIGINT NOT NULL,
    confirmed_clinical BIGINT NOT NULL,
    confirmed_icu BIGINT NOT NULL,
    confirmed_share DOUBLE PRECISION,
    deaths_suspected BIGINT NOT NULL,
    discharges_suspected BIGINT NOT NULL,
    deaths_confirmed BIGINT NOT NULL,
    discharges_confirmed BIGINT NOT NULL,
    rejected_exits BIGINT NOT NULL,
    PRIMARY KEY (uf, date)
);

CREATE TABLE gold_occupancy_patients_next (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    hospitals BIGINT NOT NULL,
    stale BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    suspected_clinical BIGINT NOT NULL,
    suspected_icu BIGINT NOT NULL,
    confirmed_clinical BIGINT NOT NULL,
    confirmed_icu BIGINT NOT NULL,
    confirmed_share DOUBLE PRECISION,
    deaths_suspected BIGINT NOT NULL,
    discharges_suspected BIGINT NOT NULL,
    deaths_confirmed BIGINT NOT NULL,
    discharges_confirmed BIGINT NOT NULL,
    rejected_exits BIGINT NOT NULL,
    PRIMARY KEY (uf, date)
);
