package dev.scimserver.store;

import java.util.Optional;

/**
 * The values of a multi-valued attribute as rows a filter can test with EXISTS: a jsonb array's
 * elements, or a table (a group's members, a user's groups, a user's emails).
 */
interface ElementSource {

    /** {@code FROM … WHERE …} of the subquery, with {@code alias} naming one element. */
    String fromWhere(String alias);

    /**
     * {@code FROM … WHERE …} of the subquery that finds the element a sort uses ({@link #primaryFirst}),
     * with the same columns as {@link #fromWhere}: the owner's own elements, each joined row met by its
     * key. A page sorted by this attribute finds it for every resource, and a plan that walked the
     * joined table in sort order, probing the owner for each row, would read most of the workspace for
     * a resource of few elements. Filters keep {@link #fromWhere}: the planner may turn their EXISTS
     * into a join driven by the index of the condition (the members of one group), which a joined row
     * met only by key would forbid.
     */
    default String sortedFromWhere(String alias) {
        return fromWhere(alias);
    }

    /** The column of a sub-attribute of the element, or empty for one it does not have. */
    Optional<Column> subAttribute(String alias, String subName);

    /**
     * The ORDER BY that puts the element a sort uses first: the primary one, else the first in the
     * resource (RFC 7644 §3.4.2.3).
     */
    String primaryFirst(String alias);

    /**
     * {@code <owner id> FROM … WHERE …} of the owners of one workspace's elements, the workspace the one
     * parameter, {@code alias} naming one element; empty for elements held in their owner's own row.
     */
    default Optional<String> ownersInWorkspace(String alias) {
        return Optional.empty();
    }

    /**
     * Whether how many owners an element's value has depends on the value: a group's id names a few
     * members or a hundred thousand. A test of such elements is planned for its values on every run
     * (an equality on an email picks a user or two whatever the address, and keeps one plan).
     */
    default boolean ownersPerValueVary() {
        return false;
    }

    /** The elements of a jsonb array expression; a missing or non-array value has none. */
    static ElementSource jsonArray(String arrayExpression) {
        return new ElementSource() {
            @Override
            public String fromWhere(String alias) {
                return "jsonb_array_elements(CASE WHEN jsonb_typeof(" + arrayExpression + ") = 'array' THEN "
                        + arrayExpression + " ELSE '[]'::jsonb END) WITH ORDINALITY AS " + alias + "(v, n) WHERE true";
            }

            @Override
            public Optional<Column> subAttribute(String alias, String subName) {
                return Optional.of(new Column(alias + ".v->>'" + JsonKeys.checked(subName) + "'", Column.Kind.TEXT));
            }

            @Override
            public String primaryFirst(String alias) {
                return "COALESCE(" + alias + ".v->'primary' = 'true'::jsonb, false) DESC, " + alias + ".n";
            }
        };
    }
}
