package dev.scimserver.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement that fails for a reason of ours is a 500 whose log line carries the request id and
 * the cause, but never the values bound to the statement, nor PostgreSQL's detail that repeats
 * them: those are a user's names and emails. A server of its own on a database of its own, whose
 * table is then made to refuse every new member.
 */
class BoundArgumentsLogTest {
    private final RunningServer shared = RunningServer.shared();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;

    @BeforeEach
    void captureLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logs);
    }

    @Test
    void aFailedWriteIsLoggedWithItsCauseButWithoutTheValuesItBound() throws SQLException {
        String database = "bound_" + UUID.randomUUID().toString().replace("-", "");
        URI url = URI.create(shared.jdbcUrl().substring("jdbc:".length()));
        String server = "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/";
        try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", RunningServer.shared().databasePassword());
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + database);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> userData = List.of("leaky-" + run + "@example.com", "Givenleak" + run, "Familyleak" + run,
                "Nickleak" + run);
        try (ScimServer scim = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true", "SCIM_HEADER_AUTH_TOKEN",
                RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", "postgres://postgres:" + RunningServer.shared().databasePassword() + "@" + url.getHost() + ":"
                        + url.getPort() + "/" + database)))) {
            try (Connection connection = DriverManager.getConnection(server + database, "postgres", RunningServer.shared().databasePassword());
                 Statement sql = connection.createStatement()) {
                sql.execute("ALTER TABLE workspace_members ADD CONSTRAINT sabotaged CHECK (false) NOT VALID");
            }
            logs.list.clear();
            HttpResponse<String> failed = shared.send("POST", "http://localhost:" + scim.port() + "/api/scim/v2/Users",
                    "{\"userName\":\"" + userData.get(0) + "\",\"name\":{\"givenName\":\"" + userData.get(1)
                            + "\",\"familyName\":\"" + userData.get(2) + "\"},\"nickName\":\"" + userData.get(3)
                            + "\",\"emails\":[{\"value\":\"" + userData.get(0) + "\",\"primary\":true}]}");

            assertScimError(failed, 500, null);
            String requestId = failed.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(logs.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).contains(requestId);
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy())).contains("sabotaged");
            });
            for (ILoggingEvent event : logs.list) {
                String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(event.getThrowableProxy())) + event.getMDCPropertyMap();
                for (String value : userData) {
                    assertThat(line).as("log line of %s", event.getLoggerName()).doesNotContain(value);
                }
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(server + "postgres", "postgres", RunningServer.shared().databasePassword());
                 Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE " + database + " WITH (FORCE)");
            }
        }
    }
}
