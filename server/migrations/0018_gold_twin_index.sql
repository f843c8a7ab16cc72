-- Publishing swaps a gold table and its staging twin by renaming them, so
-- either may be served: the twin carries the served table's index too.
-- Index names stay with the table they were created on; a migration that
-- changes an index of a gold table changes both twins'.
CREATE INDEX gold_occupancy_hospital_next_day ON gold_occupancy_hospital_next (date, bed_class, scope, uf);
