package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimserver.app.RunningServer;
import dev.scimserver.directory.Actor;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.NewPassword;
import dev.scimserver.directory.PasswordHasher;
import dev.scimserver.directory.Precondition;
import dev.scimserver.directory.UserService;
import dev.scimserver.scim.PatchOperation;
import dev.scimserver.scim.ScimException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One person (one email) can be a member of several workspaces, as in ToolJet. The credential of
 * one workspace must never change the name, email or password the person has in another: a
 * workspace's IdP or token is not the other tenant's administrator.
 */
class SharedPersonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Database database;
    private static PostgresDirectoryStore store;
    private static UserService users;
    private static Actor first;
    private static Actor second;

    @BeforeAll
    static void twoWorkspaces() throws SQLException {
        database = Database.external(RunningServer.shared().jdbcUrl(), "postgres",
                RunningServer.shared().databasePassword(), 2);
        store = new PostgresDirectoryStore(database.dataSource());
        users = new UserService(store, Clock.systemUTC());
        first = new Actor(store.defaultWorkspaceId(), "test", null, null);
        UUID other = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO workspaces (id, name, slug) VALUES (?, ?, ?)")) {
            insert.setObject(1, other);
            insert.setString(2, "Shared person");
            insert.setString(3, "shared-" + other.toString().substring(0, 8));
            insert.executeUpdate();
        }
        second = new Actor(other, "test", null, null);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Test
    void anotherWorkspaceNeverChangesTheNameOrPasswordOfAPersonItShares() throws Exception {
        String email = "shared-" + UUID.randomUUID() + "@example.com";
        UUID id = users.create(first, user("first", email, "Ada", "first-password")).member().userId();
        Person before = person(id);

        UUID joined = users.create(second, user("second", email, "Eve", "second-password")).member().userId();
        assertThat(joined).as("the same person joins the second workspace").isEqualTo(id);
        assertThat(person(id)).isEqualTo(before);

        users.patch(second, id.toString(), PatchOperation.parseRequest(JSON.readTree("{\"schemas\":[\""
                        + "urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                        + "\"value\":{\"password\":\"patched\",\"name\":{\"givenName\":\"Mallory\"}}}]}")),
                Precondition.NONE, NewPassword.NONE);
        assertThat(person(id)).isEqualTo(before);
        assertThat(users.get(second, id.toString()).member().attributes().path("name").path("givenName").asText())
                .as("the second workspace keeps its own copy").isEqualTo("Mallory");

        users.delete(first, id.toString(), Precondition.NONE);
        users.replace(second, id.toString(), user("second", email, "Eve", null), Precondition.NONE,
                users.passwordOf(user("second", email, "Eve", "now-mine")));
        assertThat(person(id).givenName()).as("a person no other workspace shares is the workspace's own")
                .isEqualTo("Eve");
        assertThat(person(id).passwordHash()).isNotEqualTo(before.passwordHash());
    }

    /**
     * An email changed while another workspace shared the person stays the member's own; once the
     * person is the workspace's alone, its next write makes it the address the person signs in with,
     * where it was kept as it was forever (a later create of that address then made a second person
     * whose email the first member shows, and the old address answered 409 with no user to find).
     */
    @Test
    void theSignInEmailFollowsTheMembersOnceNoOtherWorkspaceSharesThePerson() throws Exception {
        String email = "shared-" + UUID.randomUUID() + "@example.com";
        String moved = "moved-" + email;
        UUID id = users.create(first, user("first", email, "Ada", null)).member().userId();
        users.create(second, user("second", email, "Eve", null));
        users.replace(second, id.toString(), user("second", moved, "Eve", null), Precondition.NONE,
                NewPassword.NONE);
        assertThat(person(id).email()).as("shared: the person keeps its address").isEqualTo(email);

        users.delete(first, id.toString(), Precondition.NONE);
        users.replace(second, id.toString(), user("second", moved, "Evelyn", null), Precondition.NONE,
                NewPassword.NONE);
        assertThat(person(id).email()).as("the workspace's own: the person takes the member's address").isEqualTo(moved);
    }

    /**
     * A member whose new address another workspace's person holds keeps a person of its own with
     * another address; the member's address is taken in its workspace all the same. A create or an
     * update naming it there is 409, as it is for any member's address, and the answer no longer
     * depends on whether another workspace holds it.
     */
    @Test
    void anAddressAMemberShowsIsTakenInItsWorkspaceWhateverItsPersonHolds() throws Exception {
        String held = "held-" + UUID.randomUUID() + "@example.com";
        users.create(first, user("first", held, "Ada", null));
        UUID member = users.create(second, user("second", "own-" + held, "Eve", null)).member().userId();
        UUID other = users.create(second, user("other", "other-" + held, "Olga", null)).member().userId();
        users.replace(second, member.toString(), user("second", held, "Eve", null), Precondition.NONE,
                NewPassword.NONE);
        assertThat(person(member).email()).as("held elsewhere: the person keeps its own").isEqualTo("own-" + held);

        assertThatThrownBy(() -> users.create(second, user("third", held, "Mallory", null)))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThatThrownBy(() -> users.replace(second, other.toString(), user("other", held, "Olga", null),
                Precondition.NONE, NewPassword.NONE))
                .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(users.createAll(second, List.of(user("fourth", held, "Mia", null)),
                List.of(NewPassword.NONE))).as("a batch of creates falls back to one at a time").isEmpty();
    }

    /**
     * The address a member shows is taken even when no person holds it (a member's person with another
     * address, as an older version or another workspace's person that gave the address up leaves it):
     * its primary email, else its first with a value, else its userName when it has no email.
     */
    @Test
    void anAddressAMemberShowsIsTakenWhenNoPersonHoldsIt() throws Exception {
        String shown = "shown-" + UUID.randomUUID() + "@example.com";
        UUID member = users.create(second, user("shown", "own-" + shown, "Sid", null)).member().userId();
        String named = "named-" + UUID.randomUUID() + "@example.com";
        UUID byName = users.create(second, JSON.readTree("{\"userName\":\"" + named + "\"}")).member().userId();
        try (Connection c = database.dataSource().getConnection()) {
            try (PreparedStatement shows = c.prepareStatement("UPDATE workspace_members SET attributes = "
                    + "jsonb_set(attributes, '{emails}', jsonb_build_array(jsonb_build_object('type', 'work'), "
                    + "jsonb_build_object('value', CAST(? AS text)))) WHERE workspace_id = ? AND user_id = ?")) {
                shows.setString(1, shown);
                shows.setObject(2, second.workspaceId());
                shows.setObject(3, member);
                assertThat(shows.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement gaveUp = c.prepareStatement("UPDATE users SET email = NULL WHERE id = ?")) {
                gaveUp.setObject(1, byName);
                assertThat(gaveUp.executeUpdate()).isEqualTo(1);
            }
        }
        for (String address : List.of(shown, named.toUpperCase(java.util.Locale.ROOT))) {
            assertThatThrownBy(() -> users.create(second, user("taken", address, "Mallory", null))).as(address)
                    .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
            assertThat(users.createAll(second, List.of(user("batch", address, "Mia", null)),
                    List.of(NewPassword.NONE))).as(address).isEmpty();
        }
    }

    /**
     * A password sent alone for a person another workspace shares is not applied, so the member does not
     * change: its version and lastModified stay, as the journal, which has no row for it, says.
     */
    @Test
    void aPasswordAloneForASharedPersonChangesNothingOfTheMember() throws Exception {
        String email = "shared-" + UUID.randomUUID() + "@example.com";
        UUID id = users.create(first, user("first", email, "Ada", "first-password")).member().userId();
        users.create(second, user("second", email, "Eve", null));
        Member before = users.get(second, id.toString()).member();
        long rows = journalRows(second.workspaceId(), id, "%");

        List<PatchOperation> password = PatchOperation.parseRequest(JSON.readTree("{\"schemas\":[\""
                + "urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                + "\"path\":\"password\",\"value\":\"patched\"}]}"));
        Member after = users.patch(second, id.toString(), password, Precondition.NONE,
                users.passwordOf(second, id.toString(), password)).member();
        assertThat(after.version()).isEqualTo(before.version());
        assertThat(after.lastModified()).isEqualTo(before.lastModified());
        assertThat(users.get(second, id.toString()).member().version()).isEqualTo(before.version());
        assertThat(journalRows(second.workspaceId(), id, "%")).isEqualTo(rows);
    }

    /**
     * A password sent for a person another workspace shares is never compared with the person's: a
     * match would take one bcrypt and a mismatch two, and the write changes nothing either way, so the
     * time it took would tell one workspace whether a password is the one the other set.
     */
    @Test
    void aSharedPersonsPasswordIsNeverComparedWithOneSent() throws Exception {
        List<String> compared = new java.util.concurrent.CopyOnWriteArrayList<>();
        UserService observed = new UserService(store, Clock.systemUTC(), new PasswordHasher() {
            @Override
            public String hash(String password) {
                return PasswordHasher.bcrypt().hash(password);
            }

            @Override
            public boolean matches(String password, String hash) {
                compared.add(password);
                return PasswordHasher.bcrypt().matches(password, hash);
            }
        });
        List<PatchOperation> sameAsFirst = PatchOperation.parseRequest(JSON.readTree("{\"schemas\":[\""
                + "urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\","
                + "\"path\":\"password\",\"value\":\"first-password\"}]}"));
        String alone = "alone-" + UUID.randomUUID() + "@example.com";
        String soleId = observed.create(first, user("first", alone, "Ada", "first-password")).member().userId()
                .toString();
        observed.passwordOf(first, soleId, sameAsFirst);
        assertThat(compared).as("a person of one workspace: compared").containsExactly("first-password");

        compared.clear();
        String email = "shared-" + UUID.randomUUID() + "@example.com";
        String id = observed.create(first, user("first", email, "Ada", "first-password")).member().userId().toString();
        observed.create(second, user("second", email, "Eve", null));
        observed.passwordOf(second, id, sameAsFirst);
        observed.passwordOf(first, id, sameAsFirst);
        assertThat(compared).as("a shared person: from neither workspace").isEmpty();
    }

    @Test
    void aWorkspaceThatLosesTheRaceToTakeBackAPersonJoinsItAsItIs() throws Exception {
        // A person in no workspace is taken back, its name and password the ones sent, by the first
        // workspace to create it again. When two do so at once, the second waits on the person's row;
        // what it read before waiting says "in no workspace", and acting on it would overwrite what
        // the first workspace just set and journal a password change, with the second's credential and
        // request, into the first workspace's history and events.
        String email = "raced-" + UUID.randomUUID() + "@example.com";
        UUID id = users.create(first, user("gone", email, "Ada", "gone-password")).member().userId();
        users.delete(first, id.toString(), Precondition.NONE);
        long journaled = journalRows(first.workspaceId(), id, "password");
        try (Connection takeBack = DriverManager.getConnection(RunningServer.shared().jdbcUrl())) {
            takeBack.setAutoCommit(false);
            try (PreparedStatement update = takeBack.prepareStatement("UPDATE users SET given_name = 'Taken', "
                    + "password_hash = 'taken-hash' WHERE id = ?");
                 PreparedStatement join = takeBack.prepareStatement("INSERT INTO workspace_members (workspace_id, "
                         + "user_id, user_name, role, status, attributes, created_at, last_modified) "
                         + "VALUES (?, ?, ?, 'end-user', 'active', '{}', now(), now())")) {
                update.setObject(1, id);
                update.executeUpdate();
                join.setObject(1, first.workspaceId());
                join.setObject(2, id);
                join.setString(3, "taken-" + email);
                join.executeUpdate();
            }
            CompletableFuture<UUID> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return users.create(SharedPersonTest.second, user("second", email, "Eve", "second-password"))
                            .member().userId();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            awaitWaitingOnALock(second);
            takeBack.commit();
            assertThat(second.get(30, TimeUnit.SECONDS)).as("the second joins the same person").isEqualTo(id);
        }
        assertThat(person(id)).as("as the first workspace left it").isEqualTo(new Person("Taken", "taken-hash", email));
        assertThat(journalRows(first.workspaceId(), id, "password"))
                .as("password changes in the first workspace's journal").isEqualTo(journaled);
    }

    /** The journal rows of the person in {@code workspace} whose operation is like {@code operation}. */
    private static long journalRows(UUID workspace, UUID id, String operation) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement journal = c.prepareStatement("SELECT count(*) FROM change_journal "
                     + "WHERE workspace_id = ? AND resource_id = ? AND operation LIKE ?")) {
            journal.setObject(1, workspace);
            journal.setObject(2, id);
            journal.setString(3, operation);
            try (ResultSet rs = journal.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Waits until a statement waits on a lock to update a person, or {@code pending} ends. */
    private static void awaitWaitingOnALock(CompletableFuture<?> pending) throws Exception {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement waiting = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                     + "WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE users%'")) {
            for (int i = 0; i < 300 && !pending.isDone(); i++) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
        assertThat(pending).as("the second creation waits on the person's row").isNotDone();
    }

    private static JsonNode user(String userName, String email, String givenName, String password)
            throws Exception {
        return JSON.readTree("{\"userName\":\"" + userName + "-" + email + "\",\"name\":{\"givenName\":\"" + givenName
                + "\"},\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}]"
                + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}");
    }

    private record Person(String givenName, String passwordHash, String email) {
    }

    private static Person person(UUID id) throws SQLException {
        try (Connection c = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
             PreparedStatement select = c.prepareStatement("SELECT given_name, password_hash, email FROM users WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new Person(rs.getString(1), rs.getString(2), rs.getString(3));
            }
        }
    }
}
