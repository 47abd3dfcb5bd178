package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code attributes} and {@code excludedAttributes} parameters (RFC 7644 §3.4.2.5) applied to a
 * rendered resource, honouring each attribute's {@code returned} characteristic.
 */
public final class Projection {
    private final ResourceType type;
    /** "schemaUrn:attr" for a whole attribute, "schemaUrn:attr.sub" for one sub-attribute, lower-case. */
    private final Set<String> requested;
    private final Set<String> excluded;
    private final boolean hasAttributes;
    /**
     * For the default projection: the core attributes it leaves out (returned never or on request:
     * the User's password), or null when one of them is an extension attribute or a sub-attribute,
     * which only the full walk finds.
     */
    private final Set<String> droppedByDefault;

    private Projection(ResourceType type, Set<String> requested, Set<String> excluded, boolean hasAttributes) {
        this.type = type;
        this.requested = requested;
        this.excluded = excluded;
        this.hasAttributes = hasAttributes;
        this.droppedByDefault = isDefault() ? droppedByDefault(type) : null;
    }

    private static Set<String> droppedByDefault(ResourceType type) {
        Set<String> dropped = new HashSet<>();
        for (AttributeDefinition def : type.core().attributes()) {
            if (leftOutByDefault(def)) {
                dropped.add(def.name());
            } else if (def.subAttributes().stream().anyMatch(Projection::leftOutByDefault)) {
                return null;
            }
        }
        boolean inExtensions = type.extensions().stream().flatMap(e -> e.schema().attributes().stream())
                .anyMatch(def -> leftOutByDefault(def) || def.subAttributes().stream().anyMatch(Projection::leftOutByDefault));
        return inExtensions ? null : dropped;
    }

    private static boolean leftOutByDefault(AttributeDefinition def) {
        return def.returned() == Returned.NEVER || def.returned() == Returned.REQUEST;
    }

    /** The default projection: every attribute whose {@code returned} is not never or request. */
    public static Projection all(ResourceType type) {
        return new Projection(type, Set.of(), Set.of(), false);
    }

    /** Either parameter may be null or blank. Names no schema defines are ignored. */
    public static Projection of(ResourceType type, String attributes, String excludedAttributes) {
        boolean hasAttributes = attributes != null && !attributes.isBlank();
        return new Projection(type, keys(type, attributes), keys(type, excludedAttributes), hasAttributes);
    }

    /**
     * Whether a resource written with only the attributes returned by default, none of their
     * sub-attributes left out, passes through this projection unchanged: it may be written as it is.
     */
    public boolean passesDefaultResources() {
        return droppedByDefault != null;
    }

    /** Whether the client asked for anything but the default. */
    public boolean isDefault() {
        return !hasAttributes && excluded.isEmpty();
    }

    private static Set<String> keys(ResourceType type, String list) {
        Set<String> out = new HashSet<>();
        if (list == null) {
            return out;
        }
        for (String item : list.split(",")) {
            String name = item.trim();
            if (name.isEmpty()) {
                continue;
            }
            Optional<Schema> extension = type.extension(name);
            if (extension.isPresent()) {
                extension.get().attributes().forEach(a -> out.add(key(extension.get(), a.name(), null)));
                continue;
            }
            AttributePath path;
            try {
                path = AttributePath.parse(name);
            } catch (ScimException e) {
                continue;
            }
            type.resolve(path).ifPresent(r -> out.add(key(r.schema(), r.definition().name(), path.subAttribute())));
        }
        return out;
    }

