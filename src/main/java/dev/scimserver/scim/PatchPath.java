package dev.scimserver.scim;

/**
 * The target of a PATCH operation, RFC 7644 §3.5.2: {@code PATH = attrPath / valuePath [subAttr]}.
 *
 * <ul>
 *   <li>{@code name.familyName}: {@code attribute} = name.familyName, no filter;
 *   <li>{@code members[value eq "2819c223"]}: {@code attribute} = members, {@code valueFilter} =
 *       the bracketed filter, whose paths name sub-attributes of a member;
 *   <li>{@code emails[type eq "work"].value}: as above, with {@code subAttribute} = value.
 * </ul>
 *
 * A filtered attribute never carries its own sub-attribute, and {@code subAttribute} is set only
 * after a filter. {@link #toString()} is the canonical text, which {@link #parse} reads back to an
 * equal value.
 */
public record PatchPath(AttributePath attribute, Filter valueFilter, String subAttribute) {

    public PatchPath {
        if (attribute == null) {
            throw new IllegalStateException("attribute is null");
        }
        if (valueFilter != null && attribute.hasSubAttribute()) {
            throw new IllegalStateException("filtered attribute has a sub-attribute: " + attribute);
        }
        if (subAttribute != null && valueFilter == null) {
            throw new IllegalStateException("subAttribute without valueFilter: " + subAttribute);
        }
    }

    /** Parses a PATCH path; any malformed input, the bracketed filter included, is 400 {@code invalidPath}. */
    public static PatchPath parse(String text) {
        return FilterParser.parsePatchPath(text);
    }

    public boolean hasValueFilter() {
        return valueFilter != null;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(attribute.toString());
        if (valueFilter != null) {
            out.append('[').append(FilterPrinter.print(valueFilter)).append(']');
        }
        if (subAttribute != null) {
            out.append('.').append(subAttribute);
        }
        return out.toString();
    }
}
