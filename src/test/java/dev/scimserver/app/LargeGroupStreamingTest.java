package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A group of 20,000 members read through GET /Groups/{id}, whose members are written from the
 * database rows as they arrive: the answer is complete, in order, projected like any other, and the
 * same JSON a write's answer renders in memory. The members are inserted with SQL, as a directory
 * sync would have left them, because 20,000 POSTs would only test patience.
 */
class LargeGroupStreamingTest {
    private static final int MEMBERS = 20_000;
    private static final RunningServer server = RunningServer.shared();
    private static final String TAG = "stream" + UUID.randomUUID().toString().substring(0, 8);
    private static String groupId;

    @BeforeAll
    static void bigGroup() throws SQLException {
        HttpResponse<String> group = server.send("POST", "/Groups", "{\"displayName\":\"" + TAG + "\"}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        groupId = json(group).path("id").asText();
        try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
            c.setAutoCommit(false);
            try (PreparedStatement people = c.prepareStatement("CREATE TEMP TABLE stream_people ON COMMIT DROP AS "
                    + "SELECT n, gen_random_uuid() AS id FROM generate_series(1, " + MEMBERS + ") n");
                 PreparedStatement users = c.prepareStatement("INSERT INTO users (id, created_at, updated_at) "
                         + "SELECT id, now(), now() FROM stream_people");
                 PreparedStatement members = c.prepareStatement("INSERT INTO workspace_members (workspace_id, user_id, "
                         + "user_name, role, status, created_at, last_modified) SELECT w.id, p.id, ? || lpad(p.n::text, 5, "
                         + "'0'), 'end-user', 'active', now() + p.n * interval '1 microsecond', now() "
                         + "FROM stream_people p, workspaces w WHERE w.is_default");
                 PreparedStatement join = c.prepareStatement("INSERT INTO group_members (group_id, workspace_id, "
                         + "user_id) SELECT ?, w.id, p.id FROM stream_people p, workspaces w WHERE w.is_default")) {
                people.execute();
                users.execute();
                members.setString(1, TAG + "-");
                members.execute();
                join.setObject(1, UUID.fromString(groupId));
                join.execute();
            }
            c.commit();
        }
    }

    @Test
    void everyMemberArrivesInOrder() {
        HttpResponse<String> response = server.send("GET", "/Groups/" + groupId, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/scim+json"));
        assertThat(response.headers().firstValue("ETag")).isPresent();
        JsonNode group = json(response);
        assertThat(group.path("displayName").asText()).isEqualTo(TAG);
        assertThat(group.path("meta").path("resourceType").asText()).isEqualTo("Group");
        JsonNode members = group.path("members");
        assertThat(members).hasSize(MEMBERS);
        Set<String> ids = new HashSet<>();
        members.forEach(m -> ids.add(m.path("value").asText()));
        assertThat(ids).hasSize(MEMBERS);
        assertThat(members.get(0).path("display").asText()).isEqualTo(TAG + "-00001");
        assertThat(members.get(MEMBERS - 1).path("display").asText()).isEqualTo(TAG + "-20000");
        assertThat(members.get(0).path("$ref").asText()).isEqualTo(server.baseUrl() + "/Users/"
                + members.get(0).path("value").asText());
        assertThat(members.get(0).path("type").asText()).isEqualTo("User");
    }

    @Test
    void projectionAppliesToStreamedMembers() {
        JsonNode valuesOnly = json(server.send("GET", "/Groups/" + groupId + "?attributes=members.value", null));
        assertThat(valuesOnly.path("members")).hasSize(MEMBERS);
        assertThat(valuesOnly.path("members").get(0).size()).isEqualTo(1);
        assertThat(valuesOnly.has("displayName")).isFalse();
        JsonNode without = json(server.send("GET", "/Groups/" + groupId + "?excludedAttributes=members", null));
        assertThat(without.has("members")).isFalse();
        assertThat(without.path("displayName").asText()).isEqualTo(TAG);
    }

    /** A write's answer is rendered in memory; a GET and a list stream the same group as the same JSON. */
    @Test
    void streamedJsonEqualsTheRenderedJson() {
        HttpResponse<String> user = server.send("POST", "/Users", "{\"userName\":\"" + TAG + "-small-member\"}");
        String member = json(user).path("id").asText();
        HttpResponse<String> small = server.send("POST", "/Groups", "{\"displayName\":\"" + TAG + "-small\","
                + "\"members\":[{\"value\":\"" + member + "\"}]}");
        assertThat(small.statusCode()).as(small.body()).isEqualTo(201);
        JsonNode rendered = json(small);
        String id = rendered.path("id").asText();
        assertThat(rendered.path("members")).hasSize(1);
        JsonNode streamed = json(server.send("GET", "/Groups/" + id, null));
        assertThat(streamed).isEqualTo(rendered);
        JsonNode listed = json(server.send("GET", "/Groups?filter=id%20eq%20%22" + id + "%22", null))
                .path("Resources").get(0);
        assertThat(listed).isEqualTo(rendered);
        HttpResponse<String> again = server.send("GET", "/Groups/" + id, null, java.util.Map.of(
                "Authorization", server.bearerAuthorization(), "If-None-Match", streamed.path("meta").path("version").asText()));
        assertThat(again.statusCode()).isEqualTo(304);
    }
}
