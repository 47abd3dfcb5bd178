package dev.scimserver.store;

/**
 * A SQL expression that holds one attribute. {@code kind} says how to compare it; {@code uuid}
 * columns compare equal to a UUID parameter so that their primary-key index is used.
 */
record Column(String expression, Kind kind) {
    enum Kind { TEXT, BOOLEAN, NUMBER, TIMESTAMP, UUID }
}
