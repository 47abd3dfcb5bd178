package dev.scimserver.store;

import dev.scimserver.activity.LogEntry;
import dev.scimserver.activity.LogPosition;
import dev.scimserver.activity.LogUpkeepException;
import dev.scimserver.activity.LoggedRequest;
import dev.scimserver.activity.MinuteCount;
import dev.scimserver.activity.Preconditions;
import dev.scimserver.activity.ProvisioningLogStore;
import dev.scimserver.activity.RequestFilter;
import dev.scimserver.activity.StatusRange;
import dev.scimserver.activity.TimeOrderedIds;
import dev.scimserver.activity.UnstorableLogEntryException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static dev.scimserver.store.CredentialDatabase.instant;
import static dev.scimserver.store.CredentialDatabase.timestamp;

/**
 * The provisioning log in PostgreSQL (V17): one table partitioned by day, written in batches of one
 * binary COPY each, read newest first by keyset on (received_at, id) within one workspace, which its
 * index serves in that order. Each batch also adds its requests to the per-minute counts of
 * {@code request_minutes} (V21), which the console's chart reads.
 */
public final class PostgresProvisioningLog implements ProvisioningLogStore {
    private static final String COLUMNS = "id, received_at, workspace_id, credential, client_address, method, path, "
            + "query, resource_id, status, scim_type, detail, duration_micros, request_id, request_bytes, "
            + "response_bytes";
    /** {@link #COLUMNS}, the bodies with their flag and the request id's flag, as {@link #copy} writes them. */
    private static final int COPIED_COLUMNS = 22;

    /**
     * How far back from the newest moment a search may reach each of its windows ends: a day, a week, a month, a
     * quarter, and then a quarter more at a time.
     */
    private static final List<Duration> WINDOWS_BACK = List.of(Duration.ofDays(1), Duration.ofDays(7),
            Duration.ofDays(30), Duration.ofDays(90));

    private final CredentialDatabase database;

    public PostgresProvisioningLog(DataSource dataSource) {
        this.database = new CredentialDatabase(dataSource);
    }

    @Override
    public void insert(List<LogEntry> entries) {
        try {
            database.inTransaction(handle -> {
                // The log is lossy by design (a full queue or an outage drops entries): a batch need not
                // wait for its commit to reach the disk, and a crash may lose the last few batches.
                handle.execute("SET LOCAL synchronous_commit = off");
                copy(handle, entries);
                return countMinutes(handle, entries);
            });
        } catch (RuntimeException e) {
            throw SqlFaults.isRefusedValue(e) ? new UnstorableLogEntryException(e) : e;
        }
    }

