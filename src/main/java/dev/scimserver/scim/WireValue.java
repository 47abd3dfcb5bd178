package dev.scimserver.scim;

/** An enum constant with the exact spelling it has on the wire (schemas, error bodies). */
public interface WireValue {
    String wireValue();

    /** The constant spelled {@code value}; schema definitions are ours, so a miss is our bug. */
    static <E extends Enum<E> & WireValue> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireValue().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new IllegalStateException("unknown " + type.getSimpleName() + " in schema definition: " + value);
    }
}
