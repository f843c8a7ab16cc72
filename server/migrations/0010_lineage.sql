-- Lineage, so that gold follows silver whatever happened to the runs.
-- Each source's silver is committed here once it is whole in the lake: the
-- raw fetch it was refined from (its manifest digest), a version that is
-- new on every refinement, the profile its data contract compares the next
-- edition with, and the versions of the other silver it was refined with.
CREATE TABLE lineage_silver (
    source TEXT PRIMARY KEY,
    raw_digest TEXT NOT NULL,
    version TEXT NOT NULL,
    newest_date TEXT,
    profile TEXT NOT NULL,
    depends TEXT NOT NULL,
    committed_at TEXT NOT NULL
);

-- The silver versions each published gold unit was computed from; a unit
-- whose recorded inputs differ from the committed silver is behind.
CREATE TABLE lineage_gold (
    unit TEXT PRIMARY KEY,
    inputs TEXT NOT NULL,
    published_at TEXT NOT NULL
);

-- Editions that broke their source's data contract: kept in raw and bronze,
-- not refined into silver, until an admin accepts them.
CREATE TABLE held_edition (
    source TEXT NOT NULL,
    run_id TEXT NOT NULL,
    raw_digest TEXT NOT NULL,
    fetch_folder TEXT NOT NULL,
    reason TEXT NOT NULL,
    held_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT,
    PRIMARY KEY (source, run_id)
);
