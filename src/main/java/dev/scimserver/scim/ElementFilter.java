package dev.scimserver.scim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Evaluates the filter of a PATCH value path ({@code emails[type eq "work"]}) against one value of
 * a multi-valued complex attribute. Paths in the filter name sub-attributes of that value.
 */
final class ElementFilter implements Filter.Visitor<Boolean> {
    private final AttributeDefinition complex;
    private final JsonNode element;

    private ElementFilter(AttributeDefinition complex, JsonNode element) {
        this.complex = complex;
        this.element = element;
    }

    static boolean matches(Filter filter, AttributeDefinition complex, JsonNode element) {
        return filter.accept(new ElementFilter(complex, element));
    }

    /** Rejects a filter that names anything but sub-attributes of {@code complex}, before it is used. */
    static void check(Filter filter, AttributeDefinition complex) {
        filter.accept(new ElementFilter(complex, com.fasterxml.jackson.databind.node.NullNode.getInstance()));
    }

    private AttributeDefinition sub(AttributePath path) {
        if (path.hasSubAttribute()) {
            throw ScimException.invalidPath("'" + ClientText.abbreviate(path.toString())
                    + "' is not a sub-attribute of " + complex.name());
        }
        return complex.subAttribute(path.attribute()).orElseThrow(() -> ScimException.invalidPath(
                "'" + ClientText.abbreviate(path.attribute()) + "' is not a sub-attribute of " + complex.name()));
    }

    @Override
    public Boolean comparison(Filter.Comparison filter) {
        AttributeDefinition sub = sub(filter.path());
        JsonNode actual = element.get(sub.name());
        return ValueComparison.test(sub, actual, filter.operator(), filter.value());
    }

    @Override
    public Boolean present(Filter.Present filter) {
        JsonNode actual = element.get(sub(filter.path()).name());
        return actual != null && !actual.isNull() && !(actual.isTextual() && actual.asText().isEmpty());
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
        throw ScimException.invalidPath("a value path cannot nest another value path");
    }
}
