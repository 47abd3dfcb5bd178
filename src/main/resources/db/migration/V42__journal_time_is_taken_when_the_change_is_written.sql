-- A journal row's time was now(), the start of its transaction, taken before the transaction waited
-- for the lock of the row it changes. Of two writers of one resource, the one that began first and
-- waited for the other's lock wrote the later change with the earlier time: a resource's events, in
-- the order they arrive, went back in time (a review saw 20 of 80 do so), though the README orders
-- events by their timestamp. clock_timestamp() is read when the row is written, after that wait, so a
-- resource's changes, which its row lock puts in order, carry times in that order.
ALTER TABLE change_journal ALTER COLUMN occurred_at SET DEFAULT clock_timestamp();
