package dev.scimserver.http.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** How the administration API writes JSON: one mapper, times as RFC 3339 in UTC, nothing cached by anyone. */
final class AdminJson {
    static final String CONTENT_TYPE = "application/json";
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A number is read as written (1e999 as such, not as Infinity; 24.0000000000000001 not as 24).
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private AdminJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code null} stays JSON null. */
    static void putTime(ObjectNode node, String field, Instant time) {
        if (time == null) {
            node.putNull(field);
        } else {
            node.put(field, time.toString());
        }
    }

    /** A 200 list answer, {@code {"items": [...]}}, each item as {@code json} renders it. */
    static <T> void writeItems(Context ctx, List<T> items, Function<T, JsonNode> json) {
        ObjectNode answer = object();
        ArrayNode array = answer.putArray("items");
        items.forEach(item -> array.add(json.apply(item)));
        write(ctx, 200, answer);
    }

    static void write(Context ctx, int status, JsonNode body) {
        write(ctx, status, CONTENT_TYPE, body);
    }

    /** Answers may carry a secret once: no cache, shared or private, may keep one. */
    static void write(Context ctx, int status, String contentType, JsonNode body) {
        try {
            ctx.status(status).contentType(contentType).header("Cache-Control", "no-store")
                    .result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an answer", e);
        }
    }
}
