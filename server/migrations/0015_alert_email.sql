-- Alerts by e-mail: a rule's address (NULL: no e-mail; the one-click
-- unsubscribe link sets it back to NULL). A rule reaches its account by
-- webhook, by e-mail or both; `webhook_url` is '' for a rule without one.
ALTER TABLE alert_rule ADD COLUMN email TEXT;
