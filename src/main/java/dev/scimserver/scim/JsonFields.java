package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Reading SCIM messages the way clients write them: member names in any case ({@code "Operations"},
 * {@code "operations"}), schema URNs in any case.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /**
     * The member of a JSON object named {@code name} in any case, or null. Two spellings of it are
     * refused (400 invalidSyntax): taking either would silently drop the other, and which one another
     * server takes is anyone's guess.
     */
    public static JsonNode fieldIgnoringCase(JsonNode object, String name) {
        String foundAs = null;
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (field.equalsIgnoreCase(name)) {
                if (foundAs != null) {
                    throw ScimException.invalidSyntax("'" + ClientText.abbreviate(foundAs) + "' and '"
                            + ClientText.abbreviate(field) + "' name one member (names are read in any case): "
                            + "send it once");
                }
                foundAs = field;
            }
        }
        return foundAs == null ? null : object.get(foundAs);
    }

    /** Whether a JSON array holds {@code text} in any case (a message's {@code schemas}). */
    public static boolean containsTextIgnoringCase(JsonNode array, String text) {
        if (array == null || !array.isArray()) {
            return false;
        }
        for (JsonNode item : array) {
            if (item.asText().equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of a JSON number that is whole however it is written ({@code 12}, {@code 1.2e1},
     * {@code 12.0}): JSON has one number type, and a client's serializer chooses the spelling. Empty for
     * anything else. The value is never expanded into its digits, so {@code 1e999999999} costs nothing.
     */
    public static Optional<BigDecimal> wholeNumber(JsonNode node) {
        // A double read from 1e999 is Infinity, which has no decimal value: no whole number either.
        if (node == null || !node.isNumber() || ((node.isDouble() || node.isFloat())
                && !Double.isFinite(node.doubleValue()))) {
            return Optional.empty();
        }
        BigDecimal value = node.decimalValue();
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0 ? Optional.of(value) : Optional.empty();
    }
}
