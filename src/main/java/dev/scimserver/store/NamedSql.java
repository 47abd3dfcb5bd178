package dev.scimserver.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A statement written with named parameters ({@code :name}, as the Jdbi statements of this package
 * are), turned once into the driver's form, a {@code ?} for each. Made once for a statement whose text
 * never changes and run through {@link PlainStatements}: Jdbi parses a statement's text again on every
 * run (hashing and comparing the whole text to find its cache entry) and looks up an argument factory
 * for every value, which on the writes' hottest statements cost more CPU than the driver did
 * (bench/RESULTS.md, 2026-12-05).
 */
final class NamedSql {
    private final String sql;
    /** The name of each {@code ?} of {@link #sql}, in order: a name used twice is bound twice. */
    private final String[] positions;

    private NamedSql(String sql, String[] positions) {
        this.sql = sql;
        this.positions = positions;
    }

    /**
     * {@code text} with each {@code :name} outside a string literal made a {@code ?}; a cast ({@code ::})
     * is no parameter. A {@code ?} of the text's own would be taken by the driver for a parameter, so it
     * is refused.
     */
    static NamedSql of(String text) {
        StringBuilder sql = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\'') {
                int end = text.indexOf('\'', at + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("an unterminated string literal in: " + text);
                }
                sql.append(text, at, end + 1);
                at = end + 1;
            } else if (c == ':' && at + 1 < text.length() && text.charAt(at + 1) == ':') {
                sql.append("::");
                at += 2;
            } else if (c == ':' && at + 1 < text.length() && startsAName(text.charAt(at + 1))) {
                int end = at + 1;
                while (end < text.length() && continuesAName(text.charAt(end))) {
                    end++;
                }
                names.add(text.substring(at + 1, end));
                sql.append('?');
                at = end;
            } else if (c == '?') {
                throw new IllegalArgumentException("a ? of its own in: " + text);
            } else {
                sql.append(c);
                at++;
            }
        }
        return new NamedSql(sql.toString(), names.toArray(new String[0]));
    }

    String sql() {
        return sql;
    }

    /** Values for a run of this statement, none bound yet. */
    Values values() {
        return new Values();
    }

    private static boolean startsAName(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean continuesAName(char c) {
        return startsAName(c) || c >= '0' && c <= '9';
    }

    /** The values of one run, bound by name; every name of the statement must be bound before it runs. */
    final class Values {
        private final Object[] byPosition = new Object[positions.length];
        private final boolean[] bound = new boolean[positions.length];

        private Values() {
        }

        /** {@code value} at every place of {@code :name}; a null is a null text, as Jdbi binds a null String. */
        Values bind(String name, Object value) {
            boolean found = false;
            for (int i = 0; i < positions.length; i++) {
                if (positions[i].equals(name)) {
                    byPosition[i] = value;
                    bound[i] = true;
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no parameter :" + name + " in: " + sql);
            }
            return this;
        }

        NamedSql statement() {
            return NamedSql.this;
        }

        /** The values in the order of the {@code ?}s. */
        Object[] positional() {
            for (int i = 0; i < positions.length; i++) {
                if (!bound[i]) {
                    throw new IllegalStateException("no value for :" + positions[i] + " in: " + sql);
                }
            }
            return Arrays.copyOf(byPosition, byPosition.length);
        }
    }
}
