package dev.scimserver.app;

import static dev.scimserver.app.ScimValues.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Okta's provisioning, request by request, as {@code idp-behaviour.md} lists it: lookup on
 * assignment, create as {@code application/json} with a random password, GET-merge-PUT updates,
 * path-less deactivation, Group Push, import paging, and the spec test's auth and not-found probes.
 * Every request carries the headers Okta's client sends. Real HTTP against the real server.
 */
class OktaProvisioningTest {
    private static final RunningServer SERVER = RunningServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    private static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    // ---------------------------------------------------------------- lookup and create

    @Test
    void lookupOfAnAbsentUserNameAnswersAnEmptyList() {
        String userName = "absent." + suffix() + "@atko.com";
        JsonNode list = get("/Users?filter=" + enc("userName eq \"" + userName + "\"") + "&startIndex=1&count=100")
                .expect(200);
        assertThat(list.path("schemas").toString()).contains(LIST_RESPONSE);
        assertThat(list.path("totalResults").isInt()).as("%s", list).isTrue();
        assertThat(list.path("totalResults").asInt()).isZero();
        assertThat(list.path("Resources").isArray()).as("Resources is an empty array: %s", list).isTrue();
        assertThat(list.path("Resources")).isEmpty();
        assertThat(list.path("startIndex").isInt()).isTrue();
        assertThat(list.path("startIndex").asInt()).isEqualTo(1);
        assertThat(list.path("itemsPerPage").isInt()).isTrue();
        assertThat(list.path("itemsPerPage").asInt()).isZero();
    }

    @Test
    void createAsApplicationJsonWithPasswordLocaleAndEmptyGroupsAnswers201WithTheFullUser() {
        String suffix = suffix();
        String userName = "Runscope" + suffix + "@atko.com";
        String password = "pw-" + UUID.randomUUID();
        String externalId = "00u" + suffix.substring(0, 17);
        Exchange created = post("/Users", oktaUser(userName, "Run", "Scope" + suffix, password, externalId), true);
        JsonNode user = created.expect(201);

        String id = user.path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(created.response().headers().firstValue("Location")).as(created.describe())
                .hasValue(user.path("meta").path("location").asText());
        assertThat(user.path("userName").asText()).isEqualTo(userName);
        assertThat(user.path("name").path("givenName").asText()).isEqualTo("Run");
        assertThat(user.path("name").path("familyName").asText()).isEqualTo("Scope" + suffix);
        assertThat(user.path("displayName").asText()).isEqualTo("Run Scope" + suffix);
        assertThat(user.path("locale").asText()).isEqualTo("en-US");
        assertThat(user.path("externalId").asText()).isEqualTo(externalId);
        assertThat(user.path("emails").get(0).path("value").asText()).isEqualTo(userName);
        assertThat(user.path("active").isBoolean() && user.path("active").booleanValue()).as("%s", user).isTrue();
        assertThat(user.path("meta").path("resourceType").asText()).isEqualTo("User");
        assertNoPassword(created, password);

        Exchange read = get("/Users/" + id);
        JsonNode again = read.expect(200);
        assertThat(again.path("userName").asText()).isEqualTo(userName);
        assertThat(again.path("locale").asText()).isEqualTo("en-US");
        assertNoPassword(read, password);
        Exchange listed = get("/Users?filter=" + enc("userName eq \"" + userName + "\"") + "&startIndex=1&count=100");
        assertThat(ids(listed.expect(200))).containsExactly(id);
        assertNoPassword(listed, password);
    }

    @Test
    void duplicateUserNameInAnyCaseIs409UniquenessAndTheUpperCasedFilterFindsTheUserAsSent() {
        String suffix = suffix();
        String userName = "RunScope" + suffix + "@Atko.com";
        String id = post("/Users", oktaUser(userName, "Dup", "Licate", "secret-" + suffix), true).expect(201)
                .path("id").asText();

        // Same userName, and the same userName upper-cased with a different email: both taken.
        for (String body : List.of(oktaUser(userName, "Dup", "Licate", "x"),
                oktaUser(userName.toUpperCase(Locale.ROOT), "Dup", "Licate", "x")
                        .replace("\"value\":\"" + userName.toUpperCase(Locale.ROOT) + "\"",
                                "\"value\":\"other." + suffix + "@atko.com\""))) {
            Exchange duplicate = post("/Users", body, true);
            JsonNode error = duplicate.expect(409);
            assertThat(error.path("schemas").toString()).as(duplicate.describe()).contains(ERROR);
            assertThat(error.path("status").asText()).isEqualTo("409");
            assertThat(error.path("scimType").asText()).as(duplicate.describe()).isEqualTo("uniqueness");
        }

        JsonNode found = get("/Users?filter=" + enc("userName eq \"" + userName.toUpperCase(Locale.ROOT) + "\""))
                .expect(200);
        assertThat(found.path("totalResults").asInt()).as("%s", found).isEqualTo(1);
        assertThat(found.path("Resources").get(0).path("id").asText()).isEqualTo(id);
        assertThat(found.path("Resources").get(0).path("userName").asText()).isEqualTo(userName);
    }

