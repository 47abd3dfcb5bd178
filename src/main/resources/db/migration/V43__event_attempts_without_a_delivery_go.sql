-- Before V41 the retention deleted attempts by their own age, apart from their deliveries and at
-- most a batch of each an hour: attempts whose delivery had gone stayed behind, and since V41 the
-- attempts leave only with their delivery, so nothing would delete those. They go now, once. The
-- index of attempt times served only the deletion by age, which no statement makes any more.
DELETE FROM event_attempts a
WHERE NOT EXISTS (SELECT 1 FROM event_deliveries d
                  WHERE d.subscription_id = a.subscription_id AND d.journal_id = a.journal_id);
DROP INDEX event_attempts_time;
