package dev.scimserver.store;

import dev.scimserver.app.RunningServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link PostgresDirectoryStore#isAvailable} tells a health probe, on the real database. */
class HealthProbeTest {
    /**
     * A pool whose every connection is busy with requests gives the probe none in time; the database
     * still answers, and a server reported down would be taken out of its balancer or restarted.
     */
    @Test
    void aPoolWhoseEveryConnectionIsBusyStillFindsTheDatabaseAnswering() throws Exception {
        try (Database pool = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 1);
             Connection busy = pool.dataSource().getConnection()) {
            assertThat(busy.isValid(1)).isTrue();
            assertThat(new PostgresDirectoryStore(pool.dataSource()).isAvailable()).isTrue();
            // As the server builds it: on the pool wrapped while the database opens, which hid the pool.
            assertThat(new PostgresDirectoryStore(OpeningDatabase.start(() -> pool)).isAvailable()).isTrue();
        }
    }
}