    // ---------------------------------------------------------------- update and deactivation

    @Test
    void getMergePutEchoingReadOnlyIdMetaAndGroupsAnswers200() {
        String suffix = suffix();
        String userName = "merge." + suffix + "@atko.com";
        String id = post("/Users", oktaUser(userName, "Mer", "Ge", "pw"), true).expect(201).path("id").asText();
        String gid = post("/Groups", "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"Okta Merge " + suffix
                + "\",\"members\":[{\"value\":\"" + id + "\"}]}", true).expect(201).path("id").asText();

        ObjectNode current = (ObjectNode) get("/Users/" + id).expect(200);
        assertThat(current.path("groups")).as("the user's groups are returned: %s", current).isNotEmpty();
        ObjectNode merged = current.deepCopy();
        ((ObjectNode) merged.path("name")).put("familyName", "Merged");
        merged.put("title", "Director");
        merged.put("password", "new-password-" + suffix);
        Exchange put = put("/Users/" + id, merged.toString());
        JsonNode replaced = put.expect(200);
        assertThat(replaced.path("id").asText()).isEqualTo(id);
        assertThat(replaced.path("userName").asText()).isEqualTo(userName);
        assertThat(replaced.path("name").path("familyName").asText()).isEqualTo("Merged");
        assertThat(replaced.path("name").path("givenName").asText()).isEqualTo("Mer");
        assertThat(replaced.path("title").asText()).isEqualTo("Director");
        assertThat(replaced.path("active").booleanValue()).isTrue();
        assertThat(groupIds(replaced)).as("groups in the PUT body are read-only and ignored").containsExactly(gid);
        assertNoPassword(put, "new-password-" + suffix);

        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("name").path("familyName").asText()).isEqualTo("Merged");
        assertThat(read.path("title").asText()).isEqualTo("Director");
        assertThat(read.path("meta").path("created").asText()).isEqualTo(current.path("meta").path("created").asText());
        assertThat(groupIds(read)).containsExactly(gid);
    }

    @Test
    void pathlessReplaceDeactivatesAndReactivatesAndTheUserStaysReadable() {
        String userName = "deact." + suffix() + "@atko.com";
        String id = post("/Users", oktaUser(userName, "De", "Act", "pw"), true).expect(201).path("id").asText();

        JsonNode off = patch("/Users/" + id, ops("{\"op\":\"replace\",\"value\":{\"active\":false}}")).expect(200);
        assertThat(off.path("active").booleanValue()).as("%s", off).isFalse();
        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("active").booleanValue()).as("%s", read).isFalse();
        assertThat(read.path("userName").asText()).isEqualTo(userName);
        JsonNode found = get("/Users?filter=" + enc("userName eq \"" + userName + "\"") + "&startIndex=1&count=100")
                .expect(200);
        assertThat(ids(found)).containsExactly(id);
        assertThat(found.path("Resources").get(0).path("active").booleanValue()).isFalse();

        JsonNode on = patch("/Users/" + id, ops("{\"op\":\"replace\",\"value\":{\"active\":true}}")).expect(200);
        assertThat(on.path("active").booleanValue()).as("%s", on).isTrue();
        assertThat(get("/Users/" + id).expect(200).path("active").booleanValue()).isTrue();
    }

    @Test
    void fullPutWithActiveFalseDeactivates() {
        String userName = "wizard." + suffix() + "@atko.com";
        String id = post("/Users", oktaUser(userName, "Wiz", "Ard", "pw"), true).expect(201).path("id").asText();
        ObjectNode user = (ObjectNode) get("/Users/" + id).expect(200);
        user.put("active", false);
        JsonNode replaced = put("/Users/" + id, user.toString()).expect(200);
        assertThat(replaced.path("active").booleanValue()).as("%s", replaced).isFalse();
        JsonNode read = get("/Users/" + id).expect(200);
        assertThat(read.path("active").booleanValue()).isFalse();
        assertThat(read.path("userName").asText()).isEqualTo(userName);

        user.put("active", true);
        assertThat(put("/Users/" + id, user.toString()).expect(200).path("active").booleanValue()).isTrue();
    }

    // ---------------------------------------------------------------- Group Push

    @Test
    void groupPushCreateLookupRenameAndMembership() {
        String suffix = suffix();
        String u1 = createUser("push1." + suffix + "@atko.com");
        String u2 = createUser("push2." + suffix + "@atko.com");
        String u3 = createUser("push3." + suffix + "@atko.com");
        String name = "Okta Push " + suffix;

        Exchange created = post("/Groups", """
                {"schemas":["%s"],"displayName":"%s","members":[]}
                """.formatted(GROUP, name), true);
        JsonNode group = created.expect(201);
        String gid = group.path("id").asText();
        assertThat(group.path("displayName").asText()).isEqualTo(name);

        JsonNode found = get("/Groups?filter=" + enc("displayName eq \"" + name + "\"") + "&startIndex=1&count=100")
                .expect(200);
        assertThat(ids(found)).as("%s", found).containsExactly(gid);

        String renamed = "Okta Pushed " + suffix;
        patch("/Groups/" + gid, ops("""
                {"op":"replace","value":{"id":"%s","displayName":"%s"}}
                """.formatted(gid, renamed))).expect(204);
        JsonNode afterRename = get("/Groups/" + gid).expect(200);
        assertThat(afterRename.path("displayName").asText()).isEqualTo(renamed);
        assertThat(afterRename.path("id").asText()).isEqualTo(gid);

        patch("/Groups/" + gid, ops("""
                {"op":"add","path":"members","value":[{"value":"%s","display":"push1"},{"value":"%s","display":"push2"}]}
                """.formatted(u1, u2))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactlyInAnyOrder(u1, u2);
        assertThat(groupIds(get("/Users/" + u1).expect(200))).containsExactly(gid);

        patch("/Groups/" + gid, ops("""
                {"op":"remove","path":"members[value eq \\"%s\\"]"}
                """.formatted(u1))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(u2);
        assertThat(groupIds(get("/Users/" + u1).expect(200))).isEmpty();

        // A full push: PUT replaces the members...
        JsonNode pushed = put("/Groups/" + gid, """
                {"schemas":["%s"],"id":"%s","displayName":"%s","members":[{"value":"%s","display":"push3"}]}
                """.formatted(GROUP, gid, renamed, u3)).expect(200);
        assertThat(memberIds(pushed)).as("%s", pushed).containsExactly(u3);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactly(u3);

        // ...and so does PATCH replace of members.
        patch("/Groups/" + gid, ops("""
                {"op":"replace","path":"members","value":[{"value":"%s","display":"push1"},{"value":"%s","display":"push2"}]}
                """.formatted(u1, u2))).expect(204);
        assertThat(memberIds(get("/Groups/" + gid).expect(200))).containsExactlyInAnyOrder(u1, u2);
        assertThat(get("/Groups/" + gid).expect(200).path("displayName").asText()).isEqualTo(renamed);
    }

    // ---------------------------------------------------------------- spec test probes

    @Test
    void idsThatAreNotUuidsAnswer404WithAScimError() {
        for (String path : List.of("/Users/010101001010101011001010101011", "/Users/00919288221112222",
                "/Groups/010101001010101011001010101011", "/Users/" + UUID.randomUUID(),
                "/Groups/" + UUID.randomUUID())) {
            Exchange exchange = get(path);
            JsonNode error = exchange.expect(404);
            assertThat(error.path("schemas").toString()).as(exchange.describe()).contains(ERROR);
            assertThat(error.path("status").isTextual()).as(exchange.describe()).isTrue();
            assertThat(error.path("status").asText()).isEqualTo("404");
            assertThat(error.path("detail").asText()).isNotBlank();
        }
    }

    @Test
    void authorizationNonTokenIs401WithAScimError() {
        Map<String, String> headers = new LinkedHashMap<>(oktaHeaders());
        headers.put("Authorization", "non-token");
        String path = "/Users?filter=" + enc("userName eq \"RUNSCOPE" + suffix().toUpperCase(Locale.ROOT)
                + "@ATKO.COM\"");
        Exchange exchange = new Exchange("GET", path, null, SERVER.send("GET", path, null, headers));
        JsonNode error = exchange.expect(401);
        assertThat(error.path("schemas").toString()).as(exchange.describe()).contains(ERROR);
        assertThat(error.path("status").isTextual()).as(exchange.describe()).isTrue();
        assertThat(error.path("status").asText()).isEqualTo("401");
        assertThat(exchange.response().headers().firstValue("WWW-Authenticate")).isPresent();
    }

    // ---------------------------------------------------------------- import

    @Test
    void importPagesOfOneHundredHaveIntegerCountsAndAStableOrder() {
        int total = get("/Users?startIndex=1&count=1").expect(200).path("totalResults").asInt();
        for (int i = total; i < 105; i++) {
            createUser("import" + i + "." + suffix() + "@atko.com");
        }
        List<String> first = importAll();
        List<String> second = importAll();
        assertThat(first).hasSizeGreaterThan(100);
        assertThat(new HashSet<>(first)).as("no user twice").hasSize(first.size());
        assertThat(second).as("the same order on a second import").isEqualTo(first);
    }

    @Test
    void everyImportPageHasTheTotalOfAFreshCountAndACommittedCreateShowsOnTheNextPage() throws Exception {
        for (int i = get("/Users?startIndex=1&count=1").expect(200).path("totalResults").asInt(); i < 205; i++) {
            createUser("walk" + i + "." + suffix() + "@atko.com");
        }
        for (int startIndex = 1; startIndex < 300; startIndex += 100) {
            assertThat(get("/Users?startIndex=" + startIndex + "&count=100").expect(200).path("totalResults").asLong())
                    .as("page at %d", startIndex).isEqualTo(freshCountOfUsers());
        }
        long before = get("/Users?startIndex=101&count=100").expect(200).path("totalResults").asLong();
        createUser("walk.more." + suffix() + "@atko.com");
        assertThat(get("/Users?startIndex=101&count=100").expect(200).path("totalResults").asLong())
                .isEqualTo(before + 1).isEqualTo(freshCountOfUsers());
    }

    /** The Default Workspace's users, counted by the database itself. */
    private static long freshCountOfUsers() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(SERVER.jdbcUrl());
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM workspace_members m "
                     + "JOIN workspaces w ON w.id = m.workspace_id WHERE w.is_default")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> importAll() {
        List<String> ids = new ArrayList<>();
        int startIndex = 1;
        while (true) {
            JsonNode page = get("/Users?startIndex=" + startIndex + "&count=100").expect(200);
            for (String field : List.of("totalResults", "startIndex", "itemsPerPage")) {
                assertThat(page.path(field).isInt()).as("%s is a JSON integer: %s", field, page.path(field)).isTrue();
            }
            assertThat(page.path("startIndex").asInt()).isEqualTo(startIndex);
            int items = page.path("Resources").size();
            assertThat(page.path("itemsPerPage").asInt()).isEqualTo(items);
            assertThat(items).isLessThanOrEqualTo(100);
            ids.addAll(ids(page));
            int total = page.path("totalResults").asInt();
            if (items == 0 || startIndex + items > total) {
                assertThat(ids).as("totalResults users imported").hasSize(total);
                return ids;
            }
            assertThat(items).as("a page before the last is full").isEqualTo(100);
            startIndex += items;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String oktaUser(String userName, String given, String family, String password) {
        return oktaUser(userName, given, family, password, "00u" + suffix().substring(0, 17));
    }

    /** Okta's create body: externalId is Okta's user id, the password random even without password sync. */
    private static String oktaUser(String userName, String given, String family, String password, String externalId) {
        return """
                {"schemas":["%s"],"userName":"%s","name":{"givenName":"%s","familyName":"%s"},
                 "emails":[{"primary":true,"value":"%s","type":"work"}],"displayName":"%s %s","locale":"en-US",
                 "externalId":"%s","groups":[],"password":"%s","active":true}
                """.formatted(CORE, userName, given, family, userName, given, family, externalId, password);
    }

    private static String createUser(String userName) {
        return post("/Users", oktaUser(userName, "Given", "Family", "pw-" + suffix()), true).expect(201).path("id")
                .asText();
    }

    private static void assertNoPassword(Exchange exchange, String password) {
        assertThat(exchange.response().body()).as(exchange.describe()).doesNotContain("\"password\"")
                .doesNotContain(password);
    }

    /** What Okta's client puts on every request (its spec test shows them), with Basic auth. */
    private static Map<String, String> oktaHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", SERVER.basicAuthorization());
        headers.put("Accept", "application/scim+json");
        headers.put("Accept-Charset", "utf-8");
        headers.put("Content-Type", "application/scim+json; charset=utf-8");
        headers.put("User-Agent", "OKTA SCIM Integration");
        return headers;
    }

    private static Exchange get(String path) {
        return new Exchange("GET", path, null, SERVER.send("GET", path, null, oktaHeaders()));
    }

    /** A POST; Okta sends creates as {@code application/json}. */
    private static Exchange post(String path, String body, boolean plainJson) {
        Map<String, String> headers = oktaHeaders();
        if (plainJson) {
            headers.put("Content-Type", "application/json");
            headers.put("Accept", "application/scim+json; charset=utf-8");
        }
        return new Exchange("POST", path, body, SERVER.send("POST", path, body, headers));
    }

    private static Exchange put(String path, String body) {
        return new Exchange("PUT", path, body, SERVER.send("PUT", path, body, oktaHeaders()));
    }

    private static Exchange patch(String path, String body) {
        return new Exchange("PATCH", path, body, SERVER.send("PATCH", path, body, oktaHeaders()));
    }

}
