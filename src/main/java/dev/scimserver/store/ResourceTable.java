package dev.scimserver.store;

import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.ScimSchemas;
import dev.scimserver.scim.Schema;
import dev.scimserver.scim.ScimUrns;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where each attribute of a resource type lives in SQL: hot attributes in indexed columns, joined
 * multi-valued attributes in their tables, every other attribute in the {@code attributes} jsonb.
 */
final class ResourceTable {
    private final ResourceType type;
    private final String alias;
    private final String jsonColumn;
    private final Map<String, Column> columns;
    private final Map<String, ElementSource> joined;
    /** The columns a unique index keeps to one row of a workspace, compared as a filter compares them. */
    private final Set<Column> unique;
    /**
     * The sort keys, as {@link SortSql} writes them, whose order with the id as the tie-breaker an index of
     * the workspace's rows keeps: with the id, or unique on its own.
     */
    private final Set<String> indexedOrders;

    /**
     * A table aliased {@code alias}, whose row is identified by {@code idColumn}. The common attributes
     * (RFC 7643 §3.1) are the same columns in every table; {@code columns} are the type's own, of which
     * those named in {@code unique} hold a value no two rows of a workspace share (folded, as the
     * filter folds an attribute that is not caseExact), as a unique index keeps them. The keyset index of
     * every table keeps {@code created_at} in order; {@code indexedOrders} names the table's other ordered
     * keys.
     */
    private ResourceTable(ResourceType type, String alias, String idColumn, Map<String, Column> columns,
                          Set<String> unique, Set<String> indexedOrders, Map<String, ElementSource> joined) {
        this.type = type;
        this.alias = alias;
        Set<String> orders = new HashSet<>(indexedOrders);
        orders.add(alias + ".created_at");
        this.indexedOrders = Set.copyOf(orders);
        this.jsonColumn = alias + ".attributes";
        Map<String, Column> all = new HashMap<>(columns);
        all.put("id", Column.notNull(idColumn, Column.Kind.UUID));
        all.put("externalid", new Column(alias + ".external_id", Column.Kind.TEXT));
        all.put("meta.created", Column.notNull(alias + ".created_at", Column.Kind.TIMESTAMP));
        all.put("meta.lastmodified", Column.notNull(alias + ".last_modified", Column.Kind.TIMESTAMP));
        // Cast, so that it is an expression: PostgreSQL refuses a bare constant in ORDER BY.
        all.put("meta.resourcetype", Column.notNull("CAST('" + type.name() + "' AS text)", Column.Kind.TEXT));
        all.put("meta.version", Column.notNull("('W/\"' || " + alias + ".version || '\"')", Column.Kind.TEXT));
        this.columns = Map.copyOf(all);
        this.joined = joined;
        Set<Column> uniqueColumns = new HashSet<>();
        uniqueColumns.add(all.get("id"));
        unique.forEach(name -> uniqueColumns.add(Objects.requireNonNull(all.get(name), name)));
        this.unique = Set.copyOf(uniqueColumns);
    }

    /** The table's alias in every statement: {@code m} or {@code g}. */
    String alias() {
        return alias;
    }

    /** Whether an index keeps the workspace's rows in the order of {@code key} and id: a walk reads what it returns. */
    boolean orderedByAnIndex(Column key) {
        return indexedOrders.contains(key.expression());
    }

    /** Whether an equality on {@code column} holds for one row of a workspace at most. */
    boolean unique(Column column) {
        return unique.contains(column);
    }

    /** The column that identifies a row: the SCIM id, and the tie-breaker of every order. */
    Column idColumn() {
        return columns.get("id");
    }

    /** A user's emails: a row each, indexed by their owner's key, for filters and sorts alike. */
    private static final String EMAILS = "member_emails me{a} WHERE me{a}.workspace_id = m.workspace_id "
            + "AND me{a}.user_id = m.user_id";

    /** V31's column: a user's displayName and name parts, folded, where a substring search finds candidates. */
    private static final String SEARCHED_NAMES = "m.searched_names";
    /** V50's column: the values of a user's emails, folded, where a substring search finds candidates. */
    private static final String SEARCHED_EMAILS = "m.searched_emails";

