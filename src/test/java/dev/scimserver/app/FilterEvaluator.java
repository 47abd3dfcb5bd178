package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.AttributeDefinition;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.AttributeType;
import dev.scimserver.scim.ComparisonOperator;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.Returned;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An independent reading of RFC 7644 §3.4.2.2 over a rendered resource, written without looking
 * at the SQL translation's code: the oracle the property test holds the database to. A filter it
 * cannot accept throws {@link Refused}, whatever the data, because {@link #check} walks every
 * node before any resource is tested.
 */
final class FilterEvaluator implements Filter.Visitor<Boolean> {
    static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason);
        }
    }

    private final ResourceType type;
    private final JsonNode resource;
    /** The element a value path's filter is testing, or null at the top. */
    private AttributeDefinition scopeDef;
    private JsonNode scopeElement;

    private FilterEvaluator(ResourceType type, JsonNode resource) {
        this.type = type;
        this.resource = resource;
    }

    static boolean matches(ResourceType type, Filter filter, JsonNode resource) {
        check(type, filter);
        return filter.accept(new FilterEvaluator(type, resource));
    }

    /** Throws {@link Refused} for a filter that no data can make valid. */
    static void check(ResourceType type, Filter filter) {
        filter.accept(new FilterEvaluator(type, com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
    }

    private record Target(AttributeDefinition leaf, List<JsonNode> values, boolean multi) {
    }

    private Target target(AttributePath path) {
        if (scopeDef != null) {
            AttributeDefinition sub = scopeDef.subAttribute(path.attribute()).orElseThrow(() -> new Refused("sub"));
            return new Target(sub, List.of(scopeElement.path(sub.name())), false);
        }
        ResourceType.ResolvedAttribute resolved = type.resolve(path).orElseThrow(() -> new Refused("unknown"));
        AttributeDefinition def = resolved.definition();
        if (def.returned() == Returned.NEVER) {
            throw new Refused("never returned");
        }
        JsonNode container = resolved.inCore(type) ? resource : resource.path(resolved.schema().id());
        JsonNode value = container.path(def.name());
        AttributeDefinition sub = null;
        if (path.hasSubAttribute()) {
            sub = def.subAttribute(path.subAttribute()).orElseThrow(() -> new Refused("no such sub-attribute"));
        } else if (def.isComplex()) {
            sub = def.subAttribute("value").orElse(null);
        }
        if (sub == null) {
            return new Target(def, List.of(value), false);
        }
        if (def.name().equals("meta") && sub.name().equals("location")) {
            throw new Refused("meta.location");
        }
        List<JsonNode> values = new ArrayList<>();
        String subName = sub.name();
        if (def.multiValued()) {
            value.forEach(element -> values.add(element.path(subName)));
        } else {
            values.add(value.path(subName));
        }
        return new Target(sub, values, def.multiValued());
    }

    @Override
    public Boolean comparison(Filter.Comparison filter) {
        Target target = target(filter.path());
        if (target.leaf().isComplex()) {
            throw new Refused("complex");
        }
        ComparisonOperator op = filter.operator();
        JsonNode expected = filter.value();
        validate(target.leaf(), op, expected);
        if (op == ComparisonOperator.NE) {
            // One value that does not equal is enough; a resource without values has none.
            if (!target.multi()) {
                return !holds(target.leaf(), target.values().get(0), ComparisonOperator.EQ, expected);
            }
            return target.values().stream().anyMatch(v -> !holds(target.leaf(), v, ComparisonOperator.EQ, expected));
        }
        return target.values().stream().anyMatch(v -> holds(target.leaf(), v, op, expected));
    }

    private static void validate(AttributeDefinition leaf, ComparisonOperator op, JsonNode expected) {
        if (expected.isNull()) {
            throw new Refused("the generator sends no null");
        }
        switch (leaf.type()) {
            case BOOLEAN -> {
                if (op != ComparisonOperator.EQ && op != ComparisonOperator.NE) {
                    throw new Refused("ordering a boolean");
                }
                if (!expected.isBoolean() && !expected.asText().equalsIgnoreCase("true")
                        && !expected.asText().equalsIgnoreCase("false")) {
                    throw new Refused("not a boolean");
                }
            }
            case DATE_TIME -> {
                if (op == ComparisonOperator.CO || op == ComparisonOperator.SW || op == ComparisonOperator.EW) {
                    throw new Refused("substring of a date");
                }
                instant(expected);
            }
            default -> {
            }
        }
    }

    private static boolean holds(AttributeDefinition leaf, JsonNode actual, ComparisonOperator op, JsonNode expected) {
        if (actual == null || actual.isMissingNode() || actual.isNull()) {
            return false;
        }
        if (leaf.type() == AttributeType.BOOLEAN) {
            return actual.asBoolean() == (expected.isBoolean() ? expected.booleanValue()
                    : expected.asText().equalsIgnoreCase("true"));
        }
        if (leaf.type() == AttributeType.DATE_TIME) {
            return ordered(Instant.parse(actual.asText()).compareTo(instant(expected)), op);
        }
        String a = leaf.caseExact() ? actual.asText() : actual.asText().toLowerCase(Locale.ROOT);
        String e = leaf.caseExact() ? expected.asText() : expected.asText().toLowerCase(Locale.ROOT);
        return switch (op) {
            case CO -> a.contains(e);
            case SW -> a.startsWith(e);
            case EW -> a.endsWith(e);
            default -> ordered(a.compareTo(e), op);
        };
    }

    private static boolean ordered(int cmp, ComparisonOperator op) {
        return switch (op) {
            case EQ -> cmp == 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            default -> throw new IllegalStateException(op.toString());
        };
    }

    private static Instant instant(JsonNode value) {
        try {
            return OffsetDateTime.parse(value.asText().trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new Refused("not a date");
        }
    }

    @Override
    public Boolean present(Filter.Present filter) {
        Target target = target(filter.path());
        return target.values().stream().anyMatch(v -> !v.isMissingNode() && !v.isNull()
                && !(v.isTextual() && v.asText().isEmpty()) && !(v.isObject() && v.isEmpty()));
    }

    @Override
    public Boolean and(Filter.And filter) {
        boolean left = filter.left().accept(this);
        boolean right = filter.right().accept(this);
        return left && right;
    }

    @Override
    public Boolean or(Filter.Or filter) {
        boolean left = filter.left().accept(this);
        boolean right = filter.right().accept(this);
        return left || right;
    }

    @Override
    public Boolean not(Filter.Not filter) {
        return !filter.inner().accept(this);
    }

    @Override
    public Boolean valuePath(Filter.ValuePath filter) {
        if (scopeDef != null) {
            throw new Refused("nested value path");
        }
        ResourceType.ResolvedAttribute resolved = type.resolve(filter.attribute())
                .orElseThrow(() -> new Refused("unknown"));
        AttributeDefinition def = resolved.definition();
        if (!def.isComplex() || filter.attribute().hasSubAttribute()) {
            throw new Refused("not complex");
        }
        JsonNode container = resolved.inCore(type) ? resource : resource.path(resolved.schema().id());
        JsonNode value = container.path(def.name());
        List<JsonNode> elements = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(elements::add);
        } else if (value.isObject()) {
            elements.add(value);
        }
        boolean found = false;
        scopeDef = def;
        try {
            // Every element is visited, even after a match, so that a refusal never depends on the data.
            scopeElement = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            filter.filter().accept(this);
            for (JsonNode element : elements) {
                scopeElement = element;
                found |= filter.filter().accept(this);
            }
        } finally {
            scopeDef = null;
            scopeElement = null;
        }
        return found;
    }
}
