package dev.scimserver.store;

import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.Page;
import dev.scimserver.directory.ResourceRef;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ScimException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /.search} (RFC 7644 §3.4.3): Users and Groups in one statement, a UNION ALL of both
 * tables with one sort key, paged like a single type. An attribute one type lacks has no value
 * there; one that neither type defines is still the client's mistake.
 */
final class RootSearch {
    private record Branch(ResourceTable table, String type, String fromWhere) {
    }

    private static final List<Branch> BRANCHES = List.of(
            new Branch(ResourceTable.MEMBERS, "User", "FROM workspace_members m WHERE m.workspace_id = ?"),
            new Branch(ResourceTable.GROUPS, "Group", "FROM groups g WHERE g.workspace_id = ? AND g.type = 'custom'"));

    private RootSearch() {
    }

    static Page<ResourceRef> run(Handle handle, UUID workspaceId, SearchQuery query) {
        List<Object> params = new ArrayList<>();
        String union = union(workspaceId, query, params);
        Query count = handle.createQuery("SELECT count(*) FROM (" + union + ") r");
        PageSql.bindParams(count, params);
        long total = query.knownTotal() != null ? query.knownTotal() : count.mapTo(Long.class).one();
        if (PageSql.nothingToFetch(total, query)) {
            return new Page<>(total, List.of());
        }
        Column.Kind kind = sortKind(query);
        Column key = new Column("r.sort_key", kind);
        boolean descending = query.sort() != null && query.sort().descending();
        StringBuilder sql = new StringBuilder("SELECT r.resource_type, r.sort_id, r.sort_key FROM (")
                .append(union).append(") r");
        if (!query.cursorPaging()) {
            sql.append(" ORDER BY ").append(Keysets.orderBy("r.sort_key", "r.sort_id", descending))
                    .append(PageSql.limitOffset(query, params));
        } else {
            PageSql.appendCursorRange(sql, " WHERE ", key, "r.sort_id", query, params);
        }
        Query page = handle.createQuery(sql.toString());
        PageSql.bindParams(page, params);
        List<PageSql.Row<ResourceRef>> rows = page.map((rs, ctx) -> {
            UUID id = rs.getObject("sort_id", UUID.class);
            return new PageSql.Row<>(new ResourceRef(rs.getString("resource_type"), id),
                    new Keyset(Keysets.read(rs, "sort_key", kind), id, false));
        }).list();
        return PageSql.assemble(total, rows, query);
    }

    private static String union(UUID workspaceId, SearchQuery query, List<Object> params) {
        List<Set<String>> unknown = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        Column.Kind kind = sortKind(query);
        for (Branch branch : BRANCHES) {
            Set<String> missing = new HashSet<>();
            SqlFragment filter = query.filter() == null ? SqlFragment.of("true")
                    : FilterSql.translateLeniently(branch.table(), workspaceId, query.filter(), missing);
            unknown.add(missing);
            String key = SortSql.key(branch.table(), query.sort(), true).map(Column::expression)
                    .orElse("CAST(NULL AS " + sqlType(kind) + ")");
            selects.add("SELECT '" + branch.type() + "' AS resource_type, " + branch.table().idColumn().expression()
                    + " AS sort_id, " + key + " AS sort_key " + branch.fromWhere() + " AND " + filter.sql());
            params.add(workspaceId);
            params.addAll(filter.params());
        }
        Set<String> nowhere = new HashSet<>(unknown.get(0));
        nowhere.retainAll(unknown.get(1));
        if (!nowhere.isEmpty()) {
            throw ScimException.invalidFilter("unknown attribute '" + ClientText.abbreviate(nowhere.iterator().next())
                    + "': neither User nor Group defines it");
        }
        return String.join(" UNION ALL ", selects);
    }

    /** The one type both branches' keys share; an attribute typed differently in each cannot order both. */
    private static Column.Kind sortKind(SearchQuery query) {
        Column.Kind kind = null;
        for (Branch branch : BRANCHES) {
            Optional<Column> key = SortSql.key(branch.table(), query.sort(), true);
            if (key.isPresent() && kind != null && key.get().kind() != kind) {
                throw ScimException.invalidValue("sortBy '" + ClientText.abbreviate(query.sort().path().toString())
                        + "' has different types in User "
                        + "and Group and cannot order both");
            }
            kind = key.map(Column::kind).orElse(kind);
        }
        if (kind == null) {
            throw ScimException.invalidValue("sortBy '" + ClientText.abbreviate(query.sort().path().toString())
                    + "' names no attribute of User or Group");
        }
        return kind;
    }

    private static String sqlType(Column.Kind kind) {
        return switch (kind) {
            case TEXT -> "text";
            case NUMBER -> "numeric";
            case TIMESTAMP -> "timestamptz";
            case BOOLEAN -> "boolean";
            case UUID -> "uuid";
        };
    }
}
