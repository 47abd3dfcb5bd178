package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what a client sent into the canonical resource tree: attribute names in their schema
 * spelling whatever case the client used, values coerced to the schema's type where that is
 * unambiguous ({@code "False"} for a boolean, a bare id for a complex {@code manager}), and
 * unassigned values ({@code null}, {@code ""}, {@code []}) dropped. Read-only attributes and
 * attributes no schema defines are ignored, as RFC 7643 §2.2 and §3.1 allow, so that clients that
 * echo a whole resource (Okta's PUT) or send SCIM 1.1 leftovers (OneLogin) are accepted.
 */
public final class ResourceNormalizer {
    /** The most values a multi-valued attribute of a resource holds, a group's members aside. */
    static final int MAX_VALUES = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ResourceNormalizer() {
    }

    /** The canonical tree of a resource body; extensions sit under their schema URN. */
    public static ObjectNode normalize(ResourceType type, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ScimException.invalidSyntax("the request body must be a JSON object");
        }
        ObjectNode out = NODES.objectNode();
        Set<String> given = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            Optional<Schema> extension = type.extension(key);
            if (extension.isPresent()) {
                ObjectNode ext = normalizeExtension(extension.get(), field.getValue(), given);
                if (ext != null) {
                    container(type, out, extension.get()).setAll(ext);
                }
                continue;
            }
            if (key.equalsIgnoreCase("schemas")) {
                continue;
            }
            AttributePath path = parseKey(key);
            if (path == null || path.hasSubAttribute()) {
                continue;
            }
            type.resolve(path).ifPresent(resolved -> {
                AttributeDefinition def = resolved.definition();
                if (def.isReadOnly()) {
                    return;
                }
                once(given, resolved.schema().id() + ":" + def.name(), key);
                JsonNode value = value(def, field.getValue(), def.name(), false);
                if (value != null) {
                    refuseTooManyValues(def, value, def.name());
                    container(type, out, resolved.schema()).set(def.name(), value);
                }
            });
        }
        return out;
    }

    /**
     * Refuses an attribute named twice in one resource: names are read in any case (RFC 7643 §2.1), so
     * {@code userName} and {@code USERNAME}, or a name bare and under its schema's URN, are one name,
     * and keeping either would silently drop the other.
     */
    static void once(Set<String> given, String canonical, String key) {
        if (!given.add(canonical.toLowerCase(Locale.ROOT))) {
            throw ScimException.invalidSyntax("'" + ClientText.abbreviate(key) + "' names an attribute given "
                    + "already (attribute names are read in any case): send each once");
        }
    }

    private static ObjectNode normalizeExtension(Schema schema, JsonNode value, Set<String> given) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw ScimException.invalidValue(schema.id() + " must be a JSON object");
        }
        ObjectNode out = NODES.objectNode();
        value.fields().forEachRemaining(field -> schema.attribute(field.getKey())
                .filter(def -> !def.isReadOnly())
                .ifPresent(def -> {
                    once(given, schema.id() + ":" + def.name(), field.getKey());
                    JsonNode v = value(def, field.getValue(), schema.id() + ":" + def.name(), false);
                    if (v != null) {
                        refuseTooManyValues(def, v, schema.id() + ":" + def.name());
                        out.set(def.name(), v);
                    }
                }));
        return out.isEmpty() ? null : out;
    }

    /** The object that holds attributes of {@code schema}: the resource itself, or its extension object. */
    static ObjectNode container(ResourceType type, ObjectNode resource, Schema schema) {
        if (schema.id().equals(type.core().id())) {
            return resource;
        }
        JsonNode existing = resource.get(schema.id());
        if (existing instanceof ObjectNode object) {
            return object;
        }
        return resource.putObject(schema.id());
    }

    private static AttributePath parseKey(String key) {
        try {
            return AttributePath.parse(key);
        } catch (ScimException e) {
            return null;
        }
    }

    /**
     * The canonical form of one attribute's value, or {@code null} when the value leaves the
     * attribute unassigned. {@code where} names the attribute in error messages. Values without content
     * ({@link #withoutContent}) are kept: a PATCH may complete one in a later operation, and drops those
     * it leaves so at its end.
     */
    public static JsonNode value(AttributeDefinition def, JsonNode raw, String where) {
        return value(def, raw, where, true);
    }

    /**
     * {@code keepWithoutContent} false for a resource written whole (POST, PUT): a value without content
     * is a template's empty slot (OneLogin, JumpCloud), no value, as a PATCH takes one it leaves so.
     */
    private static JsonNode value(AttributeDefinition def, JsonNode raw, String where, boolean keepWithoutContent) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            return null;
        }
        if (def.multiValued()) {
            ArrayNode out = NODES.arrayNode();
            Iterable<JsonNode> elements = raw.isArray() ? raw : java.util.List.of(raw);
            // A set, not a scan of what is kept: a scan is quadratic in the members of a large group.
            Set<JsonNode> seen = new HashSet<>();
            boolean valueList = isValueList(def);
            boolean drop = valueList && !keepWithoutContent;
            for (JsonNode element : elements) {
                JsonNode v = singleValue(def, element, where);
                if (v != null && !(drop && withoutContent(def, v)) && seen.add(v)) {
                    out.add(v);
                }
            }
            // Values that differ only where PATCH reads them as one (case, a primary flag) would be a
            // user no PATCH of either value could change.
            if (valueList) {
                RepeatedValues.merge(def, out, Set.of());
            }
            int primaries = 0;
            for (JsonNode v : out) {
                // A slot kept for a PATCH to complete marks nothing yet.
                boolean slot = valueList && withoutContent(def, v);
                primaries += !slot && v.path("primary").asBoolean(false) ? 1 : 0;
            }
            if (primaries > 1) {
                throw ScimException.invalidValue(where + " has more than one value with primary true");
            }
            return out.isEmpty() ? null : out;
        }
        if (raw.isArray()) {
            throw ScimException.invalidValue(where + " is single-valued but an array was given");
        }
        return singleValue(def, raw, where);
    }

    /**
     * Whether {@code def} is a list of values a client describes (emails, addresses): values that repeat
     * one another are merged, and one without content is no value. A group's members name resources
     * instead: they are compared by id, and one without a value is refused by its group.
     */
    static boolean isValueList(AttributeDefinition def) {
        return def.multiValued() && def.isComplex() && !def.name().equals("members");
    }

    /**
     * Whether a value of a multi-valued complex attribute holds nothing: no "value" where the attribute
     * has one (an email without an address), else nothing but its type and primary (an address).
     */
    static boolean withoutContent(AttributeDefinition def, JsonNode element) {
        if (def.subAttribute("value").isPresent()) {
            return !element.has("value");
        }
        for (var names = element.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("type") && !name.equals("primary")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses more than {@link #MAX_VALUES} values of a multi-valued attribute other than a group's
     * members (bounded by their own limits), where a resource is written whole (POST, PUT); a PATCH
     * checks what each operation leaves. A user's values are compared with one another on every
     * PATCH operation, inside the row lock: a user with thousands of emails made a small PATCH hold
     * the lock and a connection for a minute.
     */
    static void refuseTooManyValues(AttributeDefinition def, JsonNode values, String where) {
        if (values.size() > MAX_VALUES && !def.name().equals("members")) {
            throw ScimException.invalidValue(where + " holds " + values.size() + " values; at most " + MAX_VALUES
                    + " are kept");
        }
    }

    private static JsonNode singleValue(AttributeDefinition def, JsonNode raw, String where) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (def.isComplex()) {
            return complexValue(def, raw, where);
        }
        return simpleValue(def, raw, where);
    }

    private static JsonNode complexValue(AttributeDefinition def, JsonNode raw, String where) {
        if (!raw.isObject()) {
            // Entra sends a manager as its bare id: the "value" sub-attribute is meant.
            Optional<AttributeDefinition> valueSub = def.subAttribute("value");
            if (valueSub.isPresent() && raw.isValueNode()) {
                JsonNode v = simpleValue(valueSub.get(), raw, where + ".value");
                return v == null ? null : NODES.objectNode().set("value", v);
            }
            throw ScimException.invalidValue(where + " must be a JSON object");
        }
        ObjectNode out = NODES.objectNode();
        Set<String> given = new HashSet<>();
        raw.fields().forEachRemaining(field -> def.subAttribute(field.getKey())
                .filter(sub -> !sub.isReadOnly())
                .ifPresent(sub -> {
                    once(given, sub.name(), field.getKey());
                    JsonNode v = simpleValue(sub, field.getValue(), where + "." + sub.name());
                    if (v != null) {
                        out.set(sub.name(), v);
                    }
                }));
        return out.isEmpty() ? null : out;
    }

    /** Coerces one simple value to the sub-attribute or attribute type {@code def}. */
    public static JsonNode simpleValue(AttributeDefinition def, JsonNode raw, String where) {
        if (raw == null || raw.isNull()) {
            return null;
        }
        if (raw.isContainerNode()) {
            throw ScimException.invalidValue(where + " must be a " + def.type().wireValue() + ", not a JSON "
                    + (raw.isArray() ? "array" : "object"));
        }
        return switch (def.type()) {
            case STRING, REFERENCE -> {
                String text = Names.kept(def, raw.asText(), where);
                yield text.isEmpty() ? null : NODES.textNode(text);
            }
            case BINARY -> {
                String text = Names.kept(def, raw.asText(), where);
                yield text.isEmpty() ? null : NODES.textNode(base64(text, where));
            }
            case BOOLEAN -> booleanValue(raw, where);
            case INTEGER -> integerValue(raw, where);
            case DECIMAL -> decimalValue(raw, where);
            case DATE_TIME -> dateTimeValue(raw, where);
            case COMPLEX -> throw ScimException.invalidValue(where + " cannot hold a nested complex value");
        };
    }

    /** RFC 7643 §2.3.6: a binary value is base64 (RFC 4648 §4), without line breaks. */
    private static String base64(String text, String where) {
        try {
            Base64.getDecoder().decode(text);
            return text;
        } catch (IllegalArgumentException e) {
            throw ScimException.invalidValue(where + " must be base64 (RFC 4648 section 4): binary values are sent "
                    + "encoded");
        }
    }

    private static JsonNode booleanValue(JsonNode raw, String where) {
        if (raw.isBoolean()) {
            return raw;
        }
        if (raw.isTextual()) {
            String text = raw.asText().trim().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                return null;
            }
            if (text.equals("true") || text.equals("false")) {
                return NODES.booleanNode(text.equals("true"));
            }
        }
        throw ScimException.invalidValue(where + " must be a boolean");
    }

    private static JsonNode integerValue(JsonNode raw, String where) {
        if (raw.isIntegralNumber()) {
            return raw;
        }
        if (raw.isTextual()) {
            try {
                return NODES.numberNode(AsciiDigits.parseLong(raw.asText().trim()));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw ScimException.invalidValue(where + " must be an integer");
    }

    private static JsonNode decimalValue(JsonNode raw, String where) {
        if (raw.isNumber()) {
            return raw;
        }
        if (raw.isTextual()) {
            try {
                return NODES.numberNode(new BigDecimal(raw.asText().trim()));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw ScimException.invalidValue(where + " must be a decimal number");
    }

    private static JsonNode dateTimeValue(JsonNode raw, String where) {
        if (raw.isTextual()) {
            String text = raw.asText().trim();
            if (text.isEmpty()) {
                return null;
            }
            if (DateTimes.parse(text).isPresent()) {
                return NODES.textNode(text);
            }
        }
        throw ScimException.invalidValue(where + " must be " + DateTimes.EXPECTED);
    }
}
