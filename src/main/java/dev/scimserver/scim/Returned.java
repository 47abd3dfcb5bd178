package dev.scimserver.scim;

/** RFC 7643 §7 "returned". */
public enum Returned implements WireValue {
    ALWAYS("always"),
    NEVER("never"),
    DEFAULT("default"),
    REQUEST("request");

    private final String wireValue;

    Returned(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }
}
