package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The plans of a session's statements as they ran, with the rows each node produced over all its
 * loops, collected from the notices auto_explain sends to that session alone (settings local to its
 * open transaction); nested statements (the journal's triggers) are left out. A query's portal, and
 * with it the executor auto_explain reports at the end of, is closed by the next statement of the
 * transaction: run one before reading the plans.
 */
final class ExecutedPlans {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> plans = new ArrayList<>();

    private ExecutedPlans() {
    }

    /**
     * Runs {@code work} in a transaction of the test database that is rolled back, with the plans of
     * its statements collected; with {@code nestedLoopsOnly}, the planner may join by nested loops
     * only, so that whatever it believes, a plan that rescans shows.
     */
    static void inRolledBackTransaction(boolean nestedLoopsOnly, BiConsumer<Handle, ExecutedPlans> work) {
        TestWorkspaces.jdbi().useHandle(h -> {
            h.begin();
            try {
                if (nestedLoopsOnly) {
                    h.execute("SET LOCAL enable_hashjoin = off");
                    h.execute("SET LOCAL enable_mergejoin = off");
                }
                work.accept(h, of(h));
            } finally {
                h.rollback();
            }
        });
    }

    /** Starts collecting the plans of {@code h}, which must be in a transaction. */
    private static ExecutedPlans of(Handle h) {
        h.execute("LOAD 'auto_explain'");
        h.execute("SET LOCAL auto_explain.log_min_duration = 0");
        h.execute("SET LOCAL auto_explain.log_analyze = on");
        h.execute("SET LOCAL auto_explain.log_timing = off");
        h.execute("SET LOCAL auto_explain.log_format = 'json'");
        h.execute("SET LOCAL auto_explain.log_level = 'notice'");
        h.execute("SET LOCAL auto_explain.log_nested_statements = off");
        ExecutedPlans collected = new ExecutedPlans();
        h.addCustomizer(new StatementCustomizer() {
            @Override
            public void afterExecution(PreparedStatement statement, StatementContext ctx) throws SQLException {
                for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                    String message = w.getMessage();
                    int json = message.indexOf('{');
                    if (message.startsWith("duration:") && json >= 0) {
                        try {
                            collected.plans.add(JSON.readTree(message.substring(json)));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
        });
        return collected;
    }

    /** Forgets the plans collected so far: those of the set-up. */
    void clear() {
        plans.clear();
    }

    /** The plans collected since the last {@link #clear()}, each with its "Query Text" and "Plan". */
    List<JsonNode> all() {
        return List.copyOf(plans);
    }

    /** The rows the plan's nodes produced over all their loops: of those run more than once, or of all. */
    static long rowsProduced(JsonNode node, boolean rescannedOnly) {
        long loops = node.path("Actual Loops").asLong();
        long rows = !rescannedOnly || loops > 1 ? node.path("Actual Rows").asLong() * Math.max(1, loops) : 0;
        for (JsonNode child : node.path("Plans")) {
            rows += rowsProduced(child, rescannedOnly);
        }
        return rows;
    }
}
