-- The console's chart of a workspace's requests per minute over the last day, kept as the provisioning
-- log is written: counting the day from provisioning_log itself read every entry of the day on every
-- visit of the overview. The log's batch writer adds each batch's counts here in the batch's own
-- transaction, so the chart and the log commit or fail together and agree entry for entry.
--
-- Entries of no workspace (refused before one was known) have no row: no workspace charts them.
-- A minute is the minute in UTC of received_at. No foreign key to workspaces, like the log itself: a
-- batch never fails because a workspace went away meanwhile; the rows leave with the log's retention.
CREATE TABLE request_minutes (
    workspace_id    uuid        NOT NULL,
    minute          timestamptz NOT NULL,
    requests        bigint      NOT NULL,
    client_errors   bigint      NOT NULL,
    server_errors   bigint      NOT NULL,
    PRIMARY KEY (workspace_id, minute)
);
-- Retention deletes the minutes of the days the log drops, every hour: by this index it reads only those.
-- A batch changes counts, never a minute, so its updates need not touch this index (HOT updates).
CREATE INDEX request_minutes_minute ON request_minutes (minute);

-- The entries already logged, so that an upgraded server charts the day it already has.
INSERT INTO request_minutes (workspace_id, minute, requests, client_errors, server_errors)
SELECT workspace_id, date_trunc('minute', received_at, 'UTC'), count(*),
       count(*) FILTER (WHERE status BETWEEN 400 AND 499), count(*) FILTER (WHERE status >= 500)
FROM provisioning_log
WHERE workspace_id IS NOT NULL
GROUP BY 1, 2;
