package dev.scimserver.scim;

/** The {@code scimType} values of RFC 7644 Table 9, plus the cursor errors of RFC 9865. */
public enum ScimType implements WireValue {
    INVALID_FILTER("invalidFilter"),
    TOO_MANY("tooMany"),
    UNIQUENESS("uniqueness"),
    MUTABILITY("mutability"),
    INVALID_SYNTAX("invalidSyntax"),
    INVALID_PATH("invalidPath"),
    NO_TARGET("noTarget"),
    INVALID_VALUE("invalidValue"),
    INVALID_VERS("invalidVers"),
    SENSITIVE("sensitive"),
    /** RFC 9865 §2.2: the cursor is not one the server issued, or not for this query. */
    INVALID_CURSOR("invalidCursor"),
    /** RFC 9865 §2.2: the cursor is older than {@code cursorTimeout}. */
    EXPIRED_CURSOR("expiredCursor"),
    /** RFC 9865 §2.2: a cursor page's count is not a positive integer. */
    INVALID_COUNT("invalidCount");

    private final String wireValue;

    ScimType(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }
}
