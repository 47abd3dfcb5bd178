package dev.scimserver.store;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database of the version before the chart's per-minute counts, with a log, upgraded: the counts
 * hold what the log already held, so the overview's chart of the day survives the upgrade.
 */
class RequestMinutesMigrationTest {
    /** Each workspace's minutes as {@code workspace minute requests/4xx/5xx}, from {@code rows}. */
    private static final String MINUTES = "SELECT string_agg(w.slug || ' ' || to_char(r.minute AT TIME ZONE 'UTC', "
            + "'HH24:MI') || ' ' || r.requests || '/' || r.client_errors || '/' || r.server_errors, ', ' "
            + "ORDER BY w.slug, r.minute) FROM (%s) r JOIN workspaces w ON w.id = r.workspace_id";

    @Test
    void theMinutesOfTheEntriesAlreadyLoggedAreCounted() throws SQLException {
        try (ScratchDatabase scratch = ScratchDatabase.atVersion("20")) {
            scratch.execute("INSERT INTO workspaces (id, name, slug) VALUES "
                    + "('00000000-0000-0000-0000-0000000000a1', 'A', 'a'), "
                    + "('00000000-0000-0000-0000-0000000000b1', 'B', 'b')");
            // V17 made today's partition (UTC) as it migrated.
            scratch.execute("INSERT INTO provisioning_log (id, received_at, workspace_id, method, path, status, "
                    + "duration_micros, request_id, request_bytes, response_bytes) SELECT gen_random_uuid(), "
                    + "date_trunc('day', now(), 'UTC') + e.at::interval, e.workspace::uuid, 'GET', '/api/scim/v2/Users', "
                    + "e.status, 1, 'migration', 0, 0 FROM (VALUES "
                    + "('01:00:00', '00000000-0000-0000-0000-0000000000a1', 200), "
                    + "('01:00:59.999999', '00000000-0000-0000-0000-0000000000a1', 404), "
                    + "('01:01:00', '00000000-0000-0000-0000-0000000000a1', 503), "
                    + "('01:01:30', '00000000-0000-0000-0000-0000000000a1', 201), "
                    + "('01:00:10', '00000000-0000-0000-0000-0000000000b1', 500), "
                    + "('01:00:20', NULL, 401)) AS e (at, workspace, status)");

            scratch.migrate();

            assertThat(scratch.text(String.format(MINUTES, "SELECT * FROM request_minutes")))
                    .isEqualTo("a 01:00 2/1/0, a 01:01 2/0/1, b 01:00 1/0/1")
                    .isEqualTo(scratch.text(String.format(MINUTES, "SELECT workspace_id, "
                            + "date_trunc('minute', received_at) AS minute, count(*) AS requests, "
                            + "count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors, "
                            + "count(*) FILTER (WHERE status >= 500) AS server_errors FROM provisioning_log "
                            + "GROUP BY 1, 2")));
        }
    }
}
