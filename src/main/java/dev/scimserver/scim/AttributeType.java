package dev.scimserver.scim;

/** Attribute data types of RFC 7643 §2.3. */
public enum AttributeType implements WireValue {
    STRING("string"),
    BOOLEAN("boolean"),
    DECIMAL("decimal"),
    INTEGER("integer"),
    DATE_TIME("dateTime"),
    BINARY("binary"),
    REFERENCE("reference"),
    COMPLEX("complex");

    private final String wireValue;

    AttributeType(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    /** Types whose values are compared as text (with caseExact deciding the case rule). */
    public boolean isTextual() {
        return this == STRING || this == REFERENCE || this == BINARY;
    }
}
