package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7644 §3.7: Bulk operations, bulkId references, failOnErrors and the advertised limits. */
class BulkContractTest {
    private static final String REQUEST = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"]";
    private final RunningServer server = RunningServer.shared();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** The status of each operation (findValues would also find the statuses inside error bodies). */
    private static java.util.List<String> statuses(JsonNode results) {
        java.util.List<String> out = new java.util.ArrayList<>();
        results.forEach(r -> out.add(r.path("status").asText()));
        return out;
    }

    private JsonNode bulk(String operations) {
        HttpResponse<String> response = server.send("POST", "/Bulk", "{" + REQUEST + ",\"Operations\":[" + operations + "]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("schemas").get(0).asText()).isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
        return body.path("Operations");
    }

    @Test
    void aGroupCreatedWithMembersCreatedLaterInTheSameRequest() {
        String group = unique("bulk-group");
        JsonNode results = bulk("""
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%s",
                  "members":[{"value":"bulkId:u1"},{"value":"bulkId:u2"}]}},
                {"method":"POST","path":"/Users","bulkId":"u1","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"u2","data":{"userName":"%s"}}
                """.formatted(group, unique("bulk-u1"), unique("bulk-u2")));
        assertThat(results).hasSize(3);
        for (JsonNode result : results) {
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("201");
            assertThat(result.path("location").asText()).startsWith(server.baseUrl());
            assertThat(result.path("version").asText()).startsWith("W/");
        }
        JsonNode created = json(server.send("GET", results.get(0).path("location").asText(), null));
        assertThat(created.path("displayName").asText()).isEqualTo(group);
        assertThat(created.path("members")).hasSize(2);
        assertThat(created.path("members").findValuesAsText("value")).containsExactlyInAnyOrder(
                results.get(1).path("location").asText().replaceAll(".*/", ""),
                results.get(2).path("location").asText().replaceAll(".*/", ""));
    }

    @Test
    void pathsReferToBulkIdsToo() {
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"%s"}},
                {"method":"PATCH","path":"/Users/bulkId:u","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"replace","path":"title","value":"Engineer"}]}},
                {"method":"DELETE","path":"/Users/bulkId:u"}
                """.formatted(unique("bulk-path")));
        assertThat(statuses(results)).containsExactly("201", "200", "204");
        assertThat(server.send("GET", results.get(0).path("location").asText(), null).statusCode()).isEqualTo(404);
    }

    @Test
    void aPatchPathsFilterRefersToBulkIdsToo() {
        JsonNode results = bulk("""
                {"method":"PATCH","path":"/Groups/bulkId:g","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"remove","path":"members[value eq \\"bulkId:u\\"]"}]}},
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%s",
                  "members":[{"value":"bulkId:u"},{"value":"bulkId:kept"}]}},
                {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"kept","data":{"userName":"%s"}},
                {"method":"PATCH","path":"/Groups/bulkId:g","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"remove","path":"members[value eq \\"bulkId:never-declared\\"]"}]}}
                """.formatted(unique("bulk-filter-g"), unique("bulk-filter-u"), unique("bulk-filter-kept")));
        assertThat(statuses(results)).containsExactly("200", "201", "201", "201", "409");
        JsonNode group = json(server.send("GET", results.get(1).path("location").asText(), null));
        assertThat(group.path("members").findValuesAsText("value")).as("the member the filter named is gone")
                .containsExactly(results.get(3).path("location").asText().replaceAll(".*/", ""));
    }

    @Test
    void aFailedOperationByReferenceNamesTheResourceTheReferenceStoodFor() {
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"u","data":{"userName":"%s"}},
                {"method":"PATCH","path":"/Users/bulkId:u","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"replace","path":"nonsense","value":"x"}]}},
                {"method":"DELETE","path":"/Users/not-an-id"}
                """.formatted(unique("bulk-ref-fail")));
        assertThat(statuses(results)).containsExactly("201", "400", "404");
        assertThat(results.get(1).path("location").asText()).isEqualTo(results.get(0).path("location").asText());
        assertThat(results.get(2).has("location")).as("no resource of ours is named").isFalse();
    }

    @Test
    void eachOperationIsAtomicOnItsOwnAndErrorsAreReportedInPlace() {
        String taken = unique("bulk-taken");
        UUID missing = UUID.randomUUID();
        server.send("POST", "/Users", "{\"userName\":\"" + taken + "\"}");
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"ok","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"dup","data":{"userName":"%s"}},
                {"method":"PATCH","path":"/Users/%s","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"replace","path":"title","value":"x"}]}}
                """.formatted(unique("bulk-ok"), taken.toUpperCase(), missing));
        assertThat(statuses(results)).containsExactly("201", "409", "404");
        assertThat(results.get(1).path("response").path("scimType").asText()).isEqualTo("uniqueness");
        assertThat(results.get(1).path("bulkId").asText()).isEqualTo("dup");
        // RFC 7644 §3.7.3: a location in every result but a failed POST's.
        assertThat(results.get(1).has("location")).isFalse();
        assertThat(results.get(2).path("location").asText()).isEqualTo(server.baseUrl() + "/Users/" + missing);
    }

    /**
     * Consecutive creates go to the database together: each is applied with the id, version, role
     * and state the response and the request say, and a later operation finds them by their bulkIds
     * (the group takes two of them).
     */
    @Test
    void consecutiveCreatesAreAppliedTogetherAsTheirResultsSay() {
        String[] names = {unique("bulk-run-1"), unique("bulk-run-2"), unique("bulk-run-3")};
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"r1","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"r2","data":{"userName":"%s","password":"Run-2-secret!",
                  "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0":{"role":"builder"}}},
                {"method":"POST","path":"/Users","bulkId":"r3","data":{"userName":"%s","active":false}},
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%s",
                  "members":[{"value":"bulkId:r1"},{"value":"bulkId:r2"}]}}
                """.formatted(names[0], names[1], names[2], unique("bulk-run-group")));
        assertThat(statuses(results)).containsExactly("201", "201", "201", "201");
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode user = json(server.send("GET", results.get(i).path("location").asText(), null));
            assertThat(user.path("userName").asText()).isEqualTo(names[i]);
            assertThat(user.path("meta").path("version").asText()).isEqualTo(results.get(i).path("version").asText());
            ids.add(user.path("id").asText());
        }
        JsonNode builder = json(server.send("GET", results.get(1).path("location").asText(), null));
        assertThat(builder.path("urn:ietf:params:scim:schemas:extension:tooljet:User:2.0").path("role").asText())
                .isEqualTo("builder");
        assertThat(json(server.send("GET", results.get(2).path("location").asText(), null)).path("active").asBoolean())
                .isFalse();
        JsonNode group = json(server.send("GET", results.get(3).path("location").asText(), null));
        assertThat(group.path("members").findValuesAsText("value")).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    }

    /**
     * A failure after successful operations: the operations before it are applied once, with the ids
     * the response reports, and the failed one, which had written its group before finding the
     * unknown member, leaves nothing behind.
     */
    @Test
    void operationsAroundAFailureAreAppliedOnceAndTheFailureLeavesNothing() {
        String first = unique("bulk-first");
        String group = unique("bulk-broken-group");
        String last = unique("bulk-last");
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"%s"}},
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%s",
                  "members":[{"value":"bulkId:a"},{"value":"%s"}]}},
                {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"%s"}}
                """.formatted(first, group, UUID.randomUUID(), last));
        assertThat(statuses(results)).containsExactly("201", "400", "201");
        for (int i : new int[] {0, 2}) {
            String userName = i == 0 ? first : last;
            JsonNode found = json(server.send("GET", "/Users?filter=" + ScimValues.enc("userName eq \"" + userName
                    + "\""), null));
            assertThat(found.path("totalResults").asInt()).isEqualTo(1);
            assertThat(results.get(i).path("location").asText())
                    .endsWith("/Users/" + found.path("Resources").get(0).path("id").asText());
        }
        JsonNode groups = json(server.send("GET", "/Groups?filter=" + ScimValues.enc("displayName eq \"" + group
                + "\""), null));
        assertThat(groups.path("totalResults").asInt()).isZero();
    }

    /**
     * A value PostgreSQL will not keep (a userName too long for its unique index) fails its own
     * operation with 400 invalidValue, without repeating the value; the others are applied. It was a
     * 500 for the whole Bulk. A single POST with the same value is the same 400.
     */
    @Test
    void aValueTheDatabaseRefusesIsItsOperationsInvalidValue() {
        String tooLong = "long-" + randomLetters(3000);
        String before = unique("bulk-before");
        String after = unique("bulk-after");
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"before","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"long","data":{"userName":"%s"}},
                {"method":"POST","path":"/Users","bulkId":"after","data":{"userName":"%s"}}
                """.formatted(before, tooLong, after));
        assertThat(statuses(results)).containsExactly("201", "400", "201");
        JsonNode refused = results.get(1).path("response");
        assertThat(refused.path("scimType").asText()).isEqualTo("invalidValue");
        assertThat(refused.path("detail").asText()).doesNotContain(tooLong.substring(0, 20));
        for (String userName : new String[] {before, after}) {
            assertThat(json(server.send("GET", "/Users?filter=" + ScimValues.enc("userName eq \"" + userName + "\""),
                    null)).path("totalResults").asInt()).isEqualTo(1);
        }
        assertScimError(server.send("POST", "/Users", "{\"userName\":\"" + tooLong + "\"}"), 400, "invalidValue");
    }

    /** Letters that do not compress, so that PostgreSQL keeps them at their length in an index. */
    private static String randomLetters(int length) {
        java.util.Random random = new java.util.Random();
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    @Test
    void failOnErrorsStopsAfterThatManyErrors() {
        // 1.0E0 is the number 1 as some serializers write it: JSON has one number type.
        JsonNode results = server.send("POST", "/Bulk", "{" + REQUEST + ",\"failOnErrors\":1.0E0,\"Operations\":["
                + "{\"method\":\"DELETE\",\"path\":\"/Users/" + UUID.randomUUID() + "\"},"
                + "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"never\",\"data\":{\"userName\":\""
                + unique("bulk-never") + "\"}}]}").body().transform(b -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(b).path("Operations");
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
        assertThat(results).hasSize(1);
        assertThat(results.get(0).path("status").asText()).isEqualTo("404");
    }

    /**
     * RFC 7644 §3.7: a service provider that reorders "MUST ensure that the client's intent is preserved
     * and the same stateful result is achieved as for non-optimized processing". The remove of every
     * member ran while the add before it waited for its user, and the member stayed.
     */
    @Test
    void noOperationOvertakesOneWaitingForAForwardReference() {
        String group = json(server.send("POST", "/Groups", "{\"displayName\":\"" + unique("bulk-order") + "\"}"))
                .path("id").asText();
        JsonNode results = bulk("""
                {"method":"PATCH","path":"/Groups/%1$s","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:o1"}]}]}},
                {"method":"POST","path":"/Users","bulkId":"o1","data":{"userName":"%2$s"}},
                {"method":"PATCH","path":"/Groups/%1$s","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"remove","path":"members"}]}}
                """.formatted(group, unique("bulk-o1")));
        assertThat(statuses(results)).containsExactly("200", "201", "200");
        assertThat(json(server.send("GET", "/Groups/" + group, null)).path("members").isEmpty()).isTrue();
        assertThat(results.get(0).path("version").asText()).isEqualTo("W/\"2\"");
        assertThat(results.get(2).path("version").asText()).isEqualTo("W/\"3\"");
    }

    /**
     * The waiting operation names a user a later DELETE removes: run first, the DELETE made the add of
     * that member a 400. The user created later, whose userName a DELETE before it frees, is not brought
     * ahead of that DELETE either.
     */
    @Test
    void aLaterOperationOnAResourceAWaitingOneNamesWaitsAndOthersKeepTheirPlace() {
        String doomed = json(server.send("POST", "/Users", "{\"userName\":\"" + unique("bulk-doomed") + "\"}"))
                .path("id").asText();
        String group = json(server.send("POST", "/Groups", "{\"displayName\":\"" + unique("bulk-wait") + "\"}"))
                .path("id").asText();
        String alice = unique("bulk-alice");
        String aliceId = json(server.send("POST", "/Users", "{\"userName\":\"" + alice + "\"}")).path("id").asText();
        JsonNode results = bulk("""
                {"method":"PATCH","path":"/Groups/%1$s","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations":[{"op":"add","path":"members","value":[{"value":"bulkId:n"},{"value":"%2$s"}]}]}},
                {"method":"DELETE","path":"/Users/%2$s"},
                {"method":"DELETE","path":"/Users/%3$s"},
                {"method":"POST","path":"/Users","bulkId":"n","data":{"userName":"%4$s"}}
                """.formatted(group, doomed, aliceId, alice));
        assertThat(statuses(results)).containsExactly("200", "204", "204", "201");
        JsonNode members = json(server.send("GET", "/Groups/" + group, null)).path("members");
        assertThat(members.findValuesAsText("value")).containsExactly(
                results.get(3).path("location").asText().replaceAll(".*/", ""));
    }

    @Test
    void cyclesAndUnknownReferencesAre409() {
        JsonNode results = bulk("""
                {"method":"POST","path":"/Users","bulkId":"a","data":{"userName":"%s",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:b"}}}},
                {"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"%s",
                  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"bulkId:a"}}}},
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%s","members":[{"value":"bulkId:nobody"}]}}
                """.formatted(unique("bulk-a"), unique("bulk-b"), unique("bulk-g")));
        assertThat(statuses(results)).containsExactly("409", "409", "409");
    }

    @Test
    void limitsAreAdvertisedAndEnforced() {
        JsonNode config = json(server.send("GET", "/ServiceProviderConfig", null));
        assertThat(config.path("bulk").path("supported").asBoolean()).isTrue();
        int max = config.path("bulk").path("maxOperations").asInt();
        assertThat(max).isEqualTo(1000);
        StringBuilder ops = new StringBuilder();
        for (int i = 0; i <= max; i++) {
            ops.append(i == 0 ? "" : ",").append("{\"method\":\"DELETE\",\"path\":\"/Users/x\"}");
        }
        assertScimError(server.send("POST", "/Bulk", "{" + REQUEST + ",\"Operations\":[" + ops + "]}"), 413, "tooMany");
        String huge = "{" + REQUEST + ",\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"x\","
                + "\"data\":{\"userName\":\"" + "y".repeat(config.path("bulk").path("maxPayloadSize").asInt()) + "\"}}]}";
        assertScimError(server.send("POST", "/Bulk", huge), 413, null);
    }

    @Test
    void malformedRequestsAreInvalidSyntax() {
        assertScimError(server.send("POST", "/Bulk", "{\"Operations\":[]}"), 400, "invalidSyntax");
        assertScimError(server.send("POST", "/Bulk", "{\"Operations\":[{\"method\":\"GET\",\"path\":\"/Users\"}]}"),
                400, "invalidSyntax");
        assertScimError(server.send("POST", "/Bulk", "{\"Operations\":[{\"method\":\"POST\",\"path\":\"/Users\","
                + "\"data\":{\"userName\":\"x\"}}]}"), 400, "invalidSyntax");
        JsonNode badPath = bulk("{\"method\":\"POST\",\"path\":\"/Widgets\",\"bulkId\":\"w\",\"data\":{}}");
        assertThat(badPath.get(0).path("status").asText()).isEqualTo("400");
        assertThat(badPath.get(0).path("response").path("scimType").asText()).isEqualTo("invalidPath");
    }
}
