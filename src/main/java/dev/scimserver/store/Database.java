package dev.scimserver.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.nio.file.Path;

/**
 * The PostgreSQL the server runs on: an external one given by JDBC URL and credentials, or the
 * embedded one under {@code DATA_DIR}. Migrations run before the pool is handed out.
 */
public final class Database implements AutoCloseable {
    /**
     * How long a request waits for a connection before the server answers 503: short enough that
     * the answer comes well within 5 seconds even on a loaded machine.
     */
    private static final long CONNECTION_TIMEOUT_MILLIS = 3_000;
    /**
     * How long PostgreSQL runs one statement of the pool before it cancels it. A request's statements
     * are short; one that runs on (waiting on a lock, or a plan gone wrong) is cancelled by the database
     * itself, which frees its backend and rolls its transaction back, where the driver's socket timeout
     * alone ended only the request and left the statement running. It is below that timeout, so the
     * cancel arrives first whenever the database answers at all.
     */
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(50);
    /** How long the driver waits on a silent socket: a database that stopped answering, not a slow statement. */
    private static final int SOCKET_TIMEOUT_SECONDS = 60;
    /** PostgreSQL's SQLSTATE for a statement the user may not run. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** SQLSTATE raise_exception: a migration's own refusal of the data it found. */
    private static final String RAISED = "P0001";

    private final HikariDataSource dataSource;
    private final LocalPostgres embedded;
    private final String description;

    private Database(HikariDataSource dataSource, LocalPostgres embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
    }

    /** An external PostgreSQL; {@code jdbcUrl} carries no credentials, they come apart. */
    public static Database external(String jdbcUrl, String user, String password, int poolSize) {
        return external(jdbcUrl, user, password, poolSize, (MeterRegistry) null);
    }

    /** As {@link #external(String, String, String, int)}, the pool reporting to {@code metrics} ({@code null}: none). */
    public static Database external(String jdbcUrl, String user, String password, int poolSize,
                                    MeterRegistry metrics) {
        return open(jdbcUrl, user, password, poolSize, null, "PostgreSQL at " + withoutQuery(jdbcUrl), metrics,
                STATEMENT_TIMEOUT);
    }

    /** As {@link #external(String, String, String, int)}, its statements cancelled after {@code statementTimeout}. */
    static Database external(String jdbcUrl, String user, String password, int poolSize, Duration statementTimeout) {
        return open(jdbcUrl, user, password, poolSize, null, "PostgreSQL at " + withoutQuery(jdbcUrl), null,
                statementTimeout);
    }

    /** The embedded PostgreSQL, its cluster kept under {@code dataDir}. */
    public static Database embedded(Path dataDir, int poolSize) {
        return embedded(dataDir, poolSize, null);
    }