    /** A part of a user's name, as the filter reads any single complex attribute's sub-attribute. */
    private static String namePart(String subAttribute) {
        return "(m.attributes->'name'->>'" + subAttribute + "')";
    }

    /** Users: workspace_members AS m. */
    static final ResourceTable MEMBERS = new ResourceTable(ScimSchemas.get().users(), "m", "m.user_id", Map.of(
            "username", Column.notNull("m.user_name", Column.Kind.TEXT),
            "displayname", Column.searchedIn("m.display_name", SEARCHED_NAMES),
            "name.formatted", Column.searchedIn(namePart("formatted"), SEARCHED_NAMES),
            "name.givenname", Column.searchedIn(namePart("givenName"), SEARCHED_NAMES),
            "name.middlename", Column.searchedIn(namePart("middleName"), SEARCHED_NAMES),
            "name.familyname", Column.searchedIn(namePart("familyName"), SEARCHED_NAMES),
            "active", Column.notNull("(m.status = 'active')", Column.Kind.BOOLEAN),
            (ScimUrns.TOOLJET_USER + ":role").toLowerCase(Locale.ROOT), Column.closedSet("m.role")),
            // V12's workspace_members_user_name_unique.
            Set.of("username"),
            // V12's workspace_members_user_name_unique. Not workspace_members_display_name: it holds no
            // id, so a walk in the order of displayName and id sorts each run of equal names whole, and
            // the members without a displayName, all of a directory Entra fills, are one such run.
            Set.of("scim_fold(m.user_name)"),
            // A person is one id in every workspace it belongs to: its memberships are those of m's
            // workspace only, or another tenant's groups would answer this one's filters.
            Map.of("groups", joinedSource(
                    "group_members gm{a} JOIN groups g{a} ON g{a}.id = gm{a}.group_id AND g{a}.type = 'custom' "
                            + "WHERE gm{a}.user_id = m.user_id AND gm{a}.workspace_id = m.workspace_id",
                    "group_members gm{a} CROSS JOIN LATERAL (SELECT gk{a}.id, gk{a}.name FROM groups gk{a} "
                            + "WHERE gk{a}.id = gm{a}.group_id AND gk{a}.type = 'custom' LIMIT 1) g{a} "
                            + "WHERE gm{a}.user_id = m.user_id AND gm{a}.workspace_id = m.workspace_id",
                    "gm{a}.user_id FROM group_members gm{a} JOIN groups g{a} ON g{a}.id = gm{a}.group_id "
                            + "AND g{a}.type = 'custom' WHERE gm{a}.workspace_id = ?",
                    Map.of("value", new Column("g{a}.id", Column.Kind.UUID),
                            "display", new Column("g{a}.name", Column.Kind.TEXT),
                            "type", new Column("'direct'", Column.Kind.TEXT)),
                    "g{a}.name, g{a}.id", true),
                    // A row per email (V2's member_emails), so that emails filters use its indexes.
                    "emails", joinedSource(EMAILS, EMAILS,
                            "me{a}.user_id FROM member_emails me{a} WHERE me{a}.workspace_id = ?",
                            Map.of("value", Column.searchedIn("me{a}.value", SEARCHED_EMAILS),
                                    "display", new Column("me{a}.display", Column.Kind.TEXT),
                                    "type", new Column("me{a}.type", Column.Kind.TEXT),
                                    "primary", new Column("me{a}.is_primary", Column.Kind.BOOLEAN)),
                            "me{a}.is_primary IS TRUE DESC, me{a}.position", false)));

