-- Alerts on cities, territories and cases: the name of the place a rule
-- watches as it was when the rule was made ('' for the rules before: their
-- name is told from the target), and a count's change on the 7 days before,
-- in percent, seen with a firing of a rule on cases per 100k.
ALTER TABLE alert_rule ADD COLUMN place TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_firing ADD COLUMN change_pct DOUBLE PRECISION;
