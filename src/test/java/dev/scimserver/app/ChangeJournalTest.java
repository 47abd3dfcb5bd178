package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every change leaves exactly one journal row in its own transaction; refused requests leave none. */
class ChangeJournalTest {
    private static final String PATCH = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[%s]}";
    private final RunningServer server = RunningServer.shared();

    record Entry(String operation, String credential, String requestId, String request, List<String> changed,
                 List<String> members) {
    }

    private List<Entry> journal(String resourceId) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl());
             PreparedStatement s = c.prepareStatement("SELECT operation, credential, request_id, request, "
                     + "changed_attributes, member_ids FROM change_journal WHERE resource_id = ?::uuid ORDER BY id")) {
            s.setString(1, resourceId);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            strings(rs.getArray(5)), strings(rs.getArray(6))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    @Test
    void aUsersLifeIsJournaledWithWhoAndWhichRequest() {
        String userName = "journal-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userName
                + "\",\"password\":\"Sup3r-secret-pw\",\"title\":\"Clerk\"}");
        String id = json(created).path("id").asText();
        String requestId = created.headers().firstValue("X-Request-Id").orElseThrow();
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"title\",\"value\":\"Boss\"}"));
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"active\",\"value\":false}"));
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}"));
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"password\",\"value\":\"An0ther-secret\"}"));
        server.send("DELETE", "/Users/" + id, null);

        List<Entry> entries = journal(id);
        assertThat(entries).extracting(Entry::operation)
                .containsExactly("create", "update", "archive", "restore", "password", "delete");
        Entry create = entries.get(0);
        assertThat(create.credential()).isEqualTo("token");
        assertThat(create.requestId()).isEqualTo(requestId);
        assertThat(create.request()).isEqualTo("POST /api/scim/v2/Users");
        assertThat(create.changed()).contains("userName", "title", "active", "role").doesNotContain("password");
        assertThat(entries.get(1).changed()).containsExactly("title");
        assertThat(entries.get(2).changed()).containsExactly("active");
        assertThat(entries.get(4).changed()).containsExactly("password");
        assertThat(entries.toString()).doesNotContain("secret");
    }

    @Test
    void refusedAndUnchangingRequestsLeaveNoRow() {
        JsonNode user = json(server.send("POST", "/Users", "{\"userName\":\"journal-" + UUID.randomUUID() + "\"}"));
        String id = user.path("id").asText();
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}"));
        server.send("PATCH", "/Users/" + id, PATCH.formatted("{\"op\":\"replace\",\"path\":\"active\",\"value\":true}"));
        server.send("PUT", "/Users/" + id, "{\"userName\":\"" + user.path("userName").asText() + "\"}",
                java.util.Map.of("Authorization", server.bearerAuthorization(), "If-Match", "W/\"999\""));
        assertThat(journal(id)).extracting(Entry::operation).containsExactly("create");
    }

    @Test
    void membershipChangesAreOneRowPerStatementWithTheIds() {
        String a = json(server.send("POST", "/Users", "{\"userName\":\"journal-a-" + UUID.randomUUID() + "\"}")).path("id").asText();
        String b = json(server.send("POST", "/Users", "{\"userName\":\"journal-b-" + UUID.randomUUID() + "\"}")).path("id").asText();
        String group = json(server.send("POST", "/Groups", "{\"displayName\":\"journal-" + UUID.randomUUID() + "\"}"))
                .path("id").asText();
        server.send("PATCH", "/Groups/" + group, PATCH.formatted(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + a + "\"},{\"value\":\"" + b + "\"}]}"));
        server.send("PATCH", "/Groups/" + group, PATCH.formatted(
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + a + "\\\"]\"}"));
        server.send("DELETE", "/Groups/" + group, null);
        List<Entry> entries = journal(group);
        assertThat(entries).extracting(Entry::operation)
                .containsExactly("create", "member_add", "member_remove", "delete");
        assertThat(entries.get(1).members()).containsExactlyInAnyOrder(a, b);
        assertThat(entries.get(2).members()).containsExactly(a);
    }
}