    /** Groups: groups AS g. */
    static final ResourceTable GROUPS = new ResourceTable(ScimSchemas.get().groups(), "g", "g.id", Map.of(
            "displayname", Column.notNull("g.name", Column.Kind.TEXT)),
            // V12's groups_name_unique.
            Set.of("displayname"),
            Set.of("scim_fold(g.name)"),
            Map.of("members", joinedSource(
                    // The group's row is named in the WHERE only: PostgreSQL makes an EXISTS a join only
                    // then, and otherwise runs it once a group (a membership's workspace is its group's).
                    "group_members gm{a} JOIN workspace_members wm{a} ON wm{a}.user_id = gm{a}.user_id "
                            + "AND wm{a}.workspace_id = gm{a}.workspace_id WHERE gm{a}.group_id = g.id",
                    "group_members gm{a} CROSS JOIN LATERAL (SELECT wmk{a}.user_id, wmk{a}.user_name, "
                            + "wmk{a}.display_name, wmk{a}.created_at FROM workspace_members wmk{a} "
                            + "WHERE wmk{a}.workspace_id = g.workspace_id AND wmk{a}.user_id = gm{a}.user_id "
                            + "LIMIT 1) wm{a} WHERE gm{a}.group_id = g.id",
                    "gm{a}.group_id FROM group_members gm{a} JOIN workspace_members wm{a} ON wm{a}.user_id = "
                            + "gm{a}.user_id AND wm{a}.workspace_id = gm{a}.workspace_id WHERE gm{a}.workspace_id = ?",
                    Map.of("value", new Column("gm{a}.user_id", Column.Kind.UUID),
                            "display", new Column("coalesce(wm{a}.display_name, wm{a}.user_name)", Column.Kind.TEXT),
                            "type", new Column("'User'", Column.Kind.TEXT)),
                    "wm{a}.created_at, wm{a}.user_id", true)));

    ResourceType type() {
        return type;
    }

    /** The column of a core or common attribute ({@code schemaUrn} null) or an extension attribute. */
    Optional<Column> column(String schemaUrn, String attribute, String subAttribute) {
        String key = (schemaUrn == null || schemaUrn.equalsIgnoreCase(type.core().id()) ? "" : schemaUrn + ":")
                + attribute + (subAttribute == null ? "" : "." + subAttribute);
        return Optional.ofNullable(columns.get(key.toLowerCase(Locale.ROOT)));
    }

    Optional<ElementSource> joined(String coreAttribute) {
        return Optional.ofNullable(joined.get(coreAttribute.toLowerCase(Locale.ROOT)));
    }

    /**
     * When a resource's {@code schemas} lists {@code schema}, as SQL, as the renderer lists them: the
     * core schema and the ToolJet extension (every member has a role, kept in its column) always, any
     * other extension when the resource holds its object.
     */
    String listsSchema(Schema schema) {
        if (schema.id().equals(type.core().id()) || schema.id().equals(ScimUrns.TOOLJET_USER)) {
            return "true";
        }
        return "(" + jsonContainer(schema.id()) + " IS NOT NULL)";
    }

    /** The jsonb that holds the attributes of {@code schemaUrn}: the row's attributes, or its extension object. */
    String jsonContainer(String schemaUrn) {
        if (schemaUrn.equals(type.core().id())) {
            return jsonColumn;
        }
        return "(" + jsonColumn + "->'" + JsonKeys.checked(schemaUrn) + "')";
    }

    /**
     * A join-table source; {@code {a}} in the SQL becomes the alias of each use, so subqueries can nest.
     * {@code sortedFromWhere}: its {@link ElementSource#sortedFromWhere}; {@code owners}: its
     * {@link ElementSource#ownersInWorkspace}; {@code ownersVary}: its {@link ElementSource#ownersPerValueVary}.
     */
    private static ElementSource joinedSource(String fromWhere, String sortedFromWhere, String owners,
                                              Map<String, Column> subColumns, String order, boolean ownersVary) {
        return new ElementSource() {
            @Override
            public boolean ownersPerValueVary() {
                return ownersVary;
            }

            @Override
            public String fromWhere(String alias) {
                return fromWhere.replace("{a}", alias);
            }

            @Override
            public String sortedFromWhere(String alias) {
                return sortedFromWhere.replace("{a}", alias);
            }

            @Override
            public Optional<String> ownersInWorkspace(String alias) {
                return Optional.of(owners.replace("{a}", alias));
            }

            @Override
            public Optional<Column> subAttribute(String alias, String subName) {
                Column column = subColumns.get(subName.toLowerCase(Locale.ROOT));
                return Optional.ofNullable(column).map(c -> new Column(c.expression().replace("{a}", alias), c.kind(),
                        c.nullable(), c.closedSet(), c.searchedIn()));
            }

            @Override
            public String primaryFirst(String alias) {
                return order.replace("{a}", alias);
            }
        };
    }
}
