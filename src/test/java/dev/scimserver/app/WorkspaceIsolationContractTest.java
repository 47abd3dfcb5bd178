package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.app.WorkspaceFixtures.TestWorkspace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static dev.scimserver.app.WorkspaceFixtures.form;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workspaces are isolated whatever the credential: a credential of workspace A (its API token, an
 * access token of its OAuth client, and the environment's token, which acts on the Default
 * Workspace) never reads, finds, changes or deletes anything of workspace B through any SCIM
 * endpoint or method, B's ids are 404 in A, and B's data is the same afterwards. The credential,
 * never the request, decides the workspace.
 */
class WorkspaceIsolationContractTest {
    private static final RunningServer server = RunningServer.shared();
    private static final String TAG = "iso" + UUID.randomUUID().toString().substring(0, 8);
    private static final String PATCH_OP = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"]";
    private static final String BULK = "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"]";

    private static TestWorkspace a;
    private static TestWorkspace b;
    private static String bAdmin;
    private static String bUser;
    private static String bUserName;
    private static String bGroup;
    private static String bGroupName;
    private static String aGroup;

    @BeforeAll
    static void twoWorkspaces() {
        a = WorkspaceFixtures.workspaceWithCredentials("Isolation A");
        b = WorkspaceFixtures.workspaceWithCredentials("Isolation B");
        bAdmin = created(b.apiTokenAuthorization(), "/Users", user(TAG + "-b-admin@example.com", "admin"));
        bUserName = TAG + "-b-user@example.com";
        bUser = created(b.apiTokenAuthorization(), "/Users", user(bUserName, "builder"));
        bGroupName = TAG + "-b-group";
        bGroup = created(b.apiTokenAuthorization(), "/Groups", "{\"displayName\":\"" + bGroupName
                + "\",\"members\":[{\"value\":\"" + bUser + "\"}]}");
        created(a.apiTokenAuthorization(), "/Users", user(TAG + "-a-admin@example.com", "admin"));
        created(a.apiTokenAuthorization(), "/Users", user(TAG + "-a-user@example.com", "end-user"));
        aGroup = created(a.apiTokenAuthorization(), "/Groups", "{\"displayName\":\"" + TAG + "-a-group\"}");
    }

    /** The Authorization header of one of A's credentials, by kind. */
    private static String credentialOfA(String kind) {
        return switch (kind) {
            case "api-token" -> a.apiTokenAuthorization();
            case "oauth" -> "Bearer " + WorkspaceFixtures.accessToken(WorkspaceFixtures.sharedOrigin(), a);
            case "environment" -> server.bearerAuthorization();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-token", "oauth", "environment"})
    void aCredentialOfAnotherWorkspaceNeverReachesB(String kind) {
        String other = credentialOfA(kind);
        List<String> before = snapshotOfB();

        assertScimError(send(other, "GET", "/Users/" + bUser, null), 404, null);
        assertScimError(send(other, "PUT", "/Users/" + bUser, user(bUserName, "admin")), 404, null);
        assertScimError(send(other, "PATCH", "/Users/" + bUser, "{" + PATCH_OP
                + ",\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}"), 404, null);
        assertScimError(send(other, "DELETE", "/Users/" + bUser, null), 404, null);
        assertScimError(send(other, "GET", "/Groups/" + bGroup, null), 404, null);
        assertScimError(send(other, "PUT", "/Groups/" + bGroup, "{\"displayName\":\"taken-over\"}"), 404, null);
        assertScimError(send(other, "PATCH", "/Groups/" + bGroup, "{" + PATCH_OP
                + ",\"Operations\":[{\"op\":\"remove\",\"path\":\"members\"}]}"), 404, null);
        assertScimError(send(other, "DELETE", "/Groups/" + bGroup, null), 404, null);

        assertFindsNothing(other, "GET", "/Users?filter=" + form("userName eq \"" + bUserName + "\""), null);
        assertFindsNothing(other, "GET", "/Users?filter=" + form("id eq \"" + bUser + "\""), null);
        assertFindsNothing(other, "GET", "/Users?filter=" + form("userName sw \"" + TAG + "-b\""), null);
        assertFindsNothing(other, "GET", "/Groups?filter=" + form("displayName eq \"" + bGroupName + "\""), null);
        assertFindsNothing(other, "GET", "/Groups?excludedAttributes=members&filter="
                + form("id eq \"" + bGroup + "\" and members[value eq \"" + bUser + "\"]"), null);
        assertFindsNothing(other, "POST", "/Users/.search", "{\"filter\":\"userName eq \\\"" + bUserName + "\\\"\"}");
        assertFindsNothing(other, "POST", "/Groups/.search", "{\"filter\":\"displayName eq \\\"" + bGroupName + "\\\"\"}");
        assertFindsNothing(other, "POST", "/.search", "{\"filter\":\"userName sw \\\"" + TAG + "-b\\\" or displayName eq "
                + "\\\"" + bGroupName + "\\\"\"}");
        JsonNode everything = json(send(other, "GET", "/Users?count=1000&filter=" + form("userName sw \"" + TAG + "\""),
                null));
        assertThat(everything.findValuesAsText("id")).doesNotContain(bUser, bAdmin);

        // B's user as a member, by its id, is an unknown id in A.
        assertScimError(send(other, "POST", "/Groups", "{\"displayName\":\"" + TAG + "-" + kind
                + "\",\"members\":[{\"value\":\"" + bUser + "\"}]}"), 400, "invalidValue");
        if (!kind.equals("environment")) {
            assertScimError(send(other, "PATCH", "/Groups/" + aGroup, "{" + PATCH_OP + ",\"Operations\":[{\"op\":"
                    + "\"add\",\"path\":\"members\",\"value\":[{\"value\":\"" + bUser + "\"}]}]}"), 400, "invalidValue");
        }
        assertThat(bulkStatuses(other, """
                {"method":"PATCH","path":"/Users/%1$s","data":{%3$s,"Operations":[{"op":"replace","path":"title","value":"x"}]}},
                {"method":"PUT","path":"/Users/%1$s","data":{"userName":"%4$s"}},
                {"method":"DELETE","path":"/Groups/%2$s"},
                {"method":"PATCH","path":"/Groups/%2$s","data":{%3$s,"Operations":[{"op":"remove","path":"members"}]}},
                {"method":"POST","path":"/Groups","bulkId":"g","data":{"displayName":"%5$s","members":[{"value":"%1$s"}]}},
                {"method":"DELETE","path":"/Users/%1$s"}
                """.formatted(bUser, bGroup, PATCH_OP, bUserName, TAG + "-bulk-" + kind)))
                .containsExactly("404", "404", "404", "404", "400", "404");

        assertThat(snapshotOfB()).as("B unchanged").isEqualTo(before);
    }

    @Test
    void aCursorMadeInOneWorkspaceIsRefusedInAnother() {
        String filter = "filter=" + form("userName sw \"" + TAG + "\"");
        JsonNode firstInA = json(send(a.apiTokenAuthorization(), "GET", "/Users?" + filter + "&cursor=&count=1", null));
        String cursor = firstInA.path("nextCursor").asText();
        assertThat(cursor).isNotEmpty();
        assertScimError(send(b.apiTokenAuthorization(), "GET", "/Users?" + filter + "&count=1&cursor=" + cursor, null),
                400, "invalidCursor");
        assertThat(send(a.apiTokenAuthorization(), "GET", "/Users?" + filter + "&count=1&cursor=" + cursor, null)
                .statusCode()).as("in its own workspace").isEqualTo(200);
    }

    @Test
    void onePersonIsAMemberOfBothWorkspacesWithARoleInEach() {
        String email = TAG + "-both@example.com";
        HttpResponse<String> inA = send(a.apiTokenAuthorization(), "POST", "/Users", user(email, "admin"));
        HttpResponse<String> inB = send(b.apiTokenAuthorization(), "POST", "/Users", user(email, "end-user"));
        assertThat(inA.statusCode()).as(inA.body()).isEqualTo(201);
        assertThat(inB.statusCode()).as(inB.body()).isEqualTo(201);
        String id = json(inA).path("id").asText();
        assertThat(json(inB).path("id").asText()).as("one person, one id").isEqualTo(id);
        assertThat(role(a, id)).isEqualTo("admin");
        assertThat(role(b, id)).isEqualTo("end-user");

        assertThat(send(b.apiTokenAuthorization(), "DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);
        assertScimError(send(b.apiTokenAuthorization(), "GET", "/Users/" + id, null), 404, null);
        assertThat(role(a, id)).as("still a member of A").isEqualTo("admin");
    }

    @Test
    void aPersonBothWorkspacesShareIsNeverFoundOrSortedByTheGroupsOfTheOther() {
        // One person is one id in both workspaces: B's groups of that person must stay out of A's
        // filters and sort keys, or A's credential could learn the names and ids of B's groups.
        String email = TAG + "-shared-groups@example.com";
        String id = created(b.apiTokenAuthorization(), "/Users", user(email, "end-user"));
        String groupName = TAG + "-b-shared";
        String group = created(b.apiTokenAuthorization(), "/Groups", "{\"displayName\":\"" + groupName
                + "\",\"members\":[{\"value\":\"" + id + "\"}]}");
        assertThat(created(a.apiTokenAuthorization(), "/Users", user(email, "end-user"))).isEqualTo(id);

        String inA = "userName eq \"" + email + "\" and ";
        assertFindsNothing(a.apiTokenAuthorization(), "GET", "/Users?filter=" + form(inA + "groups.display eq \""
                + groupName + "\""), null);
        assertFindsNothing(a.apiTokenAuthorization(), "GET", "/Users?filter=" + form(inA + "groups.value eq \""
                + group + "\""), null);
        assertFindsNothing(a.apiTokenAuthorization(), "GET", "/Users?filter=" + form(inA + "groups pr"), null);
        assertFindsNothing(a.apiTokenAuthorization(), "POST", "/.search", "{\"filter\":\"userName eq \\\"" + email
                + "\\\" and groups.display eq \\\"" + groupName + "\\\"\"}");
        assertThat(send(b.apiTokenAuthorization(), "GET", "/Users?filter=" + form("userName eq \"" + email
                + "\" and groups.display eq \"" + groupName + "\""), null).body())
                .as("in B, its own group finds the person").contains(id);

        // Sorted by its groups, the person has none in A: its key is null and it sorts last.
        String other = created(a.apiTokenAuthorization(), "/Users", user(TAG + "-sorted-first@example.com",
                "end-user"));
        created(a.apiTokenAuthorization(), "/Groups", "{\"displayName\":\"zzz-" + TAG + "\",\"members\":[{"
                + "\"value\":\"" + other + "\"}]}");
        JsonNode sorted = json(send(a.apiTokenAuthorization(), "GET", "/Users?sortBy=groups.display&filter="
                + form("userName eq \"" + email + "\" or id eq \"" + other + "\""), null));
        assertThat(sorted.path("Resources").findValuesAsText("id")).containsExactly(other, id);
    }

    @Test
    void aUserNameIsUniqueWithinItsWorkspaceOnly() {
        String userName = TAG + "-same-name";
        assertThat(send(a.apiTokenAuthorization(), "POST", "/Users", "{\"userName\":\"" + userName + "\"}")
                .statusCode()).isEqualTo(201);
        assertThat(send(b.apiTokenAuthorization(), "POST", "/Users", "{\"userName\":\"" + userName + "\"}")
                .statusCode()).isEqualTo(201);
        assertScimError(send(a.apiTokenAuthorization(), "POST", "/Users", "{\"userName\":\"" + userName.toUpperCase()
                + "\"}"), 409, "uniqueness");
        assertThat(send(a.apiTokenAuthorization(), "POST", "/Groups", "{\"displayName\":\"" + bGroupName + "\"}")
                .statusCode()).as("group names too").isEqualTo(201);
    }

    private static String role(TestWorkspace workspace, String id) {
        return json(send(workspace.apiTokenAuthorization(), "GET", "/Users/" + id, null))
                .path("urn:ietf:params:scim:schemas:extension:tooljet:User:2.0").path("role").asText();
    }

    /** What B holds, as B's own credential reads it: its users and groups, whole, with their versions. */
    private static List<String> snapshotOfB() {
        List<String> snapshot = new ArrayList<>();
        for (String path : List.of("/Users/" + bUser, "/Users/" + bAdmin, "/Groups/" + bGroup, "/Users?count=1000",
                "/Groups?count=1000")) {
            HttpResponse<String> response = send(b.apiTokenAuthorization(), "GET", path, null);
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
            snapshot.add(response.body());
        }
        return snapshot;
    }

    private static void assertFindsNothing(String authorization, String method, String path, String body) {
        HttpResponse<String> response = send(authorization, method, path, body);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        assertThat(json(response).path("totalResults").asInt()).as(path).isZero();
        assertThat(json(response).path("Resources")).as(path).isEmpty();
    }

    private static List<String> bulkStatuses(String authorization, String operations) {
        HttpResponse<String> response = send(authorization, "POST", "/Bulk", "{" + BULK + ",\"Operations\":["
                + operations + "]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> statuses = new ArrayList<>();
        json(response).path("Operations").forEach(result -> statuses.add(result.path("status").asText()));
        return statuses;
    }

    /**
     * Whether an address is some other workspace's member's shows nowhere in A: taking it as a
     * member's email is answered as taking a free one (the person keeps the address it signs in
     * with, as a person shared with another workspace does), where a 409 told A that B has it.
     */
    @Test
    void anEmailOfAnotherWorkspacesMemberIsNoConflictInA() {
        String aMember = created(a.apiTokenAuthorization(), "/Users", user(TAG + "-a-taker@example.com", "end-user"));
        HttpResponse<String> taken = send(a.apiTokenAuthorization(), "PATCH", "/Users/" + aMember, "{" + PATCH_OP
                + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                + "\"value\":\"" + bUserName.toUpperCase(java.util.Locale.ROOT) + "\"}]}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        assertThat(json(taken).at("/emails/0/value").asText()).isEqualToIgnoringCase(bUserName);
        // Its person kept an address of its own: the member's later writes leave it so, and pass.
        HttpResponse<String> renamed = send(a.apiTokenAuthorization(), "PATCH", "/Users/" + aMember, "{" + PATCH_OP
                + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\"Other\"},"
                + "{\"op\":\"replace\",\"path\":\"active\",\"value\":\"False\"}]}");
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        HttpResponse<String> free = send(a.apiTokenAuthorization(), "PATCH", "/Users/" + aMember, "{" + PATCH_OP
                + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                + "\"value\":\"" + TAG + "-nobody@example.com\"}]}");
        assertThat(free.statusCode()).as(free.body()).isEqualTo(200);
    }

    /** Within one workspace the address is unique; a member who left lets it go to another. */
    @Test
    void anEmailIsUniqueInTheWorkspaceAndALeaversGoesToWhoeverTakesIt() {
        String holder = TAG + "-a-holder@example.com";
        created(a.apiTokenAuthorization(), "/Users", user(holder, "end-user"));
        String leaver = TAG + "-a-leaver@example.com";
        String leaverId = created(a.apiTokenAuthorization(), "/Users", user(leaver, "end-user"));
        String other = created(a.apiTokenAuthorization(), "/Users", user(TAG + "-a-other@example.com", "end-user"));
        String setEmail = "{" + PATCH_OP + ",\"Operations\":[{\"op\":\"replace\",\"path\":\"emails[type eq "
                + "\\\"work\\\"].value\",\"value\":\"%s\"}]}";
        assertScimError(send(a.apiTokenAuthorization(), "PATCH", "/Users/" + other, setEmail.formatted(holder)), 409,
                "uniqueness");

        assertThat(send(a.apiTokenAuthorization(), "DELETE", "/Users/" + leaverId, null).statusCode()).isEqualTo(204);
        HttpResponse<String> taken = send(a.apiTokenAuthorization(), "PATCH", "/Users/" + other,
                setEmail.formatted(leaver));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
        assertScimError(send(a.apiTokenAuthorization(), "POST", "/Users", user(TAG + "-a-again", "end-user")
                .replace(TAG + "-a-again\",\"type", leaver + "\",\"type")), 409, "uniqueness");
    }

    private static String user(String userName, String role) {
        return "{\"userName\":\"" + userName + "\",\"name\":{\"givenName\":\"Iso\",\"familyName\":\"Lation\"},"
                + "\"emails\":[{\"value\":\"" + userName + "\",\"type\":\"work\",\"primary\":true}],"
                + "\"urn:ietf:params:scim:schemas:extension:tooljet:User:2.0\":{\"role\":\"" + role + "\"}}";
    }

    private static String created(String authorization, String path, String body) {
        HttpResponse<String> response = send(authorization, "POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("id").asText();
    }

    private static HttpResponse<String> send(String authorization, String method, String path, String body) {
        return server.send(method, path, body, Map.of("Authorization", authorization));
    }
}
