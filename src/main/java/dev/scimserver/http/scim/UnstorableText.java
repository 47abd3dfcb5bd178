package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.PercentEscapes;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.StorableText;
import io.javalin.http.Context;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Refuses, in query parameters and in JSON strings and names once decoded (a {@code %00}, a JSON
 * {@code \u0000} or {@code \ud800}), what {@link StorableText} says the directory cannot keep. Let
 * through, U+0000 reaches the database as a bound value and fails there as a 500 (a fuzzed
 * {@code filter=userName eq %00} did exactly that), and a lone surrogate is silently kept as '?'.
 * A filter or a PATCH path decodes escapes of its own after this check; the filter parser refuses
 * the same characters there. A malformed percent-escape in the query is refused here too.
 */
final class UnstorableText {
    private UnstorableText() {
    }

    static void refuseInQuery(Context ctx) {
        int malformed = PercentEscapes.firstMalformed(ctx.queryString());
        if (malformed >= 0) {
            throw ScimException.invalidValue(PercentEscapes.problem(malformed));
        }
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            refuse(parameter.getKey(), "a query parameter");
            parameter.getValue().forEach(value -> refuse(value, "a query parameter"));
        }
    }

    /** Walks the tree without recursion; its depth is bounded by the parser anyway. */
    static void refuseInJson(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual()) {
                refuse(node.textValue(), "the body");
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    refuse(field.getKey(), "the body");
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
    }

    private static void refuse(String text, String where) {
        int index = StorableText.firstUnstorable(text);
        if (index >= 0) {
            throw ScimException.invalidValue(where + " contains " + StorableText.reason(text, index));
        }
    }
}
