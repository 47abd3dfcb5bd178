package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static dev.scimserver.app.ScimValues.memberIds;
import static dev.scimserver.app.ScimValues.ops;
import static dev.scimserver.app.ScimValues.suffix;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PATCH values shaped in ways no IdP sends but a client can, each answered as the same change named
 * by a path is (RFC 7644 §3.5.2: an operation not compatible with an attribute's schema gets the
 * appropriate error), never stored where the attribute does not live.
 */
class PatchShapesContractTest {
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private final RunningServer server = RunningServer.shared();

    private JsonNode create(String endpoint, String body) {
        HttpResponse<String> created = server.send("POST", endpoint, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    /**
     * A path-less value's key that names a part of the members ({@code members.value}) or selects
     * them by a filter was stored in the group's own attributes, as no member, with a new version.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"members.value\":\"%s\"", "\"members[value eq \\\"%s\\\"]\":{\"value\":\"%<s\"}",
            "\"" + GROUP + ":members.value\":\"%s\"", "\"" + GROUP + "\":{\"members.value\":\"%s\"}",
            "\"MEMBERS.VALUE\":\"%s\""})
    void aPathlessKeyNamingPartOfTheMembersIsRefusedAsItsPathIs(String key) {
        String user = create("/Users", "{\"userName\":\"shape-" + suffix() + "@example.com\"}").path("id").asText();
        JsonNode group = create("/Groups", "{\"displayName\":\"shape-" + suffix() + "\"}");
        String id = group.path("id").asText();

        HttpResponse<String> patched = server.send("PATCH", "/Groups/" + id,
                ops("{\"op\":\"add\",\"value\":{" + key.formatted(user) + "}}"));

        assertScimError(patched, 400, "invalidPath");
        JsonNode after = json(server.send("GET", "/Groups/" + id, null));
        assertThat(memberIds(after)).isEmpty();
        assertThat(after.path("meta").path("version").asText()).isEqualTo(group.path("meta").path("version").asText());
    }

    @Test
    void aPathlessKeyNamingTheMembersWholeStillAddsThem() {
        String user = create("/Users", "{\"userName\":\"shape-" + suffix() + "@example.com\"}").path("id").asText();
        String id = create("/Groups", "{\"displayName\":\"shape-" + suffix() + "\"}").path("id").asText();

        HttpResponse<String> patched = server.send("PATCH", "/Groups/" + id,
                ops("{\"op\":\"add\",\"value\":{\"" + GROUP + ":Members\":[{\"value\":\"" + user + "\"}]}}"));

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
        assertThat(memberIds(json(server.send("GET", "/Groups/" + id, null)))).containsExactly(user);
    }

    /**
     * A value made from an {@code eq} filter that matched nothing (Entra's way to set a work email) keeps
     * the rules every other value keeps: one with no "value" is no value (RFC 7644 §3.5.2.3: a filter
     * with no match is noTarget), and one that names a value already there, in another case, is that
     * value (RFC 7643 §2.4: no two of one value and type), as an add of it would be.
     */
    @Test
    void aValueMadeFromAFilterKeepsTheRulesOfEveryOtherValue() {
        String email = "shape-" + suffix() + "@example.com";
        JsonNode user = create("/Users", "{\"userName\":\"" + email + "\",\"emails\":[{\"value\":\"" + email
                + "\",\"type\":\"work\",\"primary\":true}]}");
        String id = user.path("id").asText();
        String version = user.path("meta").path("version").asText();

        assertScimError(server.send("PATCH", "/Users/" + id, ops("{\"op\":\"add\","
                + "\"path\":\"emails[type eq \\\"home\\\"].primary\",\"value\":true}")), 400, "noTarget");
        assertThat(json(server.send("GET", "/Users/" + id, null)).path("meta").path("version").asText())
                .isEqualTo(version);
        HttpResponse<String> same = server.send("PATCH", "/Users/" + id, ops("{\"op\":\"replace\","
                + "\"path\":\"emails[value eq \\\"nobody@example.com\\\"]\",\"value\":{\"value\":\"" + email.toUpperCase()
                + "\",\"type\":\"work\"}}"));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        JsonNode after = json(server.send("GET", "/Users/" + id, null));
        assertThat(after.path("emails")).hasSize(1);
        assertThat(after.path("emails").get(0).path("value").asText()).isEqualTo(email.toUpperCase());
        assertThat(after.path("emails").get(0).path("primary").asBoolean()).isTrue();

        // A value made in two steps of one PATCH, its primary flag first, is complete at the end and takes primary.
        HttpResponse<String> twoSteps = server.send("PATCH", "/Users/" + id, ops("{\"op\":\"add\","
                + "\"path\":\"emails[type eq \\\"other\\\"].primary\",\"value\":true},{\"op\":\"add\","
                + "\"path\":\"emails[type eq \\\"other\\\"].value\",\"value\":\"other-" + email + "\"}"));
        assertThat(twoSteps.statusCode()).as(twoSteps.body()).isEqualTo(200);
        JsonNode emails = json(twoSteps).path("emails");
        assertThat(emails).hasSize(2);
        for (JsonNode value : emails) {
            assertThat(value.path("primary").asBoolean()).as(value.toString())
                    .isEqualTo(value.path("type").asText().equals("other"));
        }

        // Entra's own shape still makes the value it names.
        HttpResponse<String> home = server.send("PATCH", "/Users/" + id, ops("{\"op\":\"add\","
                + "\"path\":\"emails[type eq \\\"home\\\"].value\",\"value\":\"home-" + email + "\"}"));
        assertThat(home.statusCode()).as(home.body()).isEqualTo(200);
        assertThat(json(home).path("emails")).hasSize(3);
    }

    /** A manager is its id: a $ref set alone on a user with no manager makes none (as a replace that unsets the id). */
    @Test
    void aManagersReferenceAloneMakesNoManager() {
        String id = create("/Users", "{\"userName\":\"shape-" + suffix() + "@example.com\"}").path("id").asText();
        HttpResponse<String> patched = server.send("PATCH", "/Users/" + id, ops("{\"op\":\"add\",\"path\":"
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.$ref\","
                + "\"value\":\"https://example.com/Users/x\"}"));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(server.send("GET", "/Users/" + id, null))
                .has("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")).isFalse();
    }
}
