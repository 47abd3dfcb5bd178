package dev.scimserver.store;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.zip.CRC32;

/**
 * Whether a database already holds every migration this build brings, as Flyway would find: each
 * applied in order up to V{@link #NEWEST}, with the checksum of the script bundled now, and nothing
 * after it (a new migration takes a version above the newest, as Flyway requires without
 * out-of-order). Then a start skips Flyway, whose first run in a new JVM is a large part of a restart.
 * A version past the newest is refused here (Flyway only warns of it); anything else (a new
 * database, a migration to apply, a failed one, a script changed since it ran) is Flyway's to do or
 * to refuse, with its own messages.
 */
final class MigrationHistory {
    /** The highest version under db/migration; MigrationHistoryTest fails when a newer file lacks it. */
    static final int NEWEST = 50;

    private MigrationHistory() {
    }

    static boolean current(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("SELECT version, script, checksum, success, type "
                     + "FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            int applied = 0;
            while (rows.next()) {
                int version = Integer.parseInt(rows.getString("version"));
                if (version > NEWEST && rows.getBoolean("success")) {
                    // Flyway only warns: the older server would write the tables in their older shape.
                    throw new StartRefusedException("the database was migrated by a newer version of the server "
                            + "(its schema is at V" + version + ", this version knows up to V" + NEWEST + "): an older "
                            + "server would write its tables in their older shape; run the newer version");
                }
                boolean same = version > applied && rows.getBoolean("success") && rows.getString("type").equals("SQL")
                        && Integer.valueOf(checksum(rows.getString("script"))).equals(rows.getObject("checksum"));
                if (!same) {
                    return false;
                }
                applied = version;
            }
            return applied == NEWEST;
        } catch (SQLTransientConnectionException e) {
            // Flyway would wait for a connection as long again, and fail the same way.
            throw new StartRefusedException("cannot reach the database to read its migrations: " + e.getMessage(), e);
        } catch (SQLException | IOException | NumberFormatException e) {
            // No history yet, a script not bundled, a version not ours: Flyway decides, and says why when it refuses.
            return false;
        }
    }

    /**
     * Flyway's checksum of a script: CRC-32 of its lines' UTF-8 bytes without their line endings, a
     * byte order mark dropped, as a signed int.
     */
    static int checksum(String script) throws IOException {
        InputStream in = MigrationHistory.class.getClassLoader().getResourceAsStream("db/migration/" + script);
        if (in == null) {
            throw new IOException("no bundled migration " + script);
        }
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            boolean first = true;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return (int) crc.getValue();
    }
}
