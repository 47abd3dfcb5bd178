package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.activity.TimeOrderedIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7644's protocol rules over real HTTP: errors, content types, paging, projection, discovery. */
class ScimProtocolContractTest {
    private final RunningServer server = RunningServer.shared();

    private String newUser() {
        String userName = "proto-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userName + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("id").asText();
    }

    @Test
    void malformedJsonIsInvalidSyntaxWithItsPlace() {
        HttpResponse<String> response = server.send("POST", "/Users", "{\n  \"userName\": \"x\",,\n}");
        assertScimError(response, 400, "invalidSyntax");
        assertThat(json(response).path("detail").asText()).contains("line 2");
    }

    @Test
    void nonObjectBodiesAreInvalidSyntax() {
        assertScimError(server.send("POST", "/Users", "[1,2]"), 400, "invalidSyntax");
        assertScimError(server.send("POST", "/Users", ""), 400, "invalidSyntax");
        assertScimError(server.send("POST", "/Users", "{\"userName\":\"a\"} trailing"), 400, "invalidSyntax");
    }

    @Test
    void missingRequiredAttributesAreInvalidValue() {
        assertScimError(server.send("POST", "/Users", "{\"name\":{\"givenName\":\"x\"}}"), 400, "invalidValue");
        assertScimError(server.send("POST", "/Groups", "{\"members\":[]}"), 400, "invalidValue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/Users/", "/Groups/"})
    void unknownIdsAreNotFoundWhetherUuidOrNot(String endpoint) {
        assertScimError(server.send("GET", endpoint + UUID.randomUUID(), null), 404, null);
        assertScimError(server.send("GET", endpoint + "010101001010101011001010101011", null), 404, null);
        assertScimError(server.send("DELETE", endpoint + "not-an-id", null), 404, null);
        assertScimError(server.send("PUT", endpoint + UUID.randomUUID(), "{\"userName\":\"a\",\"displayName\":\"b\"}"),
                404, null);
    }

    @Test
    void anIdNamesItsResourceOnlyInTheFormTheServerGaveIt() {
        // UUID.fromString reads a sign before a group of hex digits: "+bc…" is read as "0bc…". Users are made
        // until one id has a group starting with 0 (in a random UUID only three groups can; 82% of ids have none, and fifty misses are beyond chance).
        String id = null;
        for (int i = 0; i < 50 && id == null; i++) {
            String made = json(server.send("POST", "/Users", "{\"userName\":\"canonical-" + UUID.randomUUID() + "\"}"))
                    .path("id").asText();
            id = made.matches("(?s).*(^|-)0.*") ? made : null;
        }
        assertThat(id).isNotNull();
        String signed = id.replaceFirst("(^|-)0", "$1+");
        assertThat(UUID.fromString(signed).toString()).isEqualTo(id);

        assertScimError(server.send("GET", "/Users/" + signed, null), 404, null);
        assertScimError(server.send("PATCH", "/Users/" + signed, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}"), 404, null);
        assertThat(json(server.send("GET", "/Users?filter=" + ScimValues.enc("id eq \"" + signed + "\""), null))
                .path("totalResults").asInt()).isZero();
        String upper = id.toUpperCase(java.util.Locale.ROOT);
        assertThat(json(server.send("GET", "/Users/" + upper, null)).path("id").asText()).isEqualTo(id);
        // What a GET by either form answered may be sent back to either: both name one resource.
        String userName = "canonical-put-" + UUID.randomUUID();
        assertThat(server.send("PUT", "/Users/" + upper, "{\"id\":\"" + id + "\",\"userName\":\"" + userName
                + "\"}").statusCode()).isEqualTo(200);
        assertThat(server.send("PUT", "/Users/" + id, "{\"id\":\"" + upper + "\",\"userName\":\"" + userName
                + "\"}").statusCode()).isEqualTo(200);
        assertScimError(server.send("PUT", "/Users/" + id, "{\"id\":\"" + signed + "\",\"userName\":\"" + userName
                + "\"}"), 400, "invalidValue");
    }

    @Test
    void wrongMethodIs405AndUnknownEndpointIs404() {
        HttpResponse<String> wrongMethod = server.send("PATCH", "/Users", "{}");
        assertScimError(wrongMethod, 405, null);
        assertThat(wrongMethod.headers().firstValue("Allow")).as("RFC 9110 §15.5.6").contains("GET, HEAD, POST");
        assertScimError(server.send("GET", "/Widgets", null), 404, null);
        // A base URL entered with a trailing slash, to which the IdP adds "/Users": said, as what to mend.
        HttpResponse<String> doubled = server.send("GET", "//Users", null);
        assertScimError(doubled, 404, null);
        assertThat(doubled.body()).contains("'//'").contains("without a trailing slash");
        // .search is no resource's id: its other methods are the wrong method, not an unknown user.
        for (String method : new String[] {"GET", "PUT", "PATCH", "DELETE"}) {
            for (String path : new String[] {"/Users/.search", "/Groups/.search", "/users/.SEARCH"}) {
                HttpResponse<String> search = server.send(method, path, method.equals("GET") ? null : "{}");
                assertScimError(search, 405, null);
                assertThat(search.headers().firstValue("Allow")).as(method + " " + path).contains("POST");
            }
        }
    }

    /**
     * RFC 9110 §9.3.2: a HEAD is answered as the GET would be, without its content. Javalin answers a
     * HEAD of any path with a GET route 200 without running the GET, so a HEAD of a user that does not
     * exist said it did, and a HEAD of /health said UP without asking the database.
     */
    @Test
    void aHeadIsAnsweredAsTheGetWouldBeWithoutItsContent() {
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"head-" + UUID.randomUUID() + "\"}");
        String id = json(created).path("id").asText();
        HttpResponse<String> get = server.send("GET", "/Users/" + id, null);
        HttpResponse<String> head = server.send("HEAD", "/Users/" + id, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag")).isPresent();
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));

