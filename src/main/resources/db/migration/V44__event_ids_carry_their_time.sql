-- An event's id was its change's journal number, enciphered. A database restored from a backup
-- numbers its next changes as the lost ones after the backup were numbered, so they went out under
-- ids receivers had already seen, and a receiver that processes each id once dropped them. The id of
-- each change after this point also holds the change's time (occurred_at, which V42 takes from the
-- clock), which no restore repeats; the changes before it keep the ids already sent for them.
CREATE TABLE event_id_form (
    id          int PRIMARY KEY CHECK (id = 1),
    -- Journal numbers up to this one name their event by number alone.
    timed_after bigint NOT NULL
);
-- A sequence never used yet holds last_value 1 with is_called false: its first number is still to come.
INSERT INTO event_id_form (id, timed_after)
SELECT 1, CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM change_journal_id_seq;
