-- Gold: the map's outlines, one SVG path per place (states for now).
CREATE TABLE gold_geometry (
    level TEXT NOT NULL,
    uf TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (level, code)
);

CREATE TABLE gold_geometry_next (
    level TEXT NOT NULL,
    uf TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (level, code)
);
