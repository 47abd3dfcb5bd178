package dev.scimserver.store;

/**
 * A SQL expression that holds one attribute. {@code kind} says how to compare it; {@code uuid}
 * columns compare equal to a UUID parameter so that their primary-key index is used.
 * {@code nullable} false lets a keyset condition be one row comparison, which a btree answers.
 */
record Column(String expression, Kind kind, boolean nullable) {
    enum Kind { TEXT, BOOLEAN, NUMBER, TIMESTAMP, UUID }

    Column(String expression, Kind kind) {
        this(expression, kind, true);
    }

    static Column notNull(String expression, Kind kind) {
        return new Column(expression, kind, false);
    }
}
