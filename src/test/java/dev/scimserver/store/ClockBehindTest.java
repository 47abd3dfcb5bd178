package dev.scimserver.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimserver.app.RunningServer;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.GroupService;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.NewPassword;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.PatchOperation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two server processes on one database whose clocks differ (or one clock stepped back by NTP): a
 * resource changed by the process that is behind must not show a lastModified before the one it had,
 * nor before its created. An application that reads changes by {@code meta.lastModified gt} a
 * watermark would otherwise never see the change.
 */
class ClockBehindTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock BEHIND = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2));
    private static Database database;
    private static PostgresDirectoryStore store;
    private static Actor actor;

    @BeforeAll
    static void store() {
        database = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 2);
        store = new PostgresDirectoryStore(database.dataSource());
        actor = new Actor(store.defaultWorkspaceId(), "test", null, null);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void aUserChangedByAProcessWhoseClockIsBehindKeepsItsLastModified() throws Exception {
        UserService ahead = new UserService(store, Clock.systemUTC());
        UserService behind = new UserService(store, BEHIND);
        Member created = ahead.create(actor, JSON.readTree("{\"userName\":\"clock-" + UUID.randomUUID() + "\"}"))
                .member();

        Member patched = behind.patch(actor, created.userId().toString(), PatchOperation.parseRequest(JSON.readTree(
                        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":"
                                + "\"replace\",\"path\":\"displayName\",\"value\":\"Behind\"}]}")),
                Precondition.NONE, NewPassword.NONE).member();

        assertThat(patched.version()).isEqualTo(created.version() + 1);
        assertThat(patched.lastModified()).isAfter(created.lastModified());
        Instant stored = ahead.get(actor, created.userId().toString()).member().lastModified();
        assertThat(stored).isEqualTo(patched.lastModified());
        ahead.delete(actor, created.userId().toString(), Precondition.NONE);
    }

    @Test
    void aGroupChangedByAProcessWhoseClockIsBehindKeepsItsLastModified() throws Exception {
        GroupService ahead = new GroupService(store, Clock.systemUTC());
        GroupService behind = new GroupService(store, BEHIND);
        GroupService.GroupView created = ahead.create(actor, JSON.readTree("{\"displayName\":\"clock-"
                + UUID.randomUUID() + "\"}"), false);
        String id = created.group().id().toString();

        GroupService.GroupView renamed = behind.replace(actor, id, JSON.readTree("{\"displayName\":\"clock-"
                + UUID.randomUUID() + "\"}"), Precondition.NONE, false);

        assertThat(renamed.group().version()).isEqualTo(created.group().version() + 1);
        assertThat(renamed.group().lastModified()).isAfter(created.group().lastModified());
        ahead.delete(actor, id, Precondition.NONE);
    }
}