    private static String key(Schema schema, String attribute, String sub) {
        String k = schema.id() + ":" + attribute + (sub == null ? "" : "." + sub);
        return k.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a top-level core attribute appears in the output; lets callers skip loading what will
     * not be returned (a group's members when Entra reads with excludedAttributes=members).
     */
    public boolean includes(String attributeName) {
        return type.resolve(AttributePath.of(attributeName))
                .map(r -> decide(r.schema(), r.definition()) != Decision.DROP)
                .orElse(false);
    }

    /**
     * {@code resource} with only what the parameters and the schema let through: a copy, or the
     * resource itself when the default projection has nothing to leave out of it (the renderer
     * writes only schema attributes, under their own names). Neither is changed afterwards.
     */
    public ObjectNode apply(ObjectNode resource) {
        if (droppedByDefault != null && droppedByDefault.stream().noneMatch(resource::has)) {
            return resource;
        }
        ObjectNode out = resource.objectNode();
        for (var it = resource.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("schemas")) {
                out.set(name, field.getValue());
                continue;
            }
            Optional<Schema> extension = type.extension(name);
            if (extension.isPresent()) {
                ObjectNode projected = project(extension.get(), (ObjectNode) field.getValue());
                if (!projected.isEmpty()) {
                    out.set(name, projected);
                }
                continue;
            }
            Optional<AttributeDefinition> def = type.commonAttribute(name).or(() -> type.core().attribute(name));
            def.ifPresent(d -> copy(type.core(), d, field.getValue(), out));
        }
        return out;
    }

    private ObjectNode project(Schema schema, ObjectNode source) {
        ObjectNode out = source.objectNode();
        source.fields().forEachRemaining(f -> schema.attribute(f.getKey())
                .ifPresent(d -> copy(schema, d, f.getValue(), out)));
        return out;
    }

    private enum Decision { KEEP, DROP, SUB_ATTRIBUTES }

    private Decision decide(Schema schema, AttributeDefinition def) {
        if (isDefault()) {
            // What most requests ask; spares building a key per attribute of every resource rendered.
            return switch (def.returned()) {
                case ALWAYS, DEFAULT -> Decision.KEEP;
                case NEVER, REQUEST -> Decision.DROP;
            };
        }
        String key = key(schema, def.name(), null);
        return switch (def.returned()) {
            case ALWAYS -> Decision.KEEP;
            case NEVER -> Decision.DROP;
            case REQUEST -> requested.contains(key) ? Decision.KEEP
                    : hasSubKey(requested, key) ? Decision.SUB_ATTRIBUTES : Decision.DROP;
            case DEFAULT -> {
                if (excluded.contains(key)) {
                    yield Decision.DROP;
                }
                if (hasAttributes && !requested.contains(key)) {
                    yield hasSubKey(requested, key) ? Decision.SUB_ATTRIBUTES : Decision.DROP;
                }
                yield hasSubKey(excluded, key) ? Decision.SUB_ATTRIBUTES : Decision.KEEP;
            }
        };
    }

    private static boolean hasSubKey(Set<String> keys, String attributeKey) {
        String prefix = attributeKey + ".";
        return keys.stream().anyMatch(k -> k.startsWith(prefix));
    }

    private void copy(Schema schema, AttributeDefinition def, JsonNode value, ObjectNode out) {
        switch (decide(schema, def)) {
            case KEEP -> out.set(def.name(), value);
            case DROP -> {
            }
            case SUB_ATTRIBUTES -> {
                JsonNode projected = projectSubAttributes(schema, def, value);
                if (projected != null && !projected.isEmpty()) {
                    out.set(def.name(), projected);
                }
            }
        }
    }

    private JsonNode projectSubAttributes(Schema schema, AttributeDefinition def, JsonNode value) {
        if (value instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode();
            array.forEach(element -> {
                JsonNode projected = projectSubAttributes(schema, def, element);
                if (projected != null && !projected.isEmpty()) {
                    out.add(projected);
                }
            });
            return out;
        }
        if (!(value instanceof ObjectNode object)) {
            return value;
        }
        ObjectNode out = object.objectNode();
        String base = key(schema, def.name(), null) + ".";
        object.fields().forEachRemaining(f -> def.subAttribute(f.getKey()).ifPresent(sub -> {
            String key = base + sub.name().toLowerCase(Locale.ROOT);
            boolean keep = switch (sub.returned()) {
                case ALWAYS -> true;
                case NEVER -> false;
                case REQUEST -> requested.contains(key);
                case DEFAULT -> hasAttributes ? requested.contains(key) : !excluded.contains(key);
            };
            if (keep) {
                out.set(sub.name(), f.getValue());
            }
        }));
        return out;
    }
}
