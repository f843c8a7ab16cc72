-- Gold geometry now holds municipalities too (level 'city'), and each
-- place's view box: a state's frames the map of its cities.
ALTER TABLE gold_geometry ADD COLUMN view_box TEXT NOT NULL DEFAULT '';
ALTER TABLE gold_geometry_next ADD COLUMN view_box TEXT NOT NULL DEFAULT '';