    /**
     * The whole batch in one binary COPY: each value goes as its bytes, where an insert of arrays had
     * the driver escape every character of every body into an array's text and PostgreSQL parse it back.
     */
    private static void copy(Handle handle, List<LogEntry> entries) {
        try (BinaryCopyRows rows = BinaryCopyRows.start(handle.getConnection(), "COPY provisioning_log ("
                + COLUMNS + ", request_body, response_body, bodies_dropped, request_id_names_time, if_match, "
                + "if_none_match) "
                + "FROM STDIN (FORMAT binary)")) {
            for (LogEntry entry : entries) {
                LoggedRequest r = entry.request();
                rows.row(COPIED_COLUMNS).uuid(r.id()).timestamp(r.receivedAt()).uuid(r.workspaceId())
                        .text(r.credential()).text(r.clientAddress()).text(r.method()).text(r.path())
                        .text(r.query()).text(r.resourceId()).int2(r.status()).text(r.scimType())
                        .text(r.detail()).int8(r.durationMicros()).text(r.requestId()).int8(r.requestBytes())
                        .int8(r.responseBytes()).text(entry.requestBody()).text(entry.responseBody())
                        .bool(entry.bodiesDropped())
                        .bool(TimeOrderedIds.namesMillisecondOf(r.requestId(), r.receivedAt()))
                        .text(entry.preconditions().ifMatch()).text(entry.preconditions().ifNoneMatch());
            }
            rows.finish();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** A workspace's minute in UTC, as {@code request_minutes} keys its counts. */
    private record WorkspaceMinute(UUID workspaceId, Instant minute) {
    }

    /**
     * Adds the entries to the counts per workspace and minute, in the batch's transaction: the chart
     * then counts exactly the entries the log holds, and an outage loses both together. The batch's
     * minutes are written in key order (ORDER BY), so that two processes writing the same minutes lock
     * them in one order and never wait for each other in a cycle. The minute is that of received_at in
     * UTC, as V21 filled the table; entries of no workspace are charted nowhere.
     */
    private static int countMinutes(Handle handle, List<LogEntry> entries) {
        // Summed here: a batch spans a minute or two of a few workspaces, so PostgreSQL is sent those few
        // sums, where it was sent every entry's workspace, time and status to parse and group.
        Map<WorkspaceMinute, long[]> counts = new HashMap<>();
        for (LogEntry entry : entries) {
            LoggedRequest r = entry.request();
            if (r.workspaceId() != null) {
                long[] count = counts.computeIfAbsent(new WorkspaceMinute(r.workspaceId(),
                        r.receivedAt().truncatedTo(ChronoUnit.MINUTES)), key -> new long[3]);
                count[0]++;
                count[1] += r.status() >= 400 && r.status() <= 499 ? 1 : 0;
                count[2] += r.status() >= 500 ? 1 : 0;
            }
        }
        if (counts.isEmpty()) {
            return 0;
        }
        List<Map.Entry<WorkspaceMinute, long[]>> minutes = new ArrayList<>(counts.entrySet());
        return handle.createUpdate("INSERT INTO request_minutes AS t (workspace_id, minute, requests, client_errors, "
                        + "server_errors) SELECT * FROM unnest(:workspaces, CAST(:minutes AS timestamptz[]), "
                        + ":requests, :clientErrors, :serverErrors) ORDER BY 1, 2 "
                        + "ON CONFLICT (workspace_id, minute) DO UPDATE SET requests = t.requests + excluded.requests, "
                        + "client_errors = t.client_errors + excluded.client_errors, "
                        + "server_errors = t.server_errors + excluded.server_errors")
                .bind("workspaces", minutes.stream().map(m -> m.getKey().workspaceId()).toArray(UUID[]::new))
                .bind("minutes", minutes.stream().map(m -> m.getKey().minute().toString()).toArray(String[]::new))
                .bind("requests", minutes.stream().map(m -> m.getValue()[0]).toArray(Long[]::new))
                .bind("clientErrors", minutes.stream().map(m -> m.getValue()[1]).toArray(Long[]::new))
                .bind("serverErrors", minutes.stream().map(m -> m.getValue()[2]).toArray(Long[]::new))
                .execute();
    }

    /**
     * Newest first, window after window of days back from the newest moment the search may reach, until
     * the page is full or the oldest day kept is passed. A statement over the whole log plans and locks
     * every daily partition and each of its indexes: a retention of years asked PostgreSQL for more
     * locks than its shared lock table holds, and a page of the log was a 500. A window's bounds are
     * literals, so each statement is planned for the days it reads alone. The windows widen, so a busy
     * log fills its page from the first and a quiet one takes few statements.
     */
    @Override
    public List<LoggedRequest> search(UUID workspaceId, RequestFilter filter, LogPosition after, int limit) {
        return database.withHandle(handle -> {
            List<LoggedRequest> found = new ArrayList<>();
            eachWindow(handle, filter.from(), earliest(filter.to(), after == null ? null
                    : after.receivedAt().plus(1, ChronoUnit.MICROS)), window -> {
                Search search = Search.of(workspaceId, filter, after, limit - found.size(), window);
                found.addAll(search.query(handle, search.sql()).map((rs, ctx) -> loggedRequest(rs)).list());
                return found.size() < limit;
            });
            return found;
        });
    }

    /**
     * Hands {@code read} the windows of days kept, newest first, from {@code to} (or the newest day
     * kept) back to {@code from} (or the oldest), for as long as it answers that it reads on.
     */
    private static void eachWindow(Handle handle, Instant from, Instant to, Predicate<Window> read) {
        Optional<KeptDays> kept = keptDays(handle);
        if (kept.isEmpty()) {
            return;
        }
        Instant floor = latest(kept.get().first(), from);
        // PostgreSQL keeps microseconds: the top rounded up, the windows' other bounds down, so that
        // no window leaves out an entry its conditions keep and no two windows share one.
        Instant top = upToMicros(earliest(kept.get().end(), to));
        Instant reach = earliest(top, Instant.now()).truncatedTo(ChronoUnit.MICROS);
        for (int window = 0; top.isAfter(floor); window++) {
            Instant lower = latest(floor, window < WINDOWS_BACK.size() ? reach.minus(WINDOWS_BACK.get(window))
                    : top.minus(WINDOWS_BACK.get(WINDOWS_BACK.size() - 1)));
            if (!read.test(new Window(lower, top))) {
                return;
            }
            top = lower;
        }
    }

    /**
     * {@code instant} as the log's microseconds compare with it: an entry's time, kept to the microsecond,
     * lies before a finer bound exactly when it lies before the next microsecond (PostgreSQL would round
     * a bound to the nearest, putting an entry of that microsecond on the wrong side).
     */
    private static Instant upToMicros(Instant instant) {
        Instant down = instant.truncatedTo(ChronoUnit.MICROS);
        return down.equals(instant) ? down : down.plus(1, ChronoUnit.MICROS);
    }

    /** The start of the oldest daily partition and the end of the newest. */
    private record KeptDays(Instant first, Instant end) {
    }

    private static Optional<KeptDays> keptDays(Handle handle) {
        return handle.createQuery("SELECT min(c.relname) AS first, max(c.relname) AS last FROM pg_inherits i "
                        + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'provisioning_log'::regclass "
                        + "AND c.relname ~ '^provisioning_log_[0-9]{8}$'")
                .map((rs, ctx) -> rs.getString("first") == null ? null : new KeptDays(partitionDay(rs.getString("first")),
                        partitionDay(rs.getString("last")).plus(Duration.ofDays(1))))
                .findOne();
    }

    private static Instant partitionDay(String partition) {
        return LocalDate.parse(partition.substring("provisioning_log_".length()), DateTimeFormatter.BASIC_ISO_DATE)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The later of two instants, either of which may be absent (null). */
    private static Instant latest(Instant a, Instant b) {
        return a == null || b != null && b.isAfter(a) ? b : a;
    }

    /** The earlier of two instants, either of which may be absent (null). */
    private static Instant earliest(Instant a, Instant b) {
        return a == null || b != null && b.isBefore(a) ? b : a;
    }

    /** The days one statement of a search reads, from {@code from} up to {@code to}, as literals. */
    record Window(Instant from, Instant to) {
        String condition() {
            return "received_at >= '" + from + "'::timestamptz AND received_at < '" + to + "'::timestamptz";
        }
    }

    /** A search's statement and what it binds; {@link #query} takes the text, so that a test may explain it. */
    record Search(String sql, List<Consumer<Query>> bindings) {
        /** {@code window}: the days this statement reads. */
        static Search of(UUID workspaceId, RequestFilter filter, LogPosition after, int limit, Window window) {
            List<String> conditions = new ArrayList<>();
            List<Consumer<Query>> bindings = new ArrayList<>();
            workspace(workspaceId, conditions, bindings);
            conditions.add(window.condition());
            if (filter.from() != null) {
                condition(conditions, bindings, "received_at >= :from",
                        q -> q.bind("from", timestamp(upToMicros(filter.from()))));
            }
            if (filter.to() != null) {
                condition(conditions, bindings, "received_at < :to",
                        q -> q.bind("to", timestamp(upToMicros(filter.to()))));
            }
            if (filter.status() != null) {
                StatusRange status = filter.status();
                if (status.lowest() / 100 == 2) {
                    // Not in V28's index: the status column's statistics tell how many entries match.
                    condition(conditions, bindings, "status BETWEEN :lowest AND :highest",
                            q -> q.bind("lowest", (short) status.lowest()).bind("highest", (short) status.highest()));
                } else {
                    // Every range is within one class, the equality of V22's index. The literal is V28's
                    // condition, which a bound class would not prove in a generic plan.
                    condition(conditions, bindings, "status / 100 = :class AND status / 100 <> 2 "
                                    + "AND status BETWEEN :lowest AND :highest",
                            q -> q.bind("class", (short) (status.lowest() / 100))
                                    .bind("lowest", (short) status.lowest()).bind("highest", (short) status.highest()));
                }
            }
            if (filter.credential() != null) {
                condition(conditions, bindings, "credential = :credential",
                        q -> q.bind("credential", filter.credential()));
            }
            if (filter.method() != null) {
                // V28's method index holds no GET, by this literal condition.
                condition(conditions, bindings, "method = :method" + (filter.method().equals("GET") ? ""
                        : " AND method <> 'GET'"), q -> q.bind("method", filter.method()));
            }
            if (filter.resourceId() != null) {
                condition(conditions, bindings, "resource_id = :resource",
                        q -> q.bind("resource", filter.resourceId()));
            }
            if (filter.requestId() != null) {
                requestId(filter.requestId(), conditions, bindings);
            }
            if (after != null) {
                condition(conditions, bindings, "(received_at, id) < (:afterTime, :afterId)",
                        q -> q.bind("afterTime", timestamp(after.receivedAt())).bind("afterId", after.id()));
            }
            bindings.add(q -> q.bind("limit", limit));
            return new Search("SELECT " + COLUMNS + " FROM provisioning_log WHERE " + String.join(" AND ", conditions)
                    + " ORDER BY received_at DESC, id DESC LIMIT :limit", List.copyOf(bindings));
        }

        /** {@code text} (this search's statement, or one around it) with this search's values bound. */
        Query query(Handle handle, String text) {
            Query query = handle.createQuery(text);
            bindings.forEach(binding -> binding.accept(query));
            return query;
        }
    }

    /** One probe of the workspace index (V25) in the entry's partition, by all three of its columns. */
    @Override
    public boolean holds(LoggedRequest request) {
        return database.withHandle(handle -> {
            Query query = handle.createQuery("SELECT EXISTS (SELECT 1 FROM provisioning_log WHERE id = :id AND "
                    + (request.workspaceId() != null ? "workspace_id = :workspace" : "workspace_id IS NULL")
                    + " AND received_at = :at)").bind("id", request.id()).bind("at", timestamp(request.receivedAt()));
            if (request.workspaceId() != null) {
                query.bind("workspace", request.workspaceId());
            }
            return query.mapTo(Boolean.class).one();
        });
    }

    /**
     * An id that names the millisecond its entry was received in is looked for in that millisecond; any
     * other, window after window of days, as a search reads them: without a time, one statement would
     * plan and lock every day kept.
     */
    @Override
    public Optional<LogEntry> find(UUID workspaceId, UUID id) {
        Optional<Instant> millisecond = TimeOrderedIds.madeAt(id);
        return database.withHandle(handle -> {
            if (millisecond.isPresent()) {
                Query query = findQuery(handle, workspaceId, id, IN_MILLISECOND).bind("from", timestamp(millisecond.get()))
                        .bind("to", timestamp(millisecond.get().plusMillis(1)));
                return logEntry(query);
            }
            List<LogEntry> found = new ArrayList<>();
            eachWindow(handle, null, null, window -> {
                logEntry(findQuery(handle, workspaceId, id, window.condition())).ifPresent(found::add);
                return found.isEmpty();
            });
            return found.stream().findFirst();
        });
    }

    private static Query findQuery(Handle handle, UUID workspaceId, UUID id, String received) {
        Query query = handle.createQuery(findSql(workspaceId != null, received)).bind("id", id);
        return workspaceId == null ? query : query.bind("workspace", workspaceId);
    }

    private static Optional<LogEntry> logEntry(Query query) {
        return query.map((rs, ctx) -> new LogEntry(loggedRequest(rs), rs.getString("request_body"),
                rs.getString("response_body"), rs.getBoolean("bodies_dropped"),
                new Preconditions(rs.getString("if_match"), rs.getString("if_none_match")))).findOne();
    }

    /** The millisecond an id names, the condition {@link #findSql} takes with {@code :from} and {@code :to}. */
    static final String IN_MILLISECOND = "received_at >= :from AND received_at < :to";

    /**
     * One entry by its id, in a workspace or in none, and {@code received} then: in the millisecond
     * the id names, the workspace index (V25) finds it in one partition, by all three of its columns.
     */
    static String findSql(boolean inWorkspace, String received) {
        return "SELECT " + COLUMNS + ", request_body, response_body, bodies_dropped, if_match, if_none_match "
                + "FROM provisioning_log "
                + "WHERE id = :id AND " + (inWorkspace ? "workspace_id = :workspace" : "workspace_id IS NULL")
                + " AND " + received;
    }

    /**
     * At most one row per minute, by request_minutes' primary key (V21), where counting the log read
     * every entry of the day.
     */
    @Override
    public List<MinuteCount> minuteCounts(UUID workspaceId, Instant since) {
        return database.withHandle(handle -> handle.createQuery("SELECT minute, requests, client_errors, "
                        + "server_errors FROM request_minutes WHERE workspace_id = ? AND minute >= ? ORDER BY minute")
                .bind(0, workspaceId).bind(1, timestamp(since))
                .map((rs, ctx) -> new MinuteCount(instant(rs, "minute"), rs.getLong("requests"),
                        rs.getLong("client_errors"), rs.getLong("server_errors")))
                .list());
    }

    /**
     * The partitions by V17's function (V40's), called again until it drops nothing: each call drops a
     * few days, each in a transaction of its own, so a retention lowered by years never holds the locks
     * of all its days at once. Then the minutes of the days before {@code keepFrom}, the days whose
     * partitions go: the log's rule, so the chart never counts a day the log no longer holds.
     */
    @Override
    public int upkeep(LocalDate today, int daysAhead, LocalDate keepFrom) {
        try {
            return keepDays(today, daysAhead, keepFrom);
        } catch (UnableToExecuteStatementException e) {
            // These statements bind dates only, so the database's message holds nothing secret.
            throw e.getCause() instanceof SQLException sql ? new LogUpkeepException("SQLSTATE " + sql.getSQLState()
                    + ": " + sql.getMessage(), e) : e;
        }
    }

    private int keepDays(LocalDate today, int daysAhead, LocalDate keepFrom) {
        return database.withHandle(handle -> {
            int dropped = 0;
            int droppedNow;
            do {
                droppedNow = handle.createQuery("SELECT provisioning_log_upkeep(?, ?, ?)")
                        .bind(0, today).bind(1, daysAhead).bind(2, keepFrom).mapTo(Integer.class).one();
                dropped += droppedNow;
            } while (droppedNow > 0);
            handle.createUpdate("DELETE FROM request_minutes WHERE minute < ?")
                    .bind(0, timestamp(keepFrom.atStartOfDay(ZoneOffset.UTC).toInstant())).execute();
            return dropped;
        });
    }

    private static void workspace(UUID workspaceId, List<String> conditions, List<Consumer<Query>> bindings) {
        if (workspaceId == null) {
            conditions.add("workspace_id IS NULL");
        } else {
            condition(conditions, bindings, "workspace_id = :workspace", q -> q.bind("workspace", workspaceId));
        }
    }

    /**
     * The entries of one request id. An id that names the millisecond its entry was received in is not
     * in the request id index (V25, V26): those entries are in that millisecond, by the workspace index.
     * Every other entry of the id is in the index, whose condition the statement repeats so that
     * PostgreSQL may use it. A version 7 id can be either: the server's own, or one a client made at
     * another time.
     */
    private static void requestId(String requestId, List<String> conditions, List<Consumer<Query>> bindings) {
        String indexed = "NOT request_id_names_time "
                + "AND NOT provisioning_log_request_id_names_time(request_id, received_at)";
        Optional<Instant> millisecond = TimeOrderedIds.madeAt(requestId);
        if (millisecond.isEmpty()) {
            condition(conditions, bindings, "request_id = :requestId AND " + indexed,
                    q -> q.bind("requestId", requestId));
        } else {
            condition(conditions, bindings, "request_id = :requestId AND (received_at >= :requestFrom "
                    + "AND received_at < :requestTo OR " + indexed + ")", q -> q.bind("requestId", requestId)
                    .bind("requestFrom", timestamp(millisecond.get()))
                    .bind("requestTo", timestamp(millisecond.get().plusMillis(1))));
        }
    }

    private static void condition(List<String> conditions, List<Consumer<Query>> bindings, String condition,
                                  Consumer<Query> binding) {
        conditions.add(condition);
        bindings.add(binding);
    }

    private static LoggedRequest loggedRequest(ResultSet rs) throws SQLException {
        return new LoggedRequest(rs.getObject("id", UUID.class), instant(rs, "received_at"),
                rs.getObject("workspace_id", UUID.class), rs.getString("credential"), rs.getString("client_address"),
                rs.getString("method"), rs.getString("path"), rs.getString("query"), rs.getString("resource_id"),
                rs.getInt("status"), rs.getString("scim_type"), rs.getString("detail"), rs.getLong("duration_micros"),
                rs.getString("request_id"), rs.getLong("request_bytes"), rs.getLong("response_bytes"));
    }
}
