package dev.scimserver.http.scim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.StorableText;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads request bodies with limits and turns every parse failure into 400 invalidSyntax with its place. */
final class ScimJson {
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NAME_LENGTH = 1024;
    /** Jackson's own: a number of more digits than this is not read. */
    private static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

    static final ObjectMapper MAPPER = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private ScimJson() {
    }

    /** What {@code writer} writes, as bytes. */
    static byte[] write(SpooledBody.JsonWriter writer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(body)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
        return body.toByteArray();
    }

    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ScimException.invalidSyntax("the request has no body; a JSON object was expected");
        }
        if (!StorableText.isUtf8Json(body)) {
            // The parser would read UTF-16 and UTF-32 too, and decode overlong forms into other characters.
            throw ScimException.invalidSyntax("the body is not UTF-8 (RFC 8259 section 8.1)");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ScimException.invalidSyntax("the request has no body; a JSON object was expected");
            }
            UnstorableText.refuseInJson(node);
            return node;
        } catch (StreamConstraintsException e) {
            throw ScimException.invalidSyntax(exceeded(e.getMessage()) + where(e));
        } catch (JsonProcessingException e) {
            // Jackson's own message is not passed on: it quotes the text it could not read, which may
            // be a password sent without quotes, and the answer is kept in the provisioning log.
            throw ScimException.invalidSyntax("the body is not valid JSON" + where(e));
        } catch (IOException e) {
            throw ScimException.invalidSyntax("the body could not be read as JSON");
        } catch (NumberFormatException e) {
            // A number whose exponent no decimal can hold (1e9999999999), read as a BigDecimal.
            throw ScimException.invalidSyntax("the body holds a number beyond what can be read");
        }
    }

    private static String where(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /**
     * Which limit valid JSON went past, told by the parser's message (which quotes none of the body):
     * "not valid JSON" would send the client looking for a syntax error it did not make.
     */
    private static String exceeded(String message) {
        if (message.startsWith("String value length")) {
            // Jackson counts UTF-16 code units, as Java's strings hold text.
            return "the body holds a string longer than " + MAX_STRING_LENGTH + " UTF-16 code units "
                    + "(a character beyond U+FFFF, such as an emoji, counts two)";
        }
        if (message.startsWith("Name length")) {
            // Names are measured as the bytes read, strings as the characters decoded.
            return "the body holds an attribute name longer than " + MAX_NAME_LENGTH + " bytes of UTF-8";
        }
        if (message.startsWith("Document nesting depth")) {
            return "the body nests arrays and objects deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (message.startsWith("Number value length")) {
            return "the body holds a number of more than " + MAX_NUMBER_LENGTH + " digits";
        }
        return "the body goes past a limit of what this server reads in JSON";
    }
}