        assertThat(server.send("HEAD", "/Users/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);
        assertThat(server.send("HEAD", "/Users/" + id, null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(server.send("HEAD", "/Users/" + id, null, Map.of("Authorization", server.bearerAuthorization(),
                "If-None-Match", get.headers().firstValue("ETag").orElseThrow())).statusCode()).isEqualTo(304);
        assertThat(server.send("HEAD", server.baseUrl().replace("/api/scim/v2", "") + "/health", null, Map.of())
                .headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String big = "{\"userName\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}";
        HttpResponse<String> response = server.send("POST", "/Users", big);
        assertScimError(response, 413, null);
    }

    /**
     * RFC 7644 §8.1: scim+json and json are read. A body without its type is refused (415) as one of another
     * type is: a page of another site can make a browser send one (RequestSemanticsContractTest).
     */
    @Test
    void jsonAndScimJsonAreAcceptedAndABodyWithoutItsTypeIsNot() {
        for (String type : new String[] {"application/json", "application/scim+json", "application/json; charset=utf-8"}) {
            HttpResponse<String> response = server.send("POST", "/Users",
                    "{\"userName\":\"ct-" + UUID.randomUUID() + "\"}",
                    Map.of("Authorization", server.bearerAuthorization(), "Content-Type", type));
            assertThat(response.statusCode()).as(type).isEqualTo(201);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/scim+json");
        }
        HttpResponse<String> untyped = server.send("POST", "/Users", "{\"userName\":\"ct-" + UUID.randomUUID() + "\"}",
                Map.of("Authorization", server.bearerAuthorization(), "Content-Type", ""));
        assertScimError(untyped, 415, null);
    }

    /**
     * RFC 9110 §15.5.16: a body in a content coding the server does not read is 415, with the codings it
     * reads in Accept-Encoding; it was read as JSON as it came, a gzip body refused as "not UTF-8" and a
     * plain body mislabelled taken.
     */
    @Test
    void aBodyInAContentCodingTheServerDoesNotReadIs415() {
        for (String coding : new String[] {"gzip", "deflate, gzip", "br"}) {
            HttpResponse<String> coded = server.send("POST", "/Users", "{\"userName\":\"ce-" + UUID.randomUUID() + "\"}",
                    Map.of("Authorization", server.bearerAuthorization(), "Content-Encoding", coding));
            assertScimError(coded, 415, null);
            assertThat(coded.headers().firstValue("Accept-Encoding")).as(coding).hasValue("identity");
        }
        HttpResponse<String> identity = server.send("POST", "/Users", "{\"userName\":\"ce-" + UUID.randomUUID() + "\"}",
                Map.of("Authorization", server.bearerAuthorization(), "Content-Encoding", "Identity"));
        assertThat(identity.statusCode()).isEqualTo(201);
        // A request without a body has no coding to refuse, whatever a client labels it.
        assertThat(server.send("GET", "/Users?count=1", null, Map.of("Authorization", server.bearerAuthorization(),
                "Content-Encoding", "gzip")).statusCode()).isEqualTo(200);
    }

    @Test
    void createAnswersLocationEqualToMetaLocationAndEtag() {
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"loc-" + UUID.randomUUID() + "\"}");
        JsonNode body = json(created);
        assertThat(created.headers().firstValue("Location")).hasValue(body.path("meta").path("location").asText());
        assertThat(body.path("meta").path("location").asText()).startsWith(server.baseUrl() + "/Users/");
        assertThat(created.headers().firstValue("ETag")).hasValue(body.path("meta").path("version").asText());
        assertThat(body.path("meta").path("resourceType").asText()).isEqualTo("User");
    }

    @Test
    void listResponseShapeAndPagingRules() {
        newUser();
        newUser();
        JsonNode page = json(server.send("GET", "/Users?startIndex=0&count=1", null));
        assertThat(page.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        assertThat(page.path("startIndex").asInt()).isEqualTo(1);
        assertThat(page.path("itemsPerPage").isInt()).isTrue();
        assertThat(page.path("Resources")).hasSize(1);
        assertThat(page.path("totalResults").asLong()).isGreaterThanOrEqualTo(2);

        JsonNode onlyTotal = json(server.send("GET", "/Users?count=0", null));
        assertThat(onlyTotal.path("Resources").isArray()).isTrue();
        assertThat(onlyTotal.path("Resources")).isEmpty();
        assertThat(onlyTotal.path("totalResults").asLong()).isEqualTo(page.path("totalResults").asLong());

        JsonNode negative = json(server.send("GET", "/Users?count=-5", null));
        assertThat(negative.path("Resources")).isEmpty();

        // A whole number too large to hold is capped as any count over the limit is.
        JsonNode huge = json(server.send("GET", "/Users?count=99999999999999999999&startIndex=1", null));
        assertThat(huge.path("itemsPerPage").asInt()).isEqualTo(huge.path("Resources").size()).isPositive();
        assertThat(json(server.send("GET", "/Users?startIndex=99999999999999999999", null)).path("Resources")).isEmpty();
        assertScimError(server.send("GET", "/Users?count=abc", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?startIndex=%EF%BC%92", null), 400, "invalidValue");
    }

    /**
     * RFC 9865 §2.1 defines invalidCount for a cursor page's count beyond maxPageSize; RFC 7644
     * §3.4.2.4 lets an index page return fewer than count, so there a larger count is capped.
     */
    @Test
    void aCursorCountAboveMaxPageSizeIsInvalidCountWhileAnIndexCountIsCapped() {
        int maxPageSize = json(server.send("GET", "/ServiceProviderConfig", null)).path("pagination")
                .path("maxPageSize").asInt();
        assertThat(maxPageSize).isEqualTo(1000);
        assertScimError(server.send("GET", "/Users?cursor=&count=" + (maxPageSize + 1), null), 400, "invalidCount");
        assertScimError(server.send("GET", "/Groups?cursor&count=99999999999", null), 400, "invalidCount");
        assertScimError(server.send("POST", "/Users/.search", "{\"cursor\":\"\",\"count\":5000}"), 400, "invalidCount");
        assertThat(server.send("GET", "/Users?cursor=&count=" + maxPageSize, null).statusCode()).isEqualTo(200);

        newUser();
        JsonNode capped = json(server.send("GET", "/Users?startIndex=1&count=" + (maxPageSize * 5), null));
        assertThat(capped.path("itemsPerPage").asInt()).isBetween(1, maxPageSize);
    }

    @Test
    void emptyResultsHaveAnEmptyResourcesArray() {
        JsonNode empty = json(server.send("GET", "/Users?filter=userName%20eq%20%22" + UUID.randomUUID() + "%22", null));
        assertThat(empty.path("totalResults").asInt()).isZero();
        assertThat(empty.path("Resources").isArray()).isTrue();
        assertThat(empty.path("Resources")).isEmpty();
    }

    @Test
    void badFiltersAreInvalidFilter() {
        assertScimError(server.send("GET", "/Users?filter=userName%20zz%20%22x%22", null), 400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=favouriteColour%20eq%20%22x%22", null), 400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=active%20gt%20true", null), 400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=password%20eq%20%22x%22", null), 400, "invalidFilter");
        // RFC 7644 §3.4.2.2: gt, ge, lt and le on "Boolean and Binary attributes SHALL cause a failed response".
        assertScimError(server.send("GET", "/Users?filter=x509Certificates.value%20gt%20%22A%22", null), 400,
                "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=x509Certificates%5Bvalue%20le%20%22Z%22%5D", null), 400,
                "invalidFilter");
        assertScimError(server.send("PATCH", "/Users/" + newUser(), ScimValues.ops("{\"op\":\"remove\","
                + "\"path\":\"x509Certificates[value lt \\\"A\\\"]\"}")), 400, "invalidFilter");
        // RFC 7644 §3.4.2.2: "The filter parameter MUST contain at least one valid expression"; a blank one
        // answered the whole collection, where a client whose value came out empty looked for one.
        assertScimError(server.send("GET", "/Users?filter=", null), 400, "invalidFilter");
        assertScimError(server.send("GET", "/Groups?filter=%20%20", null), 400, "invalidFilter");
        assertScimError(server.send("POST", "/Users/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "SearchRequest\"],\"filter\":\"\"}"), 400, "invalidFilter");
    }

    @Test
    void attributesAndExcludedAttributesProjectEveryResponse() {
        String id = newUser();
        JsonNode only = json(server.send("GET", "/Users/" + id + "?attributes=userName", null));
        assertThat(only.has("userName")).isTrue();
        assertThat(only.path("id").asText()).isEqualTo(id);
        assertThat(only.has("active")).isFalse();
        assertThat(only.has("meta")).isFalse();

        JsonNode excluded = json(server.send("GET", "/Users/" + id + "?excludedAttributes=active,id", null));
        assertThat(excluded.has("active")).isFalse();
        assertThat(excluded.path("id").asText()).as("id is returned always").isEqualTo(id);

        HttpResponse<String> created = server.send("POST", "/Users?attributes=userName",
                "{\"userName\":\"proj-" + UUID.randomUUID() + "\",\"title\":\"Boss\"}");
        assertThat(json(created).has("title")).isFalse();
        assertThat(json(created).has("userName")).isTrue();
    }

    /**
     * RFC 7644 §3.3 and §3.5.1: a write answers with the resource as the server now holds it, so the
     * answer is what a GET of it shows at once, attribute for attribute, under the same projection.
     */
    @Test
    void aWriteAnswersWithTheResourceAsAGetShowsIt() {
        String userName = "same-" + UUID.randomUUID();
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],\"userName\":\"" + userName + "\","
                + "\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},\"title\":\"Engineer\","
                + "\"emails\":[{\"value\":\"" + userName + "@example.com\",\"type\":\"work\",\"primary\":true}],"
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"employeeNumber\":\"701984\","
                + "\"manager\":{\"value\":\"m-1\"}}}";
        HttpResponse<String> created = server.send("POST", "/Users", body);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = json(created).path("id").asText();
        assertThat(json(created)).isEqualTo(json(server.send("GET", "/Users/" + id, null)));

        HttpResponse<String> replaced = server.send("PUT", "/Users/" + id, body.replace("Engineer", "Architect"));
        assertThat(json(replaced)).isEqualTo(json(server.send("GET", "/Users/" + id, null)));
        assertThat(json(replaced).path("title").asText()).isEqualTo("Architect");

        HttpResponse<String> patched = server.send("PATCH", "/Users/" + id + "?excludedAttributes=emails",
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}");
        assertThat(json(patched)).isEqualTo(json(server.send("GET", "/Users/" + id + "?excludedAttributes=emails", null)));
        assertThat(json(patched).has("emails")).isFalse();
        assertThat(json(patched).path("active").asBoolean()).isFalse();

        HttpResponse<String> group = server.send("POST", "/Groups?attributes=displayName,members",
                "{\"displayName\":\"same-" + UUID.randomUUID() + "\",\"members\":[{\"value\":\"" + id + "\"}]}");
        assertThat(group.statusCode()).isEqualTo(201);
        String groupId = json(group).path("id").asText();
        assertThat(json(group)).isEqualTo(json(server.send("GET", "/Groups/" + groupId
                + "?attributes=displayName,members", null)));
    }

    @Test
    void passwordIsNeverReturned() {
        HttpResponse<String> created = server.send("POST", "/Users",
                "{\"userName\":\"pw-" + UUID.randomUUID() + "\",\"password\":\"s3cret-Passw0rd\"}");
        assertThat(created.body()).doesNotContain("s3cret").doesNotContain("password");
        String id = json(created).path("id").asText();
        assertThat(server.send("GET", "/Users/" + id + "?attributes=password", null).body()).doesNotContain("password");
    }

    @Test
    void meAnswersNotImplemented() {
        assertScimError(server.send("GET", "/Me", null), 501, null);
    }

    @Test
    void discoveryAdvertisesWhatTheServerDoes() {
        JsonNode config = json(server.send("GET", "/ServiceProviderConfig", null));
        assertThat(config.path("patch").path("supported").asBoolean()).isTrue();
        assertThat(config.path("filter").path("supported").asBoolean()).isTrue();
        assertThat(config.path("filter").path("maxResults").asInt()).isEqualTo(1000);
        assertThat(config.path("bulk").path("supported").asBoolean()).isTrue();
        assertThat(config.path("etag").path("supported").asBoolean()).isTrue();
        assertThat(config.path("authenticationSchemes")).hasSize(2);

        JsonNode types = json(server.send("GET", "/ResourceTypes", null));
        assertThat(types.path("totalResults").asInt()).isEqualTo(2);
        JsonNode user = json(server.send("GET", "/ResourceTypes/User", null));
        assertThat(user.path("endpoint").asText()).isEqualTo("/Users");
        assertThat(user.path("schemaExtensions").findValuesAsText("schema")).contains(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0");

        JsonNode schemas = json(server.send("GET", "/Schemas", null));
        assertThat(schemas.path("Resources")).hasSize(7);
        JsonNode userSchema = json(server.send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", null));
        JsonNode emails = null;
        for (JsonNode attribute : userSchema.path("attributes")) {
            if (attribute.path("name").asText().equals("emails")) {
                emails = attribute;
            }
        }
        assertThat(emails).isNotNull();
        assertThat(emails.path("subAttributes").findValuesAsText("name")).contains("value", "type", "primary");
        assertThat(userSchema.path("meta").path("resourceType").asText()).isEqualTo("Schema");
        assertScimError(server.send("GET", "/Schemas/urn:nope", null), 404, null);
        assertScimError(server.send("GET", "/ResourceTypes/Widget", null), 404, null);
    }

    @Test
    void healthNeedsNoAuth() {
        HttpResponse<String> health = server.send("GET", "http://localhost:" + server.port() + "/health", null, Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void everyResponseCarriesARequestId() {
        HttpResponse<String> response = server.send("GET", "/Users?count=1", null);
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    /**
     * A request id the server makes is a version 7 UUID of the millisecond the request arrived, so that
     * the provisioning log finds its entry in that millisecond without indexing the id.
     */
    @Test
    void aRequestIdTheServerMakesIsOrderedByTime() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> response = server.send("GET", "/Users?count=1", null);
        Instant after = Instant.now();
        UUID made = UUID.fromString(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(made.version()).isEqualTo(7);
        assertThat(TimeOrderedIds.madeAt(made)).get().satisfies(at -> assertThat(at).isBetween(before, after));
    }
}
