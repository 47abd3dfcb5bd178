package dev.scimserver.scim;

/** The attribute operators of RFC 7644 Table 3, except {@code pr}, which is {@link Filter.Present}. */
public enum ComparisonOperator {
    EQ, NE, CO, SW, EW, GT, GE, LT, LE;

    /** Operators that order values; RFC 7644 forbids them on booleans. */
    public boolean isOrdering() {
        return this == GT || this == GE || this == LT || this == LE;
    }

    public String wireValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
