package dev.scimserver.activity;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.access.SecretFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** What the log keeps of a body or a query: the secret {@code S3cr3t} never, whatever its place. */
class RedactionTest {
    private static final String SECRET = "S3cr3t";

    private static String body(String text, String contentType) {
        return Redaction.body(text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    @Test
    void secretsInJsonAreRedactedAtAnyDepthAndInAnyCase() {
        String[] bodies = {
            "{\"password\":\"S3cr3t\"}",
            "{\"PassWord\":\"S3cr3t\",\"userName\":\"ada\"}",
            "{\"a\":[{\"b\":{\"PASSWORD\":\"S3cr3t\"}}]}",
            "{\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"S3cr3t\"}]}",
            "{\"Operations\":[{\"value\":\"S3cr3t\",\"op\":\"replace\",\"path\":\"PASSWORD\"}]}",
            "{\"Operations\":[{\"op\":\"add\",\"value\":{\"password\":\"S3cr3t\"}}]}",
            "{\"Operations\":[{\"data\":{\"password\":{\"nested\":\"S3cr3t\"}}}]}",
            "{\"access_token\":\"S3cr3t\",\"token_type\":\"Bearer\"}",
            "{\"client_secret\":\"S3cr3t\"}",
            "{\"filter\":\"password eq \\\"S3cr3t\\\"\"}",
            "{\"userName\":\"x\",\"password\":\"S3cr3t\",",
            "password=S3cr3t",
            "{\"\\u0070assword\":\"S3cr3t\"}",
            "{\"to\u212Aen\":\"S3cr3t\"}",
            // Java's equalsIgnoreCase, as the schema matches names, takes the long s for an s.
            "{\"pa\u017F\u017Fword\":\"S3cr3t\"}",
            "{\"Operations\":[{\"op\":\"replace\",\"Path\":\"password\",\"value\":\"S3cr3t\"}]}",
            "{\"Operations\":[{\"op\":\"replace\",\"PATH\":\"pa\u017F\u017Fword\",\"value\":\"S3cr3t\"}]}",
            // A name given twice: a tree keeps the last, which would hide the path that named the password.
            "{\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"S3cr3t\",\"path\":\"displayName\"}]}",
            // Not JSON (a trailing comma), the name spelt with an escape.
            "{\"userName\":\"x\",\"pa\\u0073sword\":\"S3cr3t\",}",
            "{\"userName\":\"x\",\"pa\\u0000ssword\":\"S3cr3t\",}",
            // A PATCH path's filter compares a password with a value.
            "{\"Operations\":[{\"op\":\"remove\",\"path\":\"emails[value eq \\\"x\\\" or password eq \\\"S3cr3t\\\"]\"}]}",
            // A path or a filter that is not a string is refused, but what it came with was sent.
            "{\"Operations\":[{\"op\":\"replace\",\"path\":[\"password\"],\"value\":\"S3cr3t\"}]}",
            "{\"Operations\":[{\"op\":\"replace\",\"path\":{\"name\":\"password\"},\"value\":\"S3cr3t\"}]}",
            "{\"Operations\":[{\"op\":\"remove\",\"path\":[\"emails[password eq \\\"S3cr3t\\\"]\"]}]}",
            "{\"filter\":[\"password eq \\\"S3cr3t\\\"\"]}",
            // JSON sent as a string (a Bulk operation's data, refused): what it holds was sent all the same.
            "{\"Operations\":[{\"method\":\"POST\",\"data\":\"{\\\"password\\\":\\\"S3cr3t\\\"}\"}]}",
            "{\"data\":\" [{\\\"value\\\":{\\\"PassWord\\\":\\\"S3cr3t\\\"}}]\"}",
            "{\"data\":\"{\\\"password\\\":\\\"S3cr3t\\\"\"}",
            // A filter sent as a PATCH path, without brackets, and a Bulk operation's path with a query.
            "{\"Operations\":[{\"op\":\"remove\",\"path\":\"password eq \\\"S3cr3t\\\"\"}]}",
            "{\"Operations\":[{\"method\":\"DELETE\",\"path\":\"/Users?filter=password%20eq%20S3cr3t\"}]}",
            "{\"Operations\":[{\"op\":\"remove\",\"path\":\"password eq S3cr3t\"}]}",
        };
        for (String text : bodies) {
            assertThat(body(text, "application/scim+json")).as(text).doesNotContain(SECRET);
        }
        assertThat(body("{\"userName\":\"ada\",\"password\":\"S3cr3t\"}", null))
                .isEqualTo("{\"userName\":\"ada\",\"password\":\"[REDACTED]\"}");
        assertThat(body("{\"userName\":\"ada\"", null)).as("not JSON, but nothing secret in it")
                .isEqualTo("{\"userName\":\"ada\"");
        assertThat(body("{\"data\":\"{\\\"userName\\\":\\\"ada\\\",\\\"password\\\":\\\"S3cr3t\\\"}\"}", null))
                .as("JSON in a string, redacted as JSON").isEqualTo(
                        "{\"data\":\"{\\\"userName\\\":\\\"ada\\\",\\\"password\\\":\\\"[REDACTED]\\\"}\"}");
        assertThat(body("{\"title\":\"Token Ring engineer\"}", null)).as("a secret's word in a string that is no JSON")
                .isEqualTo("{\"title\":\"Token Ring engineer\"}");
        assertThat(body("{\"title\":\"{Token} Ring engineer\"}", null))
                .as("what only looks like JSON, and may be a cut one that holds a secret, is withheld")
                .isEqualTo("{\"title\":\"[REDACTED]\"}");
        // A path that names the password without a filter names the attribute only.
        assertThat(body("{\"Operations\":[{\"op\":\"replace\",\"path\":\"password\",\"value\":\"S3cr3t\"}]}", null))
                .contains("\"path\":\"password\"");
    }

    /**
     * A secret this server issued is withheld by its prefix wherever it stands: a client that swapped
     * its client id and secret, pasted a token into a userName or sent one as a parameter's name.
     */
    @Test
    void anIssuedSecretIsRedactedWhateverHoldsIt() {
        String token = "scim_tok_" + "Ab3-_x".repeat(7) + "Z";
        String secret = "scim_sec_" + "Q9w_-e".repeat(7) + "Y";
        assertThat(Arrays.stream(SecretFormat.values()).allMatch(format -> Redaction.ISSUED_SECRET_PREFIXES.stream()
                .anyMatch(prefix -> format.fits(prefix + "A".repeat(43))))).as("every kind of secret issued").isTrue();
        for (String issued : List.of(token, secret)) {
            String[] bodies = {
                "{\"userName\":\"" + issued + "\"}",
                "{\"emails\":[{\"value\":\"x@example.com\"},{\"value\":\"" + issued + "\"}]}",
                "{\"members\":[\"" + issued + "\"]}",
                "{\"" + issued + "\":true,\"userName\":\"ada\"}",
                "{\"userName\":\"" + issued.toUpperCase(Locale.ROOT) + "\"}",
                "{\"userName\":\"" + issued + "\",}",
                "{\"userName\":\"" + issued.replace("_", "\\u005f") + "\"}",
            };
            for (String text : bodies) {
                assertThat(body(text, "application/scim+json")).as(text).doesNotContainIgnoringCase(issued.substring(9));
            }
            assertThat(body("{\"userName\":\"ada\",\"title\":\"" + issued + "\"}", null))
                    .isEqualTo("{\"userName\":\"ada\",\"title\":\"[REDACTED]\"}");
            assertThat(body("grant_type=client_credentials&client_id=" + issued + "&client_secret=scim_cli_x",
                    "application/x-www-form-urlencoded")).doesNotContain(issued.substring(9))
                    .contains("grant_type=client_credentials");
            assertThat(body(issued + "=1&x=2", "application/x-www-form-urlencoded")).doesNotContain(issued);
            assertThat(Redaction.query("filter=userName%20eq%20%22" + issued + "%22&count=1"))
                    .doesNotContain(issued.substring(9)).contains("count=1");
            assertThat(Redaction.query(issued + "&" + issued + "=1")).doesNotContain(issued.substring(9));
            assertThat(Redaction.head(("{\"Resources\":[{\"userName\":\"" + issued + "\",\"" + issued
                    + "\":1},{\"userName\":\"kept\",\"displ").getBytes(StandardCharsets.UTF_8)))
                    .doesNotContain(issued.substring(9)).contains("\"userName\":\"kept\"");
        }
        assertThat(body("{\"clientId\":\"scim_cli_abc\"}", null)).as("a client id is no secret")
                .isEqualTo("{\"clientId\":\"scim_cli_abc\"}");
    }

    @Test
    void aBodyWithNothingToRedactIsKeptAsSent() {
        String sent = "{ \"userName\": \"ada\",\n  \"active\": true }";
        assertThat(Redaction.nothingToRedact(sent.getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(body(sent, null)).isEqualTo(sent);
        for (String unsure : new String[] {"{\"x\":\"\\u0041\"}", "{\"Tokens\":1}", "{\"to\u212Aen\":1}",
                "{\"a\\\\\":\"\\u0070\"}", "{\"x\":\"\\q\"}", "{\"x\":\"cut after a backslash\\", "\\"}) {
            assertThat(Redaction.nothingToRedact(unsure.getBytes(StandardCharsets.UTF_8))).as(unsure).isFalse();
        }
    }

    /**
     * The scan finds each word it looks for in any case, at the start, in the middle and at the very
     * end of a body, and after a false start of the same letters; a word cut short by the body's end
     * or by another letter is nothing to redact.
     */
    @Test
    void everyWordIsFoundWhereverItStandsAndInAnyCase() {
        for (String word : new String[] {"passw", "secret", "token", "assertion", "authorization"}) {
            String mixed = word.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + word.substring(1, 3)
                    + word.substring(3).toUpperCase(java.util.Locale.ROOT);
            for (String spelled : new String[] {word, word.toUpperCase(java.util.Locale.ROOT), mixed}) {
                for (String body : new String[] {spelled + "\":1}", "{\"x" + spelled + "y\":1}", "{\"x\":\"" + spelled,
                        "{\"" + word.substring(0, 2) + spelled + "\":1}", "{\"" + word.charAt(0) + spelled + "\":1}"}) {
                    assertThat(Redaction.nothingToRedact(body.getBytes(StandardCharsets.UTF_8))).as(body).isFalse();
                }
            }
            String cut = word.substring(0, word.length() - 1);
            for (String body : new String[] {"{\"x\":\"" + cut, "{\"" + cut + "_" + word.charAt(word.length() - 1)
                    + "\":1}"}) {
                assertThat(Redaction.nothingToRedact(body.getBytes(StandardCharsets.UTF_8))).as(body).isTrue();
            }
        }
    }

    /**
     * An entity tag's quotes and any other escape that spells no letter, and letters outside ASCII
     * that lower-case to none, cannot hide a secret's name: the body is kept as sent, unparsed. Every
     * user and group answer holds such an escape in its meta.version.
     */
    @Test
    void escapesAndLettersThatSpellNoAsciiLetterNeedNoParsing() {
        for (String sure : new String[] {"{\"version\":\"W/\\\"1\\\"\"}", "{\"name\":\"José Ñandú\"}",
                "{\"x\":\"a\\\\u0070\\/\\b\\f\\n\\r\\t\"}", "{\"x\":\"cut after an escaped backslash\\\\"}) {
            assertThat(Redaction.nothingToRedact(sure.getBytes(StandardCharsets.UTF_8))).as(sure).isTrue();
            assertThat(body(sure, null)).isEqualTo(sure);
        }
    }

    /** The list of characters the byte scan watches for is whole: no other lower-cases to an ASCII letter. */
    @Test
    void everyCharacterOutsideAsciiThatLowerCasesIntoAsciiIsWatched() {
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            String lower = new String(Character.toChars(cp)).toLowerCase(java.util.Locale.ROOT);
            if (lower.chars().anyMatch(c -> c < 0x80)) {
                byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                assertThat(Redaction.nothingToRedact(("{\"" + new String(utf8, StandardCharsets.UTF_8) + "\":1}")
                        .getBytes(StandardCharsets.UTF_8))).as("U+%04X", cp).isFalse();
            }
        }
    }

    @Test
    void everyCharacterOutsideAsciiThatMatchesAnAsciiLetterIgnoringCaseIsWatched() {
        for (int cp = 0x80; cp <= 0xFFFF; cp++) {
            String letter = String.valueOf((char) cp);
            for (char ascii = 'a'; ascii <= 'z'; ascii++) {
                if (letter.equalsIgnoreCase(String.valueOf(ascii))) {
                    assertThat(Redaction.nothingToRedact(("{\"" + letter + "\":1}").getBytes(StandardCharsets.UTF_8)))
                            .as("U+%04X", cp).isFalse();
                    assertThat(Redaction.isSecret("password".replace(ascii, (char) cp))
                            || "password".indexOf(ascii) < 0).as("U+%04X in password", cp).isTrue();
                }
            }
        }
    }

    @Test
    void aBodyInUtf16IsReadAsJsonOrWithheld() {
        String json = "{\"userName\":\"ada\",\"password\":\"S3cr3t\"}";
        for (java.nio.charset.Charset charset : new java.nio.charset.Charset[] {StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16BE, StandardCharsets.UTF_16}) {
            assertThat(Redaction.body(json.getBytes(charset), "application/scim+json")).as(charset.name())
                    .doesNotContain(SECRET).contains("[REDACTED]");
            assertThat(Redaction.body("userName: ada, password: S3cr3t".getBytes(charset), null))
                    .as(charset.name() + ", not JSON")
                    .isEqualTo(Redaction.WITHHELD);
        }
    }

    @Test
    void aFormKeepsItsParametersButTheSecretOnes() {
        String form = body("grant_type=client_credentials&client_id=abc&client_secret=S3cr3t&Client_Secret=S3cr3t",
                "application/x-www-form-urlencoded; charset=UTF-8");
        assertThat(form).doesNotContain(SECRET).startsWith("grant_type=client_credentials&client_id=abc&client_secret=");
        String assertion = "grant_type=authorization_code&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3A"
                + "client-assertion-type%3Ajwt-bearer&client_assertion=eyJ.S3cr3t";
        assertThat(body(assertion, "application/x-www-form-urlencoded")).as("the token endpoint's own values are kept")
                .doesNotContain(SECRET).startsWith(assertion.substring(0, assertion.indexOf("&client_assertion=")));
        for (String text : new String[] {"{\"client_secret\":\"S3cr3t\"}", "x={\"password\":\"S3cr3t\"}",
                "a=1&{\"password\":\"S3cr3t\"}"}) {
            assertThat(body(text, "application/x-www-form-urlencoded")).as(text).doesNotContain(SECRET);
        }
    }

    @Test
    void aQueryKeepsItsParametersButSecretsAndPasswordFilters() {
        assertThat(Redaction.query("filter=password%20eq%20%22S3cr3t%22&count=10"))
                .isEqualTo("filter=%5BREDACTED%5D&count=10");
        assertThat(Redaction.query("client_secret=S3cr3t&x")).isEqualTo("client_secret=%5BREDACTED%5D&x");
        assertThat(Redaction.query("filter=userName%20eq%20%22ada%22")).isEqualTo("filter=userName%20eq%20%22ada%22");
        // A malformed escape elsewhere in the value does not hide the word the escapes spell.
        assertThat(Redaction.query("filter=pass%77ord%20eq%20%22S3cr3t%22%ZZ")).isEqualTo("filter=%5BREDACTED%5D");
        assertThat(Redaction.query("client%5Fsecret%=S3cr3t")).doesNotContain(SECRET);
        assertThat(Redaction.query("access_token[]=S3cr3t&access_token%5B%5D=S3cr3t")).doesNotContain(SECRET);
        // A pair without a value, its '=' encoded or a filter sent as a bare parameter, is judged whole.
        assertThat(Redaction.query("client_secret%3DS3cr3t&count=1")).isEqualTo("%5BREDACTED%5D&count=1");
        assertThat(Redaction.query("password%20eq%20%22S3cr3t%22")).isEqualTo("%5BREDACTED%5D");
        assertThat(Redaction.query("client_secret%3DS3cr3t=1")).isEqualTo("%5BREDACTED%5D");
        assertThat(Redaction.query("attributes&count")).isEqualTo("attributes&count");
    }

    /** A body that is one JSON string is no document to search field by field: it is judged as text. */
    @Test
    void aBodyThatIsOneJsonStringIsJudgedAsText() {
        String token = "scim_tok_" + "Ab3-_x".repeat(6) + SECRET;
        String[] bodies = {
            "\"" + token + "\"",
            "\"{\\\"userName\\\":\\\"ada\\\",\\\"password\\\":\\\"S3cr3t\\\"}\"",
            "\"password=S3cr3t\"",
            "\"Authorization: Bearer S3cr3t\"",
        };
        for (String text : bodies) {
            assertThat(body(text, null)).as(text).isEqualTo(Redaction.WITHHELD);
        }
        assertThat(body("\"ada\"", null)).isEqualTo("\"ada\"");
        assertThat(body("42", null)).isEqualTo("42");
    }

    /** Text that cannot be read field by field names an Authorization header or an assertion as well as a password. */
    @Test
    void textThatNamesAnAuthorizationOrAnAssertionIsWithheld() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTM2NyM3QifQ.S3cr3t";
        String[] bodies = {
            "{\"Authorization\":\"Bearer " + jwt + "\",}",
            "{\"client_assertion\":\"" + jwt + "\"",
            "{\"data\":\"{\\\"Authorization\\\":\\\"Bearer " + jwt + "\\\"}\"}",
            "{\"data\":\"{\\\"client_assertion\\\":\\\"" + jwt + "\\\"\"}",
        };
        for (String text : bodies) {
            assertThat(body(text, "application/json")).as(text).doesNotContain(SECRET);
        }
    }

    /**
     * A body nested deeper than any SCIM document, in JSON held in strings held in JSON, each level
     * parsed again: the part past the depth the search goes to is withheld, and the search returns
     * rather than overflowing the writer's stack.
     */
    @Test
    void aBodyNestedBeyondTheSearchsDepthIsWithheldThere() {
        String inner = "{\"password\":\"S3cr3t\"}";
        for (int level = 0; level < 3; level++) {
            String nested = "[".repeat(900) + inner + "]".repeat(900);
            inner = "[" + TextNode.valueOf(nested) + "]";
        }
        String kept = body("{\"data\":" + inner + "}", "application/scim+json");
        assertThat(kept).doesNotContain(SECRET).contains(Redaction.TOO_DEEP);
        String shallow = "{\"a\":" + "[".repeat(20) + "{\"password\":\"S3cr3t\",\"userName\":\"ada\"}"
                + "]".repeat(20) + "}";
        assertThat(body(shallow, null)).doesNotContain(SECRET).contains("\"userName\":\"ada\"");
    }

    /**
     * An error's detail that quotes a PATCH path filtering on a password (a read-only attribute's
     * path, refused before its filter is looked at) holds the value compared: withheld, in the
     * entry's detail and in the answer's body. A detail that only names the password is kept.
     */
    @Test
    void aDetailQuotingAPasswordFilterIsWithheld() {
        String detail = "'groups[display eq \"x\" or password eq \"S3cr3t\"]' is read-only";
        assertThat(Redaction.detail(detail)).isEqualTo(Redaction.MARK);
        String answer = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:Error\"],\"detail\":"
                + TextNode.valueOf(detail) + ",\"status\":\"400\"}";
        assertThat(body(answer, null)).doesNotContain(SECRET).contains("\"status\":\"400\"");
        assertThat(Redaction.detail("DELETE cannot take the path /Users?filter=password eq \"S3cr3t\""))
                .isEqualTo(Redaction.MARK);
        assertThat(Redaction.detail("password must be a string")).isEqualTo("password must be a string");
        assertThat(Redaction.detail("'emails[type eq \"work\"]' is read-only")).contains("work");
        assertThat(Redaction.detail(null)).isNull();
    }

    @Test
    void theHeadOfALongerBodyIsRedactedUpToItsCut() {
        String head = "{\"Resources\":[{\"id\":\"1\",\"access_token\":\"S3cr3t\"},{\"id\":\"2\",\"userNa";
        String kept = Redaction.head(head.getBytes(StandardCharsets.UTF_8));
        assertThat(kept).doesNotContain(SECRET).startsWith("{\"Resources\":[{\"id\":\"1\",\"access_token\":\"[REDACTED]\"}");
    }

    @Test
    void aStoredBodyIsCutAt64KiBOnACharacterBoundaryWithAMark() {
        String text = "é".repeat(40_000);
        String stored = StoredBody.of(text, false, 80_000);
        String kept = stored.substring(0, stored.indexOf('\n'));
        assertThat(kept.getBytes(StandardCharsets.UTF_8).length).isEqualTo(64 * 1024);
        assertThat(stored).endsWith("\n[cut at 64 KiB: the body had 80000 bytes]");
        assertThat(StoredBody.of("{}", false, 2)).isEqualTo("{}");
    }
}
