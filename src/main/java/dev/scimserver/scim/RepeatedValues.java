package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** The values an operation sent or selected, by identity: two equal nodes are still two values. */
    static Set<JsonNode> sent(Collection<? extends JsonNode> values) {
        Set<JsonNode> sent = Collections.newSetFromMap(new IdentityHashMap<>());
        sent.addAll(values);
        return sent;
    }

    /**
     * Merges each value that repeats an earlier one into it, in place, keeping the earlier's place. What
     * the operation sent wins: a value in {@code sent} gives its sub-attributes to the merged value over
     * one it left alone (a PATCH that sets "the" work email is not undone by a value already there);
     * between two it sent, or two it did not, the later wins, as a PATCH add of a value already there
     * sets its sub-attributes. The merged value is primary when either was. Answers the value each
     * removed one went into, by identity, so that a caller holding a removed value can follow it.
     *
     * <p>Values are grouped by their compared text first: a stored user may hold thousands of values,
     * and this runs inside the user's row lock.
     */
    static Map<JsonNode, ObjectNode> merge(AttributeDefinition def, ArrayNode values, Set<JsonNode> sent) {
        Map<JsonNode, ObjectNode> mergedInto = new IdentityHashMap<>();
        Map<String, List<ObjectNode>> byValue = new HashMap<>();
        List<JsonNode> kept = new ArrayList<>(values.size());
        for (JsonNode element : values) {
            JsonNode value = element.get("value");
            if (!(element instanceof ObjectNode later) || value == null || !value.isTextual()) {
                kept.add(element);
                continue;
            }
            List<ObjectNode> same = byValue.computeIfAbsent(comparable(def, value.asText()), key -> new ArrayList<>(1));
            ObjectNode earlier = same.stream().filter(e -> sameType(e.get("type"), later.get("type"))).findFirst()
                    .orElse(null);
            if (earlier == null) {
                same.add(later);
                kept.add(later);
                continue;
            }
            boolean primary = earlier.path("primary").asBoolean(false) || later.path("primary").asBoolean(false);
            boolean earlierWins = sent.contains(earlier) && !sent.contains(later);
            ObjectNode merged = (earlierWins ? later : earlier).deepCopy();
            merged.setAll(earlierWins ? earlier : later);
            earlier.removeAll();
            earlier.setAll(merged);
            if (primary) {
                earlier.put("primary", true);
            }
            mergedInto.put(later, earlier);
        }
        if (kept.size() < values.size()) {
            values.removeAll();
            values.addAll(kept);
        }
        return mergedInto;
    }
}