    /** As {@link #embedded(Path, int)}, the pool reporting to {@code metrics} ({@code null}: none). */
    public static Database embedded(Path dataDir, int poolSize, MeterRegistry metrics) {
        LocalPostgres pg = LocalPostgres.start(dataDir, poolSize);
        try {
            return open(pg.jdbcUrl(), pg.user(), pg.password(), poolSize, pg,
                    "embedded PostgreSQL 17 in " + dataDir.toAbsolutePath().normalize(), metrics, STATEMENT_TIMEOUT);
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    private static Database open(String jdbcUrl, String user, String password, int poolSize, LocalPostgres embedded,
                                 String description, MeterRegistry metrics, Duration statementTimeout) {
        HikariConfig config = new HikariConfig();
        if (metrics != null) {
            // Connections in use, idle, pending (requests waiting for one) and the timeouts, as hikaricp_*.
            config.setMetricRegistry(metrics);
        }
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setValidationTimeout(2_000);
        config.setPoolName("scim");
        // Every directory transaction relies on READ COMMITTED (row locks, then fresh counts).
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // The pool itself opens without the database: the start's own check of the migrations
        // (MigrationHistory) is what needs it, and stops the start with one clear line when it is away,
        // for the supervisor to start again. Once started, requests answer 503 while it is away.
        config.setInitializationFailTimeout(-1);
        // A session opened read-only stays so when the database takes writes again (an operator's
        // default_transaction_read_only reset, a name that pointed at a standby moved): such a
        // connection leaves the pool at its first refusal, and the next one opens as the database is now.
        config.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                return SqlFaults.outlivesItsCause(e) ? SQLExceptionOverride.Override.MUST_EVICT
                        : SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        });
        // A request's statement is short, and two of PostgreSQL's defaults cost it more than it saves.
        // Parallel workers took many times longer to start than the statement alone took to run (a
        // page of a big group, planned for its values), and where the database shares its cores with
        // the server they compete with the other requests. JIT compiles any statement whose estimate
        // is high, and a LIMIT or a kept count's skipped branch is estimated whole: the console's count
        // of a common name paid for compiling on every run, kept or not, more than the count itself.
        // A count over a whole workspace runs slower without both, and is kept (KnownTotals).
        config.setConnectionInitSql("SELECT set_config('max_parallel_workers_per_gather', '0', false), "
                + "set_config('jit', 'off', false), "
                + "set_config('statement_timeout', '" + statementTimeout.toMillis() + "ms', false)");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
        // PostgreSQL's detail repeats the row or key a statement failed on (a user's name, an email);
        // without this the driver puts it in the exception's message, and so in a 500's log line.
        config.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            if (!MigrationHistory.current(dataSource)) {
                migrate(jdbcUrl, user, password);
            }
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, embedded, description);
    }

    private static void migrate(String jdbcUrl, String user, String password) {
        try {
            Flyway.configure().dataSource(migrationDataSource(jdbcUrl, user, password))
                    .locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw refusalOf(e).orElse(e);
        }
    }

    /**
     * What the operator fixes, said in one line: a migration the database user may not run (connected,
     * it may not create or change the server's tables; Flyway's own message holds the whole failing
     * script), a migration that refuses the data it finds (its RAISE, with its hint), and a history
     * whose applied scripts differ from this version's. Any other failure of a migration is a bug,
     * with its trace.
     */
    private static Optional<RuntimeException> refusalOf(RuntimeException failure) {
        if (failure instanceof FlywayValidateException invalid) {
            return Optional.of(new StartRefusedException("the database's migration history does not match this "
                    + "version's migrations: " + invalid.getMessage().strip().replaceAll("\\s*\\R\\s*", " "), invalid));
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PSQLException raised && RAISED.equals(raised.getSQLState())
                    && raised.getServerErrorMessage() != null) {
                ServerErrorMessage said = raised.getServerErrorMessage();
                return Optional.of(new StartRefusedException("a migration refuses this database: " + said.getMessage()
                        + (said.getHint() == null ? "" : " " + said.getHint()), raised));
            }
            if (cause instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
                return Optional.of(new StartRefusedException("the database user may not create the server's "
                        + "tables (SQLSTATE 42501, insufficient privilege): give it CREATE on the database's schema "
                        + "public, or name a user that owns the database", sql));
            }
        }
        return Optional.empty();
    }

    /**
     * Connections for Flyway alone, without the pool's socket timeout: a migration that builds an
     * index over the whole retained provisioning log again (V25, V26) runs as long as the log is
     * large, where a request's statement never should. Cut off, it would roll back, and so would every
     * start after it. Like the pool's, their errors leave out PostgreSQL's detail, which repeats values.
     */
    private static DataSource migrationDataSource(String jdbcUrl, String user, String password) {
        PGSimpleDataSource migrations = new PGSimpleDataSource();
        migrations.setURL(jdbcUrl);
        // Either may be in the URL instead, which a null here would clear.
        if (user != null) {
            migrations.setUser(user);
        }
        if (password != null) {
            migrations.setPassword(password);
        }
        migrations.setSocketTimeout(0);
        migrations.setLogServerErrorDetail(false);
        return migrations;
    }

    private static String withoutQuery(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    public String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    /**
     * The passwords the pool may sign in with: the embedded cluster's own or the one configured, and
     * the {@code password} of the JDBC URL's query (which the driver prefers when both are set). For
     * the provisioning log to withhold, never for a log line.
     */
    public List<String> passwords() {
        List<String> passwords = new ArrayList<>();
        if (dataSource.getPassword() != null) {
            passwords.add(dataSource.getPassword());
        }
        Properties parsed = Driver.parseURL(dataSource.getJdbcUrl(), null);
        if (parsed != null && parsed.getProperty("password") != null) {
            passwords.add(parsed.getProperty("password"));
        }
        return passwords;
    }

    /**
     * A connection outside the pool, for a session that lasts (LISTEN): holding a pooled one would
     * take it from the requests for good. The caller closes it.
     */
    Connection openDedicatedConnection() {
        try {
            return outside(dataSource, new Properties());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a connection to the database", e);
        }
    }

    /**
     * A connection to the database of the pool under {@code dataSource}, not from it, that gives up
     * opening, signing in and waiting for an answer after {@code seconds} each; empty when no pool is
     * under it (nothing to go around).
     */
    static Optional<Connection> outsideThePool(DataSource dataSource, int seconds) throws SQLException {
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            return Optional.empty();
        }
        Properties settings = new Properties();
        settings.setProperty("connectTimeout", String.valueOf(seconds));
        settings.setProperty("loginTimeout", String.valueOf(seconds));
        settings.setProperty("socketTimeout", String.valueOf(seconds));
        return Optional.of(outside(dataSource.unwrap(HikariDataSource.class), settings));
    }

    /** A connection to the database of {@code pool}, not from it, with the driver's {@code settings}. */
    static Connection outside(HikariDataSource pool, Properties settings) throws SQLException {
        // Either may be in the URL instead.
        if (pool.getUsername() != null) {
            settings.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            settings.setProperty("password", pool.getPassword());
        }
        return DriverManager.getConnection(pool.getJdbcUrl(), settings);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Which database this is, for the startup line; never a secret. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
