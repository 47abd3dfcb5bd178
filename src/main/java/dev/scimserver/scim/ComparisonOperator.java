package dev.scimserver.scim;

/** The attribute operators of RFC 7644 Table 3, except {@code pr}, which is {@link Filter.Present}. */
public enum ComparisonOperator {
    EQ, NE, CO, SW, EW, GT, GE, LT, LE;

    /** Operators that test a substring: numbers and dateTimes have none. */
    public boolean isSubstring() {
        return this == CO || this == SW || this == EW;
    }

    public String wireValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
