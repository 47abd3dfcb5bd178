package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workspace of its own on the administration server, made through the admin API, with an API token
 * its SCIM requests use: what the tests of roles from groups act on, as an IdP and its administrator.
 */
final class RoleWorkspace {
    static final String TOOLJET = "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0";

    final AdminServer admin = AdminServer.shared();
    final String slug;
    final UUID id;
    private final String token;

    RoleWorkspace() {
        slug = "roles-" + UUID.randomUUID().toString().substring(0, 12);
        JsonNode created = AdminServer.json(admin.send("POST", "/workspaces",
                "{\"slug\":\"" + slug + "\",\"name\":\"Roles\"}"));
        id = UUID.fromString(created.path("id").asText());
        token = AdminServer.json(admin.send("POST", "/workspaces/" + slug + "/credentials", "{\"name\":\"idp\"}"))
                .path("token").asText();
    }

    /** A SCIM request with the workspace's token; {@code path} is relative to {@code /api/scim/v2}. */
    Exchange scim(String method, String path, String body) {
        return Exchange.send(method, admin.url() + "/api/scim/v2" + path, body,
                Map.of("Authorization", "Bearer " + token));
    }

    HttpResponse<String> adminPut(String what, String body) {
        return admin.send("PUT", "/workspaces/" + slug + "/" + what, body);
    }

    void source(String source) {
        HttpResponse<String> answer = adminPut("settings", "{\"roleSource\":\"" + source + "\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    void mappings(String json) {
        HttpResponse<String> answer = adminPut("role-mappings", json);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** A new user; {@code role} null sends no extension. */
    String user(String name, String role) {
        String extension = role == null ? "" : ",\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\",\""
                + TOOLJET + "\"],\"" + TOOLJET + "\":{\"role\":\"" + role + "\"}";
        return scim("POST", "/Users", "{\"userName\":\"" + name + "." + ScimValues.suffix() + "@example.com\""
                + extension + "}").expect(201).path("id").asText();
    }

    String group(String name, String... members) {
        return scim("POST", "/Groups", "{\"displayName\":\"" + name + "\",\"members\":" + members(members) + "}")
                .expect(201).path("id").asText();
    }

    static String members(String... ids) {
        List<String> values = new ArrayList<>();
        for (String id : ids) {
            values.add("{\"value\":\"" + id + "\"}");
        }
        return "[" + String.join(",", values) + "]";
    }

    Exchange patchGroup(String groupId, String op, String path, String value) {
        return scim("PATCH", "/Groups/" + groupId, ScimValues.ops("{\"op\":\"" + op + "\""
                + (path == null ? "" : ",\"path\":\"" + path + "\"") + (value == null ? "" : ",\"value\":" + value)
                + "}"));
    }

    Exchange patchRole(String userId, String role) {
        return scim("PATCH", "/Users/" + userId, ScimValues.ops("{\"op\":\"replace\",\"path\":\"" + TOOLJET
                + ":role\",\"value\":\"" + role + "\"}"));
    }

    /** The role a read of the user shows. */
    String role(String userId) {
        return scim("GET", "/Users/" + userId, null).expect(200).path(TOOLJET).path("role").asText();
    }

    List<String> groupMembers(String groupId) {
        return ScimValues.memberIds(scim("GET", "/Groups/" + groupId, null).expect(200));
    }

    /** The journal's rows of the user that name 'role', as "operation cause credential", oldest first. */
    List<String> roleJournal(String userId) {
        return query("SELECT operation || ' ' || coalesce(cause, '-') || ' ' || coalesce(credential, '-') "
                + "FROM change_journal WHERE resource_id = ? AND 'role' = ANY(changed_attributes) ORDER BY id", userId);
    }

    List<String> query(String sql, Object... arguments) {
        try (Connection connection = WorkspaceFixtures.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                Object argument = arguments[i];
                statement.setObject(i + 1, argument instanceof String text && text.length() == 36
                        ? UUID.fromString(text) : argument);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
