package dev.scimserver.http.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding a stored object's members in its text, and copying them into an object being written. */
class StoredTextTest {
    private static final StoredText.Names SHOWN = StoredText.Names.of(
            Set.of("userName", "name", "emails", "title", "active"));

    @Test
    void findsTheMembersOfTheDatabasesText() {
        String stored = "{\"name\": {\"givenName\": \"Ada\", \"familyName\": \"Love}lace\"}, \"title\": \"a, \\\"b\\\" [c]\","
                + " \"emails\": [{\"type\": \"work\", \"value\": \"ada@example.com\", \"primary\": true}], "
                + "\"active\": false, \"userName\": \"ada\\\\{x\"}";

        StoredText.Members members = members(stored, SHOWN);

        assertThat(members).isNotNull();
        assertThat(members.names()).containsExactlyInAnyOrder("name", "title", "emails", "active", "userName");
        assertThat(written(members)).isEqualTo(ScimJson.parse(
                ("{'id': 'x', 'name': {'givenName': 'Ada', 'familyName': 'Love}lace'}, 'title': 'a, \\\"b\\\" [c]',"
                        + " 'emails': [{'type': 'work', 'value': 'ada@example.com', 'primary': true}],"
                        + " 'active': false, 'userName': 'ada\\\\{x', 'last': 1}").replace('\'', '"').getBytes()));
    }

    @Test
    void anEmptyObjectHasNoMembersAndWritesNothing() throws IOException {
        StoredText.Members members = members(" { } ", SHOWN);

        assertThat(members).isNotNull();
        assertThat(members.names()).isEmpty();
        assertThat(written(members)).isEqualTo(ScimJson.parse("{\"id\": \"x\", \"last\": 1}".getBytes()));
    }

    @Test
    void jacksonsCompactTextReadsTheSame() {
        String stored = ScimJson.parse("{\"userName\":\"a\",\"emails\":[{\"value\":\"a@x\"}],\"active\":true}".getBytes())
                .toString();

        assertThat(members(stored, SHOWN).names()).containsExactlyInAnyOrder("userName", "emails", "active");
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
        assertThat(members(stored, SHOWN)).isNull();
    }

    @Test
    void namesAreMatchedExactly() {
        assertThat(members("{\"username\": \"a\"}", SHOWN)).isNull();
        assertThat(members("{\"userNam\": \"a\"}", SHOWN)).isNull();
        assertThat(members("{\"userName\": \"a\"}", StoredText.Names.of(Set.of("userName"))).names())
                .isEqualTo(List.of("userName"));
    }

    @Test
    void textOutsideAsciiIsCopiedAsItsBytes() {
        String stored = "{\"name\": {\"givenName\": \"Bärbel \u201c\u00e9\u201d \ud83d\ude00\"}, \"title\": \"\u6771\u4eac\"}";

        StoredText.Members members = members(stored, SHOWN);

        assertThat(members.has("name")).isTrue();
        assertThat(members.has("userName")).isFalse();
        assertThat(written(members).path("name").path("givenName").asText()).isEqualTo("Bärbel \u201c\u00e9\u201d \ud83d\ude00");
        assertThat(written(members).path("title").asText()).isEqualTo("\u6771\u4eac");
    }

    /**
     * Strings of every length up to twenty bytes, with quotes, backslashes and text outside ASCII at
     * every place, escaped as PostgreSQL and Jackson escape them: each is found whole wherever it falls
     * against the eight bytes the scan looks at together.
     */
    @Test
    void escapesAnywhereInAStringOfAnyLengthAreSkipped() {
        SplittableRandom random = new SplittableRandom(39);
        String[] pieces = {"a", "Z", "\"", "\\", "/", "\u0001", "é", "😀", " ", "{", "]", ",", ":"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder title = new StringBuilder();
            for (int n = random.nextInt(21); n > 0; n--) {
                title.append(pieces[random.nextInt(pieces.length)]);
            }
            ObjectNode stored = ScimJson.MAPPER.createObjectNode();
            stored.put("title", title.toString()).putArray("emails").addObject().put("value", title + "@x");
            stored.put("userName", "u".repeat(random.nextInt(9)));
            String text = random.nextBoolean() ? stored.toString() : stored.toPrettyString();

            StoredText.Members members = members(text, SHOWN);

            assertThat(members).as(text).isNotNull();
            assertThat(members.names()).as(text).containsExactlyInAnyOrder("title", "emails", "userName");
            assertThat(written(members).path("title").asText()).as(text).isEqualTo(title.toString());
            assertThat(written(members).path("emails").path(0).path("value").asText()).isEqualTo(title + "@x");
        }
    }

    @Test
    void aStringThatNeverClosesIsNoObject() {
        for (int length = 0; length < 20; length++) {
            assertThat(members("{\"title\": \"" + "x".repeat(length), SHOWN)).isNull();
            assertThat(members("{\"title\": \"" + "x".repeat(length) + "\\\"", SHOWN)).isNull();
            assertThat(members("{\"title\": \"" + "x".repeat(length) + "\\", SHOWN)).isNull();
        }
    }

    @Test
    void moreNamesThanAMaskHoldsAreRefused() {
        Set<String> many = new HashSet<>();
        for (int i = 0; i < 65; i++) {
            many.add("n" + i);
        }
        assertThatThrownBy(() -> StoredText.Names.of(many))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64");
    }

    private static StoredText.Members members(String stored, StoredText.Names shown) {
        return StoredText.members(stored.getBytes(StandardCharsets.UTF_8), shown);
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
