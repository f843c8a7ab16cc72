-- Gold: the hospital radar. Bed occupancy per hospital (normalised CNES),
-- day, bed class and scope, under indicator 2's rules applied to that
-- hospital alone: `status` is counted, stale, rejected or no_beds, and the
-- figures are NULL unless counted; `over_capacity` is 0 or 1; `change_7d`
-- is in percentage points.
CREATE TABLE gold_occupancy_hospital (
    cnes TEXT NOT NULL,
    name TEXT NOT NULL,
    uf TEXT NOT NULL,
    city TEXT NOT NULL,
    city_ibge TEXT,
    date TEXT NOT NULL,
    bed_class TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    offered BIGINT,
    occupied BIGINT,
    occupied_raw BIGINT,
    rate DOUBLE PRECISION,
    over_capacity BIGINT NOT NULL,
    change_7d DOUBLE PRECISION,
    respirators BIGINT,
    last_report TEXT NOT NULL,
    days_since_report BIGINT NOT NULL,
    PRIMARY KEY (cnes, date, bed_class, scope)
);

CREATE TABLE gold_occupancy_hospital_next (
    cnes TEXT NOT NULL,
    name TEXT NOT NULL,
    uf TEXT NOT NULL,
    city TEXT NOT NULL,
    city_ibge TEXT,
    date TEXT NOT NULL,
    bed_class TEXT NOT NULL,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    offered BIGINT,
    occupied BIGINT,
    occupied_raw BIGINT,
    rate DOUBLE PRECISION,
    over_capacity BIGINT NOT NULL,
    change_7d DOUBLE PRECISION,
    respirators BIGINT,
    last_report TEXT NOT NULL,
    days_since_report BIGINT NOT NULL,
    PRIMARY KEY (cnes, date, bed_class, scope)
);

-- The hospitals' list of a day reads one bed type of one day.
CREATE INDEX gold_occupancy_hospital_day ON gold_occupancy_hospital (date, bed_class, scope, uf);

-- Each hospital as of the newest day: its city (`city_ibge` only when the
-- name matched one municipality of the state), size, latest rates.
CREATE TABLE gold_hospital (
    cnes TEXT NOT NULL,
    name TEXT NOT NULL,
    uf TEXT NOT NULL,
    city TEXT NOT NULL,
    city_ibge TEXT,
    city_match TEXT NOT NULL,
    date TEXT NOT NULL,
    last_report TEXT NOT NULL,
    days_since_report BIGINT NOT NULL,
    beds BIGINT,
    icu_offered BIGINT,
    icu_rate DOUBLE PRECISION,
    icu_change_7d DOUBLE PRECISION,
    clinical_offered BIGINT,
    clinical_rate DOUBLE PRECISION,
    clinical_change_7d DOUBLE PRECISION,
    respirators BIGINT,
    over_capacity BIGINT NOT NULL,
    PRIMARY KEY (cnes)
);

CREATE TABLE gold_hospital_next (
    cnes TEXT NOT NULL,
    name TEXT NOT NULL,
    uf TEXT NOT NULL,
    city TEXT NOT NULL,
    city_ibge TEXT,
    city_match TEXT NOT NULL,
    date TEXT NOT NULL,
    last_report TEXT NOT NULL,
    days_since_report BIGINT NOT NULL,
    beds BIGINT,
    icu_offered BIGINT,
    icu_rate DOUBLE PRECISION,
    icu_change_7d DOUBLE PRECISION,
    clinical_offered BIGINT,
    clinical_rate DOUBLE PRECISION,
    clinical_change_7d DOUBLE PRECISION,
    respirators BIGINT,
    over_capacity BIGINT NOT NULL,
    PRIMARY KEY (cnes)
);
