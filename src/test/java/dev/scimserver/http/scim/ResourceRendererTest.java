package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.scimserver.directory.Member;
import dev.scimserver.directory.MemberRef;
import dev.scimserver.directory.MemberStatus;
import dev.scimserver.directory.Role;
import dev.scimserver.directory.StoredAttributes;
import dev.scimserver.directory.UserView;
import dev.scimserver.scim.Projection;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.scim.ScimUrns;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A User resource (RFC 7643 §4.1) as written from its stored attributes: copied as the database's text
 * when every stored member is one a User shows, walked as a tree when not, the same resource either way.
 */
class ResourceRendererTest {
    private static final UUID ID = UUID.fromString("2819c223-7f76-453a-919d-413861904646");
    private static final UUID GROUP = UUID.fromString("e9e30dba-f08f-4109-8486-d5c6a331660a");
    private static final String BASE = "https://scim.example.com/api/scim/v2";
    /** As PostgreSQL writes jsonb: its own key order, a space after each colon and comma. */
    private static final String STORED = "{\"name\": {\"givenName\": \"Barbara\", \"familyName\": \"Jen}sen\"}, "
            + "\"title\": \"Tour \\\"Guide\\\", [lead]\", \"emails\": [{\"type\": \"work\", \"value\": \"b@example.com\", "
            + "\"primary\": true}], \"userName\": \"bjensen\", \"externalId\": \"ext-1\", \"displayName\": \"Bäbs 😀\", "
            + "\"" + ScimUrns.ENTERPRISE_USER + "\": {\"manager\": {\"value\": \"m-1\"}, \"employeeNumber\": \"701984\"}}";

    @Test
    void storedAttributesAreCopiedIntoTheResourceWhole() {
        JsonNode written = write(user(STORED), Projection.all(ScimSchemas.get().users()));

        assertThat(written).isEqualTo(expected());
    }

    @Test
    void aStoredMemberNoUserShowsIsLeftOutAndTheRestWalked() {
        String withOthers = STORED.substring(0, STORED.length() - 1) + ", \"schemas\": [\"x\"], \"nickname\": \"b\", "
                + "\"active\": false, \"groups\": [{\"value\": \"g\"}], \"" + ScimUrns.TOOLJET_USER + "\": {\"role\": \"admin\"}}";

        JsonNode written = write(user(withOthers), Projection.all(ScimSchemas.get().users()));

        assertThat(written).isEqualTo(expected());
        assertThat(fieldNames(written)).startsWith("schemas", "id", "externalId", "userName", "name", "displayName",
                "title", "emails", ScimUrns.ENTERPRISE_USER, "active", "groups", ScimUrns.TOOLJET_USER, "meta");
    }

    @Test
    void theTreeAndTheWrittenResourceAgree() {
        UserView user = user(STORED);

        assertThat(ResourceRenderer.user(user, BASE)).isEqualTo(expected());
    }

    @Test
    void aProjectionCutsTheResourceAsWritten() {
        Projection projection = Projection.of(ScimSchemas.get().users(), "userName,emails.value", null);

        JsonNode written = write(user(STORED), projection);

        assertThat(written).isEqualTo(ScimJson.parse(("{'schemas': ['" + ScimUrns.USER + "', '" + ScimUrns.ENTERPRISE_USER
                + "', '" + ScimUrns.TOOLJET_USER + "'], 'id': '" + ID + "', 'userName': 'bjensen', "
                + "'emails': [{'value': 'b@example.com'}]}").replace('\'', '"').getBytes()));
    }

    @Test
    void aBaseUrlWithWhatJsonEscapesKeepsItInEveryLocation() {
        String base = "https://scim.example.com/a\"b\\c\u00e9\u2028/api/scim/v2";

        JsonNode written = write(user(STORED), Projection.all(ScimSchemas.get().users()), base);

        assertThat(written.at("/meta/location").asText()).isEqualTo(base + "/Users/" + ID);
        assertThat(written.at("/groups/0/$ref").asText()).isEqualTo(base + "/Groups/" + GROUP);
        assertThat(written.at("/groups/0/value").asText()).isEqualTo(GROUP.toString());
    }

    private static JsonNode write(UserView user, Projection projection) {
        return write(user, projection, BASE);
    }

    private static JsonNode write(UserView user, Projection projection, String base) {
        return ScimJson.parse(ScimJson.write(out -> ResourceRenderer.writeUser(out, user, Locations.of(base),
                projection)));
    }

    private static UserView user(String stored) {
        Instant created = Instant.parse("2026-01-02T03:04:05.123456Z");
        Member member = new Member(ID, "bjensen", "ext-1", "Bäbs 😀", Role.BUILDER,
                MemberStatus.ARCHIVED, StoredAttributes.ofUtf8(stored.getBytes(StandardCharsets.UTF_8)), 7, created, created.plusSeconds(60), Role.BUILDER);
        return new UserView(member, List.of(new MemberRef(GROUP, "Tour Guides")));
    }

    private static ObjectNode expected() {
        ObjectNode resource = (ObjectNode) ScimJson.parse(("{'schemas': ['" + ScimUrns.USER + "', '"
                + ScimUrns.ENTERPRISE_USER + "', '" + ScimUrns.TOOLJET_USER + "'], 'id': '" + ID + "', "
                + "'externalId': 'ext-1', 'userName': 'bjensen', "
                + "'name': {'givenName': 'Barbara', 'familyName': 'Jen}sen'}, 'displayName': 'Bäbs 😀', "
                + "'title': 'Tour \\\"Guide\\\", [lead]', "
                + "'emails': [{'type': 'work', 'value': 'b@example.com', 'primary': true}], 'active': false, "
                + "'groups': [{'value': '" + GROUP + "', '$ref': '" + BASE + "/Groups/" + GROUP + "', "
                + "'display': 'Tour Guides', 'type': 'direct'}], "
                + "'" + ScimUrns.ENTERPRISE_USER + "': {'manager': {'value': 'm-1'}, 'employeeNumber': '701984'}, "
                + "'" + ScimUrns.TOOLJET_USER + "': {'role': 'builder'}, "
                + "'meta': {'resourceType': 'User', 'created': '2026-01-02T03:04:05.123456Z', "
                + "'lastModified': '2026-01-02T03:05:05.123456Z', 'location': '" + BASE + "/Users/" + ID + "', "
                + "'version': 'W/\\\"7\\\"'}}").replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return resource;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
