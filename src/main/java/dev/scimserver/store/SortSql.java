package dev.scimserver.store;

import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.AttributeDefinition;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.Returned;
import dev.scimserver.scim.ScimException;

import java.util.Optional;

/**
 * The SQL expression a search orders by (RFC 7644 §3.4.2.3): a column, a jsonb value cast to the
 * attribute's type, or, for a multi-valued attribute, its primary (else first) value. Case-insensitive
 * strings order by {@code scim_fold()} (V12). Without {@code sortBy}, lists keep their creation order.
 */
final class SortSql {
    private SortSql() {
    }

    /** The sort key of {@code sort} over {@code table}; empty when the type lacks the attribute and {@code lenient}. */
    static Optional<Column> key(ResourceTable table, SearchQuery.Sort sort, boolean lenient) {
        if (sort == null) {
            return table.column(null, "meta", "created");
        }
        AttributePath path = sort.path();
        ResourceType type = table.type();
        Optional<ResourceType.ResolvedAttribute> found = type.resolve(path);
        if (found.isEmpty()) {
            if (lenient) {
                return Optional.empty();
            }
            throw ScimException.invalidValue("sortBy '" + ClientText.abbreviate(path.toString())
                    + "' names no attribute of " + type.name());
        }
        AttributeDefinition def = found.get().definition();
        String schemaUrn = found.get().schema().id();
        if (def.returned() == Returned.NEVER) {
            throw ScimException.invalidValue("sortBy '" + def.name() + "' is never returned and cannot order results");
        }
        AttributeDefinition sub = subAttribute(def, path);
        AttributeDefinition leaf = sub == null ? def : sub;
        Optional<Column> column = table.column(schemaUrn, def.name(), sub == null ? null : sub.name());
        if (column.isPresent()) {
            return Optional.of(ordered(column.get(), leaf));
        }
        if (def.name().equals("meta") || def.name().equals("id")) {
            throw ScimException.invalidValue("sortBy '" + ClientText.abbreviate(path.toString())
                    + "' cannot order results");
        }
        Column value = def.multiValued() ? firstValue(table, schemaUrn, def, sub) : singular(table, schemaUrn, def, sub);
        return Optional.of(ordered(FilterSql.typed(value, leaf), leaf));
    }

    /** RFC 7644 §3.4.2.3: a complex attribute is sorted by a sub-attribute; alone, by its "value". */
    private static AttributeDefinition subAttribute(AttributeDefinition def, AttributePath path) {
        if (path.hasSubAttribute()) {
            return def.subAttribute(path.subAttribute()).orElseThrow(() -> ScimException.invalidValue(
                    "sortBy '" + ClientText.abbreviate(path.toString()) + "': " + def.name()
                            + " has no such sub-attribute"));
        }
        if (def.isComplex()) {
            return def.subAttribute("value").orElseThrow(() -> ScimException.invalidValue(
                    "sortBy '" + ClientText.abbreviate(path.toString())
                            + "' is complex: name one of its sub-attributes, such as "
                            + def.name() + "." + def.subAttributes().get(0).name()));
        }
        return null;
    }

    private static Column singular(ResourceTable table, String schemaUrn, AttributeDefinition def,
                                   AttributeDefinition sub) {
        String container = table.jsonContainer(schemaUrn);
        String expression = sub == null
                ? "(" + container + "->>'" + JsonKeys.checked(def.name()) + "')"
                : "(" + container + "->'" + JsonKeys.checked(def.name()) + "'->>'" + JsonKeys.checked(sub.name()) + "')";
        return new Column(expression, Column.Kind.TEXT);
    }

    private static Column firstValue(ResourceTable table, String schemaUrn, AttributeDefinition def,
                                     AttributeDefinition sub) {
        boolean core = schemaUrn.equals(table.type().core().id());
        ElementSource source = (core ? table.joined(def.name()) : Optional.<ElementSource>empty()).orElseGet(() ->
                ElementSource.jsonArray("(" + table.jsonContainer(schemaUrn) + "->'" + JsonKeys.checked(def.name()) + "')"));
        String alias = "s1";
        Column element = sub == null ? new Column(alias + ".v #>> '{}'", Column.Kind.TEXT)
                : source.subAttribute(alias, sub.name()).orElseThrow(() -> ScimException.invalidValue(
                "sortBy '" + def.name() + "." + sub.name() + "' cannot order results"));
        return new Column("(SELECT " + element.expression() + " FROM " + source.sortedFromWhere(alias) + " ORDER BY "
                + source.primaryFirst(alias) + " LIMIT 1)", element.kind());
    }

    /** Case-insensitive strings order by their lower case: "case-insensitive Unicode alphabetic sort order". */
    private static Column ordered(Column column, AttributeDefinition leaf) {
        if (column.kind() == Column.Kind.TEXT && !leaf.caseExact()) {
            return new Column("scim_fold(" + column.expression() + ")", Column.Kind.TEXT, column.nullable());
        }
        return column;
    }
}
