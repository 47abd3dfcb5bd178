package dev.scimserver.http.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A body of the provisioning log as an entry's page shows it: JSON indented; anything else (a form,
 * a body cut at the log's limit, text that is not quite JSON) as the log kept it. Indenting never
 * changes what the client sent: a duplicate member, text after the document or a number JSON cannot
 * keep exactly makes the body shown as it was.
 */
final class ShownBody {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ShownBody() {
    }

    /** {@code body} indented when it is one JSON document; {@code null} stays {@code null}. */
    static String of(String body) {
        if (body == null || body.isBlank()) {
            return body;
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return body;
        }
    }
}
