package dev.scimserver.scim;

/** RFC 7643 §7 "uniqueness". */
public enum Uniqueness implements WireValue {
    NONE("none"),
    SERVER("server"),
    GLOBAL("global");

    private final String wireValue;

    Uniqueness(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }
}
