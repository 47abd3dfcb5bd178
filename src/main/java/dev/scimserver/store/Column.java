package dev.scimserver.store;

/**
 * A SQL expression that holds one attribute. {@code kind} says how to compare it; {@code uuid}
 * columns compare equal to a UUID parameter so that their primary-key index is used.
 * {@code nullable} false lets a keyset condition be one row comparison, which a btree answers.
 * {@code closedSet}: the column holds one of a few values, each stored folded (a CHECK constraint
 * keeps them so), so a case-insensitive comparison folds only the value it is given, the column's
 * own indexes serve it, and how many rows match depends on which value it is.
 * {@code searchedIn}: a folded text with a trigram index that holds this attribute's value on a line
 * of its own among others (V31's names), or null; a substring comparison looks there first, as its index answers.
 * An element's column may name one in its owner's row (V50's emails, every element's value a line).
 */
record Column(String expression, Kind kind, boolean nullable, boolean closedSet, String searchedIn) {
    enum Kind { TEXT, BOOLEAN, NUMBER, TIMESTAMP, UUID }

    Column(String expression, Kind kind) {
        this(expression, kind, true, false, null);
    }

    Column(String expression, Kind kind, boolean nullable) {
        this(expression, kind, nullable, false, null);
    }

    static Column notNull(String expression, Kind kind) {
        return new Column(expression, kind, false, false, null);
    }

    /** A text column never null whose values are a closed set stored folded. */
    static Column closedSet(String expression) {
        return new Column(expression, Kind.TEXT, false, true, null);
    }

    /** A text that may be null, found among the others in {@code searchedIn}. */
    static Column searchedIn(String expression, String searchedIn) {
        return new Column(expression, Kind.TEXT, true, false, searchedIn);
    }
}
