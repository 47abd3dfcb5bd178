package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * userName, the addresses of emails and a Group's displayName name someone to people and to the
 * other systems, so two spellings that look the same are one name: they are kept trimmed and in
 * Unicode NFC, and filter values compared with them are read the same way.
 */
class CanonicalNamesContractTest {
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    /** é as one code point, and as e followed by the combining acute accent. */
    private static final String COMPOSED = "\u00e9";
    private static final String DECOMPOSED = "e\u0301";

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String filter(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static JsonNode only(Exchange list) {
        JsonNode page = list.expect(200);
        assertThat(page.path("totalResults").asInt()).as(list.describe()).isEqualTo(1);
        return page.path("Resources").get(0);
    }

    @Test
    void aUserNameIsStoredTrimmedSoATrailingSpaceNamesTheSameUser() {
        String userName = "ada-" + run() + "@example.com";
        JsonNode created = Exchange.post("/Users", "{\"userName\":\"  " + userName + " \"}").expect(201);
        assertThat(created.path("userName").asText()).isEqualTo(userName);
        Exchange again = Exchange.post("/Users", "{\"userName\":\"" + userName + "\\t\"}");
        assertThat(again.expect(409).path("scimType").asText()).isEqualTo("uniqueness");
        assertThat(only(Exchange.get("/Users?filter=" + filter("userName eq \"" + userName + " \""))).path("id")
                .asText()).isEqualTo(created.path("id").asText());
    }

    @Test
    void composedAndDecomposedFormsOfAUserNameAreOneUser() {
        String local = "ren" + COMPOSED + "-" + run();
        JsonNode created = Exchange.post("/Users", "{\"userName\":\"" + local.replace(COMPOSED, DECOMPOSED)
                + "@example.com\"}").expect(201);
        assertThat(created.path("userName").asText()).isEqualTo(local + "@example.com");
        Exchange.post("/Users", "{\"userName\":\"" + local + "@example.com\"}").expect(409);
        assertThat(only(Exchange.get("/Users?filter=" + filter("userName eq \"" + local.replace(COMPOSED, DECOMPOSED)
                + "@EXAMPLE.com\""))).path("id").asText()).isEqualTo(created.path("id").asText());
        assertThat(only(Exchange.get("/Users?filter=" + filter("userName sw \"" + local.replace(COMPOSED, DECOMPOSED)
                + "\""))).path("id").asText()).isEqualTo(created.path("id").asText());
    }

    @Test
    void anEmailIsStoredCanonicalSoItKeysTheSamePersonAndMatchesFilters() {
        String address = "ev" + COMPOSED + "-" + run() + "@example.com";
        JsonNode created = Exchange.post("/Users", "{\"userName\":\"eva-" + run() + "\",\"emails\":[{\"value\":\" "
                + address.replace(COMPOSED, DECOMPOSED) + "\",\"type\":\"work\",\"primary\":true}]}").expect(201);
        String id = created.path("id").asText();
        assertThat(created.path("emails").get(0).path("value").asText()).isEqualTo(address);
        // The person is keyed by its email: another user with the same address, spelled otherwise, conflicts.
        Exchange.post("/Users", "{\"userName\":\"other-" + run() + "\",\"emails\":[{\"value\":\"" + address
                + " \",\"primary\":true}]}").expect(409);
        assertThat(only(Exchange.get("/Users?filter=" + filter("emails.value eq \"" + address.replace(COMPOSED,
                DECOMPOSED) + " \""))).path("id").asText()).isEqualTo(id);
        assertThat(only(Exchange.get("/Users?filter=" + filter("emails[type eq \"work\" and value eq \" " + address
                + "\"]"))).path("id").asText()).isEqualTo(id);
        // A PATCH value filter reads its value the same way, so it selects the stored address.
        JsonNode patched = Exchange.patch("/Users/" + id, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":"
                + "\"replace\",\"path\":\"emails[value eq \\\"" + address.replace(COMPOSED, DECOMPOSED)
                + " \\\"].type\",\"value\":\"home\"}]}").expect(200);
        assertThat(patched.path("emails")).hasSize(1);
        assertThat(patched.path("emails").get(0).path("type").asText()).isEqualTo("home");
        // Adding the same email with its address spelled otherwise adds nothing.
        JsonNode added = Exchange.patch("/Users/" + id, "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[{\"op\":"
                + "\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"" + address.replace(COMPOSED, DECOMPOSED)
                + " \",\"type\":\"home\",\"primary\":true}]}]}").expect(200);
        assertThat(added.path("emails")).hasSize(1);
    }

    @Test
    void aGroupDisplayNameIsStoredCanonical() {
        String name = "Caf" + COMPOSED + " " + run();
        JsonNode created = Exchange.post("/Groups", "{\"displayName\":\"" + name.replace(COMPOSED, DECOMPOSED)
                + "  \"}").expect(201);
        assertThat(created.path("displayName").asText()).isEqualTo(name);
        Exchange.post("/Groups", "{\"displayName\":\" " + name + "\"}").expect(409);
        assertThat(only(Exchange.get("/Groups?filter=" + filter("displayName eq \"" + name.replace(COMPOSED,
                DECOMPOSED) + "\""))).path("id").asText()).isEqualTo(created.path("id").asText());
        // A role's name with spaces around it is still a role's name.
        assertThat(Exchange.post("/Groups", "{\"displayName\":\" admin \"}").expect(400).path("scimType").asText())
                .isEqualTo("invalidValue");
    }

    /** White space that String.strip() keeps: the no-break spaces and NEL. */
    @Test
    void noBreakSpacesAtTheEndsOfANameAreTrimmedAsOtherWhiteSpace() {
        for (String space : new String[] {"\u00a0", "\u2007", "\u202f", "\u0085"}) {
            String userName = "nb-" + run() + "@example.com";
            String address = "nb-" + run() + "@example.com";
            JsonNode created = Exchange.post("/Users", "{\"userName\":\"" + userName + space
                    + "\",\"emails\":[{\"value\":\"" + space + " " + address + "\",\"primary\":true}]}").expect(201);
            assertThat(created.path("userName").asText()).isEqualTo(userName);
            assertThat(created.path("emails").get(0).path("value").asText()).isEqualTo(address);
            assertThat(Exchange.post("/Users", "{\"userName\":\"" + space + userName + "\"}").expect(409)
                    .path("scimType").asText()).isEqualTo("uniqueness");
            assertThat(only(Exchange.get("/Users?filter=" + filter("userName eq \"" + userName + space + "\"")))
                    .path("id").asText()).isEqualTo(created.path("id").asText());
            String group = "Eng " + run();
            Exchange.post("/Groups", "{\"displayName\":\"" + group + space + "\"}").expect(201);
            Exchange.post("/Groups", "{\"displayName\":\"" + group + "\"}").expect(409);
        }
    }

    @Test
    void aUserDisplayNameAndExternalIdStayAsSent() {
        String externalId = " ext-" + run() + " ";
        String displayName = "Ren" + DECOMPOSED + " " + run() + " ";
        JsonNode created = Exchange.post("/Users", "{\"userName\":\"as-sent-" + run() + "\",\"externalId\":\""
                + externalId + "\",\"displayName\":\"" + displayName + "\"}").expect(201);
        assertThat(created.path("externalId").asText()).isEqualTo(externalId);
        assertThat(created.path("displayName").asText()).isEqualTo(displayName);
    }
}
