package dev.scimserver.http.scim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.ScimException;
import io.javalin.http.Context;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Refuses U+0000 in query parameters and in JSON strings and names, once decoded (a {@code %00},
 * a JSON {@code \u0000}). PostgreSQL's text cannot hold it: let through, it reaches the database as
 * a bound value and fails there as a 500 (a fuzzed {@code filter=userName eq %00} did exactly that).
 * No SCIM attribute has a use for it. A filter or a PATCH path decodes escapes of its own after this
 * check; the filter parser refuses the character there.
 */
final class NulCharacters {
    private static final char NUL = '\u0000';

    private NulCharacters() {
    }

    static void refuseInQuery(Context ctx) {
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            boolean nul = parameter.getKey().indexOf(NUL) >= 0
                    || parameter.getValue().stream().anyMatch(v -> v.indexOf(NUL) >= 0);
            if (nul) {
                throw ScimException.invalidValue("a query parameter contains the character U+0000, which no SCIM "
                        + "value may hold");
            }
        }
    }

    /** Walks the tree without recursion; its depth is bounded by the parser anyway. */
    static void refuseInJson(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isTextual() && node.textValue().indexOf(NUL) >= 0) {
                throw refused();
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getKey().indexOf(NUL) >= 0) {
                        throw refused();
                    }
                    pending.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(pending::push);
            }
        }
    }

    private static ScimException refused() {
        return ScimException.invalidValue("the body contains the character U+0000, which no SCIM value may hold");
    }
}
