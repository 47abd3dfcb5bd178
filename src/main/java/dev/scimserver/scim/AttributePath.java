package dev.scimserver.scim;

import java.util.Locale;

/**
 * An attribute reference as RFC 7644 §3.10 writes it: {@code [URN ":"] attribute ["." subAttribute]}.
 * Names are kept as written; resolution against a schema is case-insensitive.
 */
public record AttributePath(String schemaUrn, String attribute, String subAttribute) {

    public AttributePath {
        if (attribute == null || attribute.isEmpty()) {
            throw new IllegalStateException("attribute name is empty");
        }
    }

    public static AttributePath of(String attribute) {
        return new AttributePath(null, attribute, null);
    }

    public AttributePath withoutSubAttribute() {
        return new AttributePath(schemaUrn, attribute, null);
    }

    public boolean hasSubAttribute() {
        return subAttribute != null;
    }

    /**
     * Parses {@code [URN:]attr[.sub]}. A URN's own dots ("2.0") are not separators: only the part
     * after the URN's last colon is split at a dot.
     */
    public static AttributePath parse(String text) {
        String urn = null;
        String rest = text;
        if (text.regionMatches(true, 0, "urn:", 0, 4)) {
            int colon = text.lastIndexOf(':');
            urn = text.substring(0, colon);
            rest = text.substring(colon + 1);
        }
        int dot = rest.indexOf('.');
        String attr = dot < 0 ? rest : rest.substring(0, dot);
        String sub = dot < 0 ? null : rest.substring(dot + 1);
        if (attr.isEmpty() || (sub != null && (sub.isEmpty() || sub.contains(".")))) {
            throw ScimException.invalidPath("not an attribute path: " + ClientText.abbreviate(text));
        }
        return new AttributePath(urn, attr, sub);
    }

    /** The text form, which {@link #parse} reads back to an equal value. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (schemaUrn != null) {
            out.append(schemaUrn).append(':');
        }
        out.append(attribute);
        if (subAttribute != null) {
            out.append('.').append(subAttribute);
        }
        return out.toString();
    }

    /** Key for case-insensitive comparisons of two paths. */
    public String normalized() {
        return toString().toLowerCase(Locale.ROOT);
    }
}
