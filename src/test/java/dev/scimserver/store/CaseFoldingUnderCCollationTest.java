package dev.scimserver.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimserver.app.RunningServer;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.FilterParser;
import dev.scimserver.scim.ScimException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An external PostgreSQL whose database was made with the C locale: its lower() folds only ASCII
 * letters, so an index on lower(userName) let "ÉVA@x.com" and "éva@x.com" be two users. The
 * migrations must make case-insensitive uniqueness and comparison fold every letter there too.
 */
class CaseFoldingUnderCCollationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String database;
    private static String adminUrl;
    private static Database db;
    private static Actor actor;
    private static UserService users;
    private static GroupService groups;

    @BeforeAll
    static void aDatabaseInTheCLocale() throws SQLException {
        URI shared = URI.create(RunningServer.shared().jdbcUrl().substring("jdbc:".length()));
        adminUrl = "jdbc:postgresql://" + shared.getHost() + ":" + shared.getPort() + "/";
        database = "c_locale_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(adminUrl + "postgres", "postgres",
                RunningServer.shared().databasePassword());
             Statement sql = admin.createStatement()) {
            // The embedded cluster's own provider is builtin C.UTF-8, which folds; libc's C does not.
            sql.execute("CREATE DATABASE " + database + " LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C' "
                    + "TEMPLATE template0");
        }
        db = Database.external(adminUrl + database, "postgres", RunningServer.shared().databasePassword(), 2);
        PostgresDirectoryStore store = new PostgresDirectoryStore(db.dataSource());
        actor = new Actor(store.defaultWorkspaceId(), "test", null, null);
        users = new UserService(store, Clock.systemUTC());
        groups = new GroupService(store, Clock.systemUTC());
    }

    @AfterAll
    static void dropIt() throws SQLException {
        db.close();
        try (Connection admin = DriverManager.getConnection(adminUrl + "postgres", "postgres",
                RunningServer.shared().databasePassword());
             Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE " + database);
        }
    }

    @Test
    void theDatabasesOwnLowerFoldsOnlyAscii() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("SELECT lower('ÉVA'), datctype FROM pg_database "
                     + "WHERE datname = current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the premise: lower() under LC_CTYPE C").isEqualTo("Éva");
            assertThat(rs.getString(2)).isEqualTo("C");
        }
    }

    @Test
    void userNamesThatDifferOnlyInTheCaseOfANonAsciiLetterConflict() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        users.create(actor, JSON.readTree("{\"userName\":\"ÉVA-" + run + "@x.com\"}"));
        assertThatThrownBy(() -> users.create(actor, JSON.readTree("{\"userName\":\"éva-" + run + "@x.com\"}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(users.search(actor, new SearchQuery(FilterParser.parse("userName eq \"éva-" + run + "@x.com\""), 1,
                10)).totalResults()).isEqualTo(1);
    }

    @Test
    void emailsThatDifferOnlyInTheCaseOfANonAsciiLetterAreOnePerson() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        users.create(actor, JSON.readTree("{\"userName\":\"first-" + run + "\",\"emails\":[{\"value\":\"ÖRN-" + run
                + "@x.com\",\"primary\":true}]}"));
        assertThatThrownBy(() -> users.create(actor, JSON.readTree("{\"userName\":\"second-" + run + "\",\"emails\":[{"
                + "\"value\":\"örn-" + run + "@x.com\",\"primary\":true}]}")))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(users.search(actor, new SearchQuery(FilterParser.parse("emails.value eq \"örn-" + run + "@x.com\""), 1,
                10)).totalResults()).isEqualTo(1);
    }

    @Test
    void groupNamesThatDifferOnlyInTheCaseOfANonAsciiLetterConflict() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        groups.create(actor, JSON.readTree("{\"displayName\":\"ÆGIR " + run + "\"}"), false);
        assertThatThrownBy(() -> groups.create(actor, JSON.readTree("{\"displayName\":\"ægir " + run + "\"}"), false))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
    }
}
