package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.TimeOrderedIds;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log's status and method filters (V22, V28) among a day's entries shaped like an IdP's traffic:
 * mostly GETs answered 200, some creates, a few PATCHes, 404s and 500s. A filter for a rare status or
 * method reads its partial index, in a generic plan as in a custom one; a filter for 2xx or GET, which
 * those indexes leave out, walks the workspace index newest first. Each search finds exactly the
 * entries it names, newest first.
 */
class LogFilterPlanTest {
    private static final String DAY = "provisioning_log_20310302";
    private static final String WORKSPACE_INDEX = DAY + "_workspace_id_received_at_id_idx";
    private static final String STATUS_INDEX = DAY + "_workspace_id_expr_received_at_id_idx";
    private static final String METHOD_INDEX = DAY + "_workspace_id_method_received_at_i_idx";
    private static final UUID WORKSPACE = UUID.randomUUID();

    private static ScratchDatabase scratch;
    private static PostgresProvisioningLog log;
    private static final List<LoggedRequest> ENTRIES = new ArrayList<>();

    @BeforeAll
    static void aDayOfTraffic() throws SQLException {
        scratch = ScratchDatabase.atVersion("latest");
        scratch.execute("SELECT provisioning_log_upkeep(DATE '2031-03-02', 1, '-infinity')");
        log = new PostgresProvisioningLog(scratch.dataSource());
        List<LogEntry> entries = new ArrayList<>();
        Instant received = Instant.parse("2031-03-02T08:00:00Z");
        for (int i = 0; i < 60_000; i++) {
            received = received.plusMillis(20);
            boolean create = i % 10 == 3;
            String method = create ? "POST" : i % 100 == 7 ? "PATCH" : "GET";
            int status = create ? (i % 1_000 == 3 ? 500 : 201) : i % 50 == 11 ? 404 : 200;
            LoggedRequest request = new LoggedRequest(TimeOrderedIds.next(received), received, WORKSPACE, "okta",
                    "192.0.2.1", method, "/api/scim/v2/Users", null, null, status, null, null, 900,
                    TimeOrderedIds.next(received).toString(), 0, 600);
            ENTRIES.add(request);
            entries.add(new LogEntry(request, null, "{}", false, Preconditions.NONE));
        }
        log.insert(entries);
        scratch.execute("ANALYZE provisioning_log");
    }

    @AfterAll
    static void close() throws SQLException {
        scratch.close();
    }

    @ParameterizedTest(name = "status {0}, method {1}: {2}")
    @CsvSource(nullValues = "-", value = {
            "5xx, -, STATUS", "500, -, STATUS", "4xx, -, STATUS", "404, -, STATUS",
            "-, PATCH, METHOD", "-, POST, METHOD", "-, DELETE, METHOD",
            "2xx, -, WORKSPACE", "201, -, WORKSPACE", "-, GET, WORKSPACE"})
    void aFilterReadsTheIndexThatHoldsItsEntries(String status, String method, String index) {
        // The day's partition alone, so that the plan is its own and not the empty partitions' beside it.
        RequestFilter filter = RequestFilter.ANY.from("2031-03-02T00:00:00Z").to("2031-03-03T00:00:00Z")
                .status(status).method(method);
        PostgresProvisioningLog.Search search = PostgresProvisioningLog.Search.of(WORKSPACE, filter, null, 50,
                new PostgresProvisioningLog.Window(filter.from(), filter.to()));
        String expected = switch (index) {
            case "STATUS" -> STATUS_INDEX;
            case "METHOD" -> METHOD_INDEX;
            default -> WORKSPACE_INDEX;
        };

        // A walk reads the index in its order; a rare filter's few entries may be sorted.
        List<String> absent = expected.equals(WORKSPACE_INDEX) ? List.of("\"Seq Scan\"", "\"Sort\"")
                : List.of("\"Seq Scan\"");
        assertThat(planWithItsValues(search)).contains("\"Index Name\": \"" + expected + "\"")
                .doesNotContain(absent);
        assertThat(genericPlan(search)).contains("\"Index Name\": \"" + expected + "\"")
                .doesNotContain(absent);

        Predicate<LoggedRequest> named = r -> (status == null || filter.status().lowest() <= r.status()
                && r.status() <= filter.status().highest()) && (method == null || method.equals(r.method()));
        assertThat(log.search(WORKSPACE, filter, null, 50)).isEqualTo(ENTRIES.stream().filter(named)
                .sorted(Comparator.comparing(LoggedRequest::receivedAt).reversed()).limit(50).toList());
    }

    /** The plan PostgreSQL makes for the search's statement knowing the values it binds. */
    private static String planWithItsValues(PostgresProvisioningLog.Search search) {
        return Jdbi.create(scratch.dataSource()).withHandle(handle ->
                search.query(handle, "EXPLAIN (FORMAT JSON) " + search.sql()).mapTo(String.class).one());
    }

    /**
     * The plan PostgreSQL keeps for the statement whatever its values: prepared with positional
     * parameters and explained under {@code plan_cache_mode = force_generic_plan}, so that no value
     * can lead the planner to the index. The values given to the execution only prune the partitions
     * outside the day; the others are NULL.
     */
    private static String genericPlan(PostgresProvisioningLog.Search search) {
        Matcher named = Pattern.compile("(?<!:):([a-zA-Z]\\w*)").matcher(search.sql());
        List<String> names = new ArrayList<>();
        String positional = named.replaceAll(m -> {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
            return "\\$" + (names.indexOf(m.group(1)) + 1);
        });
        return Jdbi.create(scratch.dataSource()).inTransaction(handle -> {
            handle.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            handle.execute("PREPARE search AS " + positional);
            Map<String, String> values = Map.of("workspace", "'" + WORKSPACE + "'",
                    "from", "'2031-03-02T00:00:00Z'", "to", "'2031-03-03T00:00:00Z'");
            String plan = handle.createQuery("EXPLAIN (FORMAT JSON) EXECUTE search(" + names.stream()
                    .map(name -> values.getOrDefault(name, "NULL")).collect(Collectors.joining(", ")) + ")")
                    .mapTo(String.class).one();
            handle.execute("DEALLOCATE search");
            return plan;
        });
    }
}
