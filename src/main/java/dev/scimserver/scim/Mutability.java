package dev.scimserver.scim;

/** RFC 7643 §7 "mutability". */
public enum Mutability implements WireValue {
    READ_ONLY("readOnly"),
    READ_WRITE("readWrite"),
    IMMUTABLE("immutable"),
    WRITE_ONLY("writeOnly");

    private final String wireValue;

    Mutability(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }
}
