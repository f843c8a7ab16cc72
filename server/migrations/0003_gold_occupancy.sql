-- Gold: bed occupancy per state, day, bed class and scope, with coverage.
CREATE TABLE gold_occupancy_state (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    bed_class TEXT NOT NULL,
    scope TEXT NOT NULL,
    offered BIGINT NOT NULL,
    occupied BIGINT NOT NULL,
    occupied_raw BIGINT NOT NULL,
    rate DOUBLE PRECISION NOT NULL,
    hospitals BIGINT NOT NULL,
    stale BIGINT NOT NULL,
    over_capacity BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (uf, date, bed_class, scope)
);

CREATE TABLE gold_occupancy_state_next (
    uf TEXT NOT NULL,
    date TEXT NOT NULL,
    bed_class TEXT NOT NULL,
    scope TEXT NOT NULL,
    offered BIGINT NOT NULL,
    occupied BIGINT NOT NULL,
    occupied_raw BIGINT NOT NULL,
    rate DOUBLE PRECISION NOT NULL,
    hospitals BIGINT NOT NULL,
    stale BIGINT NOT NULL,
    over_capacity BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    PRIMARY KEY (uf, date, bed_class, scope)
);
