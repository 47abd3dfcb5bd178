-- The retention deleted a delivery's attempts by their own age, not with the delivery: a delivery
-- retried for a day before it died is kept SCIM_EVENTS_RETENTION_DAYS after it ended, but its first
-- attempts, the ones that say why, went a day before it. The attempts now leave with their delivery,
-- found by its key through this index (event_attempts_subscription orders a subscription's attempts
-- by id and holds no event).
CREATE INDEX event_attempts_delivery ON event_attempts (subscription_id, journal_id);
