package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7644 §3.14: versions, ETag, If-Match (412) and If-None-Match (304 on a read, 412 on a write). */
class ConditionalRequestsContractTest {
    private final RunningServer server = RunningServer.shared();

    private Map<String, String> with(String header, String value) {
        return Map.of("Authorization", server.bearerAuthorization(), header, value);
    }

    /** A PATCH request of one replace operation; {@code value} is JSON. */
    private static String replace(String path, String value) {
        return ScimValues.ops("{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":" + value + "}");
    }

    private JsonNode newUser() {
        return json(server.send("POST", "/Users", "{\"userName\":\"etag-" + UUID.randomUUID() + "\"}"));
    }

    @Test
    void everyChangeBumpsTheVersionAndTheEtagFollowsIt() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String v1 = user.path("meta").path("version").asText();
        HttpResponse<String> patched = server.send("PATCH", "/Users/" + id, replace("title", "\"Chief\""));
        String v2 = json(patched).path("meta").path("version").asText();
        assertThat(v2).isNotEqualTo(v1);
        assertThat(patched.headers().firstValue("ETag")).hasValue(v2);
        assertThat(server.send("GET", "/Users/" + id, null).headers().firstValue("ETag")).hasValue(v2);
    }

    @Test
    void aPatchThatChangesNothingKeepsVersionAndLastModified() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String body = replace("active", "true");
        JsonNode after = json(server.send("PATCH", "/Users/" + id, body));
        assertThat(after.path("meta").path("version").asText()).isEqualTo(user.path("meta").path("version").asText());
        assertThat(after.path("meta").path("lastModified").asText())
                .isEqualTo(user.path("meta").path("lastModified").asText());
    }

    @Test
    void ifMatchWithAStaleVersionIs412AndChangesNothing() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String v1 = user.path("meta").path("version").asText();
        String patch = replace("title", "\"%s\"");
        assertThat(server.send("PATCH", "/Users/" + id, patch.formatted("First"), with("If-Match", v1)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> stale = server.send("PATCH", "/Users/" + id, patch.formatted("Second"), with("If-Match", v1));
        assertScimError(stale, 412, null);
        assertThat(json(server.send("GET", "/Users/" + id, null)).path("title").asText()).isEqualTo("First");
        assertScimError(server.send("DELETE", "/Users/" + id, null, with("If-Match", v1)), 412, null);
        assertScimError(server.send("PUT", "/Users/" + id, "{\"userName\":\"x-" + UUID.randomUUID() + "\"}",
                with("If-Match", "\"not-a-version\"")), 412, null);
    }

    @Test
    void ifMatchStarAndTheCurrentVersionPass() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String userName = user.path("userName").asText();
        HttpResponse<String> put = server.send("PUT", "/Users/" + id, "{\"userName\":\"" + userName + "\",\"title\":\"T\"}",
                with("If-Match", "*"));
        assertThat(put.statusCode()).isEqualTo(200);
        String current = json(put).path("meta").path("version").asText();
        assertThat(server.send("DELETE", "/Users/" + id, null, with("If-Match", current)).statusCode()).isEqualTo(204);
    }

    @Test
    void ifNoneMatchWithTheCurrentVersionIs304() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String version = user.path("meta").path("version").asText();
        HttpResponse<String> notModified = server.send("GET", "/Users/" + id, null, with("If-None-Match", version));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        // No content, so no type of it: not the framework's default text/plain.
        assertThat(notModified.headers().firstValue("Content-Type")).isEmpty();
        assertThat(server.send("GET", "/Users/" + id, null, with("If-None-Match", "W/\"999999\"")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void ifNoneMatchOnAWriteIs412WhenItMatchesAndIfMatchOnAReadIs412WhenItDoesNot() {
        JsonNode user = newUser();
        String id = user.path("id").asText();
        String version = user.path("meta").path("version").asText();
        String patch = replace("title", "\"Changed\"");
        // RFC 9110 §13.1.2: on a write, If-None-Match naming the current version, or *, fails.
        assertScimError(server.send("PATCH", "/Users/" + id, patch, with("If-None-Match", version)), 412, null);
        assertScimError(server.send("PUT", "/Users/" + id, "{\"userName\":\"" + user.path("userName").asText()
                + "\",\"title\":\"Changed\"}", with("If-None-Match", "*")), 412, null);
        assertScimError(server.send("DELETE", "/Users/" + id, null, with("If-None-Match", "*")), 412, null);
        assertThat(json(server.send("GET", "/Users/" + id, null)).has("title")).as("nothing changed").isFalse();
        assertThat(server.send("PATCH", "/Users/" + id, patch, with("If-None-Match", "W/\"999999\"")).statusCode())
                .isEqualTo(200);
        // RFC 9110 §13.1.1: on a read, If-Match naming another version fails.
        assertScimError(server.send("GET", "/Users/" + id, null, with("If-Match", version)), 412, null);
        assertThat(server.send("GET", "/Users/" + id, null, with("If-Match", "*")).statusCode()).isEqualTo(200);
        String group = json(server.send("POST", "/Groups", "{\"displayName\":\"etag-" + UUID.randomUUID() + "\"}"))
                .path("id").asText();
        assertScimError(server.send("GET", "/Groups/" + group, null, with("If-Match", "W/\"999999\"")), 412, null);
        assertScimError(server.send("DELETE", "/Groups/" + group, null, with("If-None-Match", "*")), 412, null);
    }

    @Test
    void aMemberWhoComesBackContinuesAfterTheVersionsOfItsFirstMembership() {
        String userName = "etag-back-" + UUID.randomUUID() + "@example.com";
        String body = "{\"userName\":\"" + userName + "\",\"emails\":[{\"value\":\"" + userName + "\"}]";
        JsonNode first = json(server.send("POST", "/Users", body + ",\"title\":\"Old\"}"));
        String id = first.path("id").asText();
        String patched = json(server.send("PATCH", "/Users/" + id, replace("title", "\"Older\"")))
                .path("meta").path("version").asText();
HttpResponse<String> deleted = server.send("DELETE", "/Users/" + id, null);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.headers().firstValue("Content-Type")).isEmpty();

        HttpResponse<String> back = server.send("POST", "/Users", body + "}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
        assertThat(json(back).path("id").asText()).as("the same person").isEqualTo(id);
        String version = json(back).path("meta").path("version").asText();
        assertThat(version).isNotIn(first.path("meta").path("version").asText(), patched);
        assertThat(server.send("GET", "/Users/" + id, null).headers().firstValue("ETag")).hasValue(version);
        for (String old : List.of(first.path("meta").path("version").asText(), patched)) {
            assertThat(server.send("GET", "/Users/" + id, null, with("If-None-Match", old)).statusCode()).as(old)
                    .isEqualTo(200);
            assertScimError(server.send("DELETE", "/Users/" + id, null, with("If-Match", old)), 412, null);
        }
    }

    @Test
    void aGroupReplacedAsItIsKeepsItsVersionAndAChangedMembershipMovesIt() {
        String member = newUser().path("id").asText();
        String other = newUser().path("id").asText();
        String name = "etag-push-" + UUID.randomUUID();
        String put = "{\"displayName\":\"" + name + "\",\"members\":[{\"value\":\"%s\"}]}";
        JsonNode group = json(server.send("POST", "/Groups", put.formatted(member)));
        String id = group.path("id").asText();
        String v1 = group.path("meta").path("version").asText();
        for (int push = 0; push < 2; push++) {
            JsonNode again = json(server.send("PUT", "/Groups/" + id, put.formatted(member)));
            assertThat(again.path("meta").path("version").asText()).as("Okta's group push, repeated").isEqualTo(v1);
        }
        String members = replace("members", "[{\"value\":\"%s\"}]");
        assertThat(server.send("PATCH", "/Groups/" + id, members.formatted(member)).headers().firstValue("ETag"))
                .hasValue(v1);
        HttpResponse<String> swapped = server.send("PATCH", "/Groups/" + id, members.formatted(other));
        assertThat(swapped.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(v1));
        assertThat(ScimValues.memberIds(json(server.send("GET", "/Groups/" + id, null)))).containsExactly(other);
        String underUrn = ScimValues.ops("{\"op\":\"replace\",\"value\":{\"urn:ietf:params:scim:schemas:core:2.0:Group\":"
                + "{\"displayName\":\"" + name + "-urn\",\"members\":[{\"value\":\"" + member + "\"}]}}}");
        assertThat(server.send("PATCH", "/Groups/" + id, underUrn).statusCode()).isEqualTo(204);
        JsonNode read = json(server.send("GET", "/Groups/" + id, null));
        assertThat(read.path("displayName").asText()).as("core attributes under the core schema's URN")
                .isEqualTo(name + "-urn");
        assertThat(ScimValues.memberIds(read)).containsExactly(member);
        JsonNode emptied = json(server.send("PUT", "/Groups/" + id, "{\"displayName\":\"" + name + "\"}"));
        assertThat(emptied.path("members").isMissingNode() || emptied.path("members").isEmpty()).isTrue();
    }

    @Test
    void aGroupWhoseMemberIsDeletedHasANewVersion() {
        String member = newUser().path("id").asText();
        JsonNode group = json(server.send("POST", "/Groups", "{\"displayName\":\"etag-left-" + UUID.randomUUID()
                + "\",\"members\":[{\"value\":\"" + member + "\"}]}"));
        String id = group.path("id").asText();
        String v1 = group.path("meta").path("version").asText();
        assertThat(server.send("DELETE", "/Users/" + member, null).statusCode()).isEqualTo(204);
        HttpResponse<String> read = server.send("GET", "/Groups/" + id, null, with("If-None-Match", v1));
        assertThat(read.statusCode()).as("its members changed: not 304").isEqualTo(200);
        assertThat(json(read).path("meta").path("version").asText()).isNotEqualTo(v1);
        assertThat(ScimValues.memberIds(json(read))).isEmpty();
    }

    @Test
    void groupsHaveVersionsToo() {
        JsonNode group = json(server.send("POST", "/Groups", "{\"displayName\":\"etag-" + UUID.randomUUID() + "\"}"));
        String id = group.path("id").asText();
        String v1 = group.path("meta").path("version").asText();
        String rename = replace("displayName", "\"etag-" + UUID.randomUUID() + "\"");
        HttpResponse<String> renamed = server.send("PATCH", "/Groups/" + id, rename, with("If-Match", v1));
        assertThat(renamed.statusCode()).isEqualTo(204);
        assertThat(renamed.headers().firstValue("Content-Type")).isEmpty();
        assertThat(renamed.headers().firstValue("ETag")).isPresent().isNotEqualTo(java.util.Optional.of(v1));
        HttpResponse<String> groupNotModified = server.send("GET", "/Groups/" + id, null, with("If-None-Match",
                renamed.headers().firstValue("ETag").orElseThrow()));
        assertThat(groupNotModified.statusCode()).isEqualTo(304);
        assertThat(groupNotModified.headers().firstValue("Content-Type")).isEmpty();
        assertScimError(server.send("PATCH", "/Groups/" + id, rename, with("If-Match", v1)), 412, null);
    }
}
