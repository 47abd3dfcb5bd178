package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values that get past the parsers and used to reach PostgreSQL, which refused them with a 500: a
 * NUL written as the escape {@code \u0000} inside a filter, dates Java reads and PostgreSQL cannot
 * hold, and strings too long for a btree entry. Each is a 400 now, over real HTTP.
 */
class HostileValuesContractTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    /** The six characters backslash, u, 0, 0, 0, 0, as a filter carries them, escaped once more for JSON. */
    private static final String NUL_ESCAPE_IN_JSON = "\\\\u0000";
    private final RunningServer server = RunningServer.shared();

    private static String query(String filter) {
        return URLEncoder.encode(filter, StandardCharsets.UTF_8);
    }

    private String newUser() {
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"hostile-" + UUID.randomUUID()
                + "@example.com\",\"emails\":[{\"value\":\"h-" + UUID.randomUUID() + "@example.com\",\"type\":\"work\"}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private String newGroup() {
        HttpResponse<String> created = server.send("POST", "/Groups", "{\"displayName\":\"hostile-" + UUID.randomUUID()
                + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    private static void assertBadRequest(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertScimError(response, 400, json(response).path("scimType").asText(null));
    }

    @Test
    void aNulWrittenAsAnEscapeInAFilterIsInvalidFilter() {
        for (String endpoint : new String[] {"/Users", "/Groups"}) {
            assertScimError(server.send("GET", endpoint + "?filter=" + query("userName eq \"\\u0000\""), null), 400,
                    "invalidFilter");
            assertScimError(server.send("GET", endpoint + "?filter=" + query("externalId eq \"a\\u0000b\""), null),
                    400, "invalidFilter");
        }
        assertScimError(server.send("GET", "/Users?filter=" + query("emails[value eq \"\\u0000\"]"), null), 400,
                "invalidFilter");
        for (String endpoint : new String[] {"/Users/.search", "/Groups/.search", "/.search"}) {
            assertScimError(server.send("POST", endpoint, "{\"schemas\":[\"" + SEARCH + "\"],\"filter\":"
                    + "\"displayName eq \\\"" + NUL_ESCAPE_IN_JSON + "\\\"\"}"), 400, "invalidFilter");
        }
    }

    /** The driver would keep a lone surrogate as '?': two different names would be kept as one. */
    @Test
    void anUnpairedSurrogateIsRefusedInABodyAndInAFilter() {
        assertScimError(server.send("POST", "/Users", "{\"userName\":\"x\\ud800y-" + UUID.randomUUID()
                + "@example.com\"}"), 400, "invalidValue");
        assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"a\\udc00\"}"), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?filter=" + query("userName eq \"x\\ud800y\""), null), 400,
                "invalidFilter");
        HttpResponse<String> pair = server.send("POST", "/Users", "{\"userName\":\"pair-\\ud83d\\ude00-"
                + UUID.randomUUID() + "@example.com\"}");
        assertThat(pair.statusCode()).as("a surrogate pair is a character: " + pair.body()).isEqualTo(201);
        assertThat(json(pair).path("userName").asText()).contains("\ud83d\ude00");
    }

    @Test
    void aNulWrittenAsAnEscapeInAPatchValueFilterIsInvalidPath() {
        String user = newUser();
        assertScimError(server.send("PATCH", "/Users/" + user, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"emails[value eq \\\"" + NUL_ESCAPE_IN_JSON + "\\\"].primary\","
                + "\"value\":true}]}"), 400, "invalidPath");
        assertScimError(server.send("PATCH", "/Users/" + user, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"" + NUL_ESCAPE_IN_JSON + "\\\"].value\","
                + "\"value\":\"nul@example.com\"}]}"), 400, "invalidPath");
        assertScimError(server.send("PATCH", "/Groups/" + newGroup(), "{\"schemas\":[\"" + PATCH_OP + "\"],"
                + "\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + NUL_ESCAPE_IN_JSON
                + "\\\"]\"}]}"), 400, "invalidPath");

        HttpResponse<String> bulk = server.send("POST", "/Bulk", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:"
                + "2.0:BulkRequest\"],\"Operations\":[{\"method\":\"PATCH\",\"path\":\"/Users/" + user + "\",\"data\":"
                + "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq "
                + "\\\"" + NUL_ESCAPE_IN_JSON + "\\\"].value\",\"value\":\"nul@example.com\"}]}}]}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        JsonNode result = json(bulk).path("Operations").get(0);
        assertThat(result.path("status").asText()).as(bulk.body()).isEqualTo("400");
        assertThat(result.path("response").path("scimType").asText()).isEqualTo("invalidPath");
    }

    /** These never decoded an escape; they are here so that every way in is covered in one place. */
    @Test
    void aNulInSortByOrAttributesIsRefusedInTheQueryAndInASearchBody() {
        for (String parameter : new String[] {"sortBy", "attributes", "excludedAttributes"}) {
            assertScimError(server.send("GET", "/Users?" + parameter + "=user%00Name", null), 400, "invalidValue");
            assertScimError(server.send("POST", "/Users/.search", "{\"schemas\":[\"" + SEARCH + "\"],\"" + parameter
                    + "\":" + (parameter.equals("sortBy") ? "" : "[") + "\"user\\u0000Name\""
                    + (parameter.equals("sortBy") ? "" : "]") + "}"), 400, "invalidValue");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta.created gt \"2025-01-01T00:00:00+17:00\"",
            "meta.lastModified lt \"+300000-01-01T00:00:00Z\"",
            "meta.created ge \"-0001-01-01T00:00:00Z\"",
            "meta.lastModified le \"2025-01-01T00:00:00-16:00\""})
    void datesPostgresqlCannotHoldAreInvalidFilter(String filter) {
        for (String endpoint : new String[] {"/Users", "/Groups"}) {
            assertScimError(server.send("GET", endpoint + "?filter=" + query(filter), null), 400, "invalidFilter");
        }
        assertScimError(server.send("POST", "/.search", "{\"schemas\":[\"" + SEARCH + "\"],\"filter\":\""
                + filter.replace("\"", "\\\"") + "\"}"), 400, "invalidFilter");
    }

    @Test
    void datesAtTheEdgesOfTheAcceptedRangeAreAnswered() {
        for (String filter : new String[] {"meta.created gt \"0001-01-01T00:00:00+15:59\"",
                "meta.created lt \"9999-12-31T23:59:59.9999999-15:59\""}) {
            HttpResponse<String> response = server.send("GET", "/Users?count=1&filter=" + query(filter), null);
            assertThat(response.statusCode()).as(filter + ": " + response.body()).isEqualTo(200);
        }
    }

    /**
     * Random letters and digits: PostgreSQL compresses an index entry before measuring it, so a
     * repeated character would fit where text like this does not.
     */
    private static String incompressible(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** Random emoji, two UTF-16 units each. */
    private static String outsideTheBasicPlane(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(0x1F600 + random.nextInt(0x50));
        }
        return out.toString();
    }

    @Test
    void indexedUserAttributesLongerThanTheLimitAreInvalidValueNamingIt() {
        String huge = incompressible(3_000);
        String[] bodies = {
            "{\"userName\":\"" + huge + "\"}",
            "{\"userName\":\"long-" + UUID.randomUUID() + "\",\"displayName\":\"" + huge + "\"}",
            "{\"userName\":\"long-" + UUID.randomUUID() + "\",\"externalId\":\"" + huge + "\"}",
            "{\"userName\":\"long-" + UUID.randomUUID() + "\",\"emails\":[{\"value\":\"" + huge + "@example.com\"}]}",
            "{\"userName\":\"long-" + UUID.randomUUID() + "\",\"emails\":[{\"value\":\"a-" + UUID.randomUUID()
                    + "@example.com\",\"primary\":true},{\"value\":\"" + huge + "\"}]}",
        };
        for (String body : bodies) {
            HttpResponse<String> refused = server.send("POST", "/Users", body);
            assertScimError(refused, 400, "invalidValue");
            assertThat(json(refused).path("detail").asText()).contains("256").doesNotContain(huge.substring(0, 100));
        }
        String user = newUser();
        HttpResponse<String> patched = server.send("PATCH", "/Users/" + user, "{\"schemas\":[\"" + PATCH_OP + "\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"userName\",\"value\":\"" + huge + "\"}]}");
        assertScimError(patched, 400, "invalidValue");
        HttpResponse<String> put = server.send("PUT", "/Users/" + user, "{\"userName\":\"long-" + UUID.randomUUID()
                + "\",\"displayName\":\"" + huge + "\"}");
        assertScimError(put, 400, "invalidValue");
    }

    @Test
    void indexedGroupAttributesLongerThanTheLimitAreInvalidValue() {
        String huge = incompressible(3_000);
        assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"" + huge + "\"}"), 400, "invalidValue");
        assertScimError(server.send("POST", "/Groups", "{\"displayName\":\"long-" + UUID.randomUUID()
                + "\",\"externalId\":\"" + huge + "\"}"), 400, "invalidValue");
        assertScimError(server.send("PATCH", "/Groups/" + newGroup(), "{\"schemas\":[\"" + PATCH_OP + "\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"displayName\":\"" + huge + "\"}}]}"), 400,
                "invalidValue");
    }

    @Test
    void valuesAtTheLimitAreKept() {
        String userName = incompressible(256 - "@example.com".length()) + "@example.com";
        String full = incompressible(256);
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userName
                + "\",\"displayName\":\"" + full + "\",\"externalId\":\"" + full + "\",\"emails\":[{\"value\":\""
                + userName + "\",\"primary\":true}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("userName").asText()).isEqualTo(userName);
        // Characters, not UTF-16 units: 256 characters outside the Basic Multilingual Plane fit too.
        String wide = outsideTheBasicPlane(256);
        HttpResponse<String> group = server.send("POST", "/Groups", "{\"displayName\":\"" + wide + "\"}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        assertBadRequest(server.send("POST", "/Groups", "{\"displayName\":\"" + wide + "x\"}"));
    }
}
