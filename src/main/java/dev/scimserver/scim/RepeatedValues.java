package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * RFC 7643 §2.4: a multi-valued attribute holds no value twice. Two values are the same when their
 * {@code value} is, compared as the attribute's {@code caseExact} says (folded as the database folds
 * text), and so is their {@code type}, in any case, or one of them has none. Every write reads them
 * so: a POST or PUT that sends one value twice, and a PATCH that leaves two values the same, keep one,
 * where a PATCH add of a value already there merges into it.
 */
final class RepeatedValues {
    private RepeatedValues() {
    }

    /** The element of {@code values} that {@code v} names again, if any. */
    static ObjectNode sameAs(AttributeDefinition def, Iterable<JsonNode> values, JsonNode v) {
        for (JsonNode element : values) {
            if (element != v && element instanceof ObjectNode object && same(def, object, v)) {
                return object;
            }
        }
        return null;
    }

    /** Whether {@code a} and {@code b} hold one textual value of one type. */
    static boolean same(AttributeDefinition def, JsonNode a, JsonNode b) {
        JsonNode x = a.get("value");
        JsonNode y = b.get("value");
        return x != null && y != null && x.isTextual() && y.isTextual()
                && comparable(def, x.asText()).equals(comparable(def, y.asText()))
                && sameType(a.get("type"), b.get("type"));
    }

    /** A value's text as the attribute's {@code caseExact} compares it, folded as the database folds text. */
    static String comparable(AttributeDefinition def, String value) {
        return def.subAttribute("value").map(AttributeDefinition::caseExact).orElse(true) ? value : CaseFold.of(value);
    }

    private static boolean sameType(JsonNode a, JsonNode b) {
        return a == null || b == null || CaseFold.of(a.asText()).equals(CaseFold.of(b.asText()));
    }

    /**
     * Merges each value that repeats an earlier one into it, in place: the later one's sub-attributes
     * are set on the earlier (as a PATCH add of a value already there sets them), which is primary
     * when either was. Answers the value each removed one went into, by identity, so that a caller
     * holding a removed value can follow it.
     */
    static Map<JsonNode, ObjectNode> merge(AttributeDefinition def, ArrayNode values) {
        Map<JsonNode, ObjectNode> mergedInto = new IdentityHashMap<>();
        for (int i = 1; i < values.size(); i++) {
            JsonNode later = values.get(i);
            ObjectNode earlier = earlierSame(def, values, i);
            if (earlier != null) {
                boolean primary = earlier.path("primary").asBoolean(false) || later.path("primary").asBoolean(false);
                earlier.setAll((ObjectNode) later);
                if (primary) {
                    earlier.put("primary", true);
                }
                mergedInto.put(later, earlier);
                values.remove(i--);
            }
        }
        return mergedInto;
    }

    private static ObjectNode earlierSame(AttributeDefinition def, ArrayNode values, int before) {
        JsonNode later = values.get(before);
        for (int i = 0; i < before; i++) {
            if (values.get(i) instanceof ObjectNode earlier && same(def, earlier, later)) {
                return earlier;
            }
        }
        return null;
    }
}
