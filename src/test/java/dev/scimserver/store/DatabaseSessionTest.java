package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every connection of the server's pool is set to before its first statement. */
class DatabaseSessionTest {
    @Test
    void everyPooledConnectionRunsItsStatementsWithoutParallelWorkersOrJitAndWithATimeout() {
        try (Database database = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 2)) {
            Jdbi jdbi = Jdbi.create(database.dataSource());
            try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
                for (Handle handle : new Handle[] {first, second}) {
                    assertThat(handle.createQuery("SHOW max_parallel_workers_per_gather").mapTo(String.class).one())
                            .isEqualTo("0");
                    assertThat(handle.createQuery("SHOW jit").mapTo(String.class).one()).isEqualTo("off");
                    assertThat(handle.createQuery("SHOW statement_timeout").mapTo(String.class).one())
                            .isEqualTo(Database.STATEMENT_TIMEOUT.toSeconds() + "s");
                }
            }
        }
    }
}
