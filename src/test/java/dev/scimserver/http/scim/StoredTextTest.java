package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding a stored object's members in its text, and copying them into an object being written. */
class StoredTextTest {
    private static final Set<String> SHOWN = Set.of("userName", "name", "emails", "title", "active");

    @Test
    void findsTheMembersOfTheDatabasesText() {
        String stored = "{\"name\": {\"givenName\": \"Ada\", \"familyName\": \"Love}lace\"}, \"title\": \"a, \\\"b\\\" [c]\","
                + " \"emails\": [{\"type\": \"work\", \"value\": \"ada@example.com\", \"primary\": true}], "
                + "\"active\": false, \"userName\": \"ada\\\\{x\"}";

        StoredText.Members members = StoredText.members(stored, SHOWN);

        assertThat(members).isNotNull();
        assertThat(members.names()).containsExactly("name", "title", "emails", "active", "userName");
        assertThat(written(members)).isEqualTo(ScimJson.parse(
                ("{'id': 'x', 'name': {'givenName': 'Ada', 'familyName': 'Love}lace'}, 'title': 'a, \\\"b\\\" [c]',"
                        + " 'emails': [{'type': 'work', 'value': 'ada@example.com', 'primary': true}],"
                        + " 'active': false, 'userName': 'ada\\\\{x', 'last': 1}").replace('\'', '"').getBytes()));
    }

    @Test
    void anEmptyObjectHasNoMembersAndWritesNothing() throws IOException {
        StoredText.Members members = StoredText.members(" { } ", SHOWN);

        assertThat(members).isNotNull();
        assertThat(members.names()).isEmpty();
        assertThat(written(members)).isEqualTo(ScimJson.parse("{\"id\": \"x\", \"last\": 1}".getBytes()));
    }

    @Test
    void jacksonsCompactTextReadsTheSame() {
        String stored = ScimJson.parse("{\"userName\":\"a\",\"emails\":[{\"value\":\"a@x\"}],\"active\":true}".getBytes())
                .toString();

        assertThat(StoredText.members(stored, SHOWN).names()).containsExactly("userName", "emails", "active");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"userName\": \"a\", \"password\": \"secret\"}",
            "{\"user\\u004eame\": \"a\"}",
            "[{\"userName\": \"a\"}]",
            "\"userName\"",
            "{\"userName\": \"a\"} {\"title\": \"b\"}",
            "{\"userName\": \"a\""})
    void anythingButAnObjectOfShownMembersIsLeftToTheTree(String stored) {
        assertThat(StoredText.members(stored, SHOWN)).isNull();
    }

    @Test
    void namesAreMatchedExactly() {
        assertThat(StoredText.members("{\"username\": \"a\"}", SHOWN)).isNull();
        assertThat(StoredText.members("{\"userName\": \"a\"}", Set.of("userName")).names()).isEqualTo(List.of("userName"));
    }

    /** The members written into an object between a member before them and one after. */
    private static JsonNode written(StoredText.Members members) {
        return ScimJson.parse(ScimJson.write(out -> writeBetween(out, members)));
    }

    private static void writeBetween(JsonGenerator out, StoredText.Members members) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", "x");
        members.writeInto(out);
        out.writeNumberField("last", 1);
        out.writeEndObject();
    }
}
