package dev.scimserver.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.AttributeDefinition;
import dev.scimserver.scim.AttributePath;
import dev.scimserver.scim.CanonicalUuids;
import dev.scimserver.scim.ClientText;
import dev.scimserver.scim.ComparisonOperator;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterOperands;
import dev.scimserver.scim.Names;
import dev.scimserver.scim.ResourceType;
import dev.scimserver.scim.Returned;
import dev.scimserver.scim.Schema;
import dev.scimserver.scim.ScimException;
import dev.scimserver.scim.ValueComparison;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Translates a filter into one parameterised SQL condition over a {@link ResourceTable}. A missing
 * value makes a comparison NULL, which a WHERE or EXISTS takes as false; only under {@code not} (and
 * {@code ne}) is it turned into false first ({@code COALESCE(…, false)}), so that {@code not} matches
 * resources that lack the attribute, as the in-memory evaluation does. Comparisons stay bare
 * everywhere else because a comparison wrapped in COALESCE can use no index.
 */
final class FilterSql implements Filter.Visitor<String> {
    private final ResourceTable table;
    private final List<Object> params = new ArrayList<>();
    /** The multi-valued attribute whose elements the current sub-filter tests, or null at the top. */
    private ElementScope scope;
    private int aliases;
    private final UUID workspaceId;
    /** How many ORs enclose the test being translated. */
    private int orDepth;
    /** How many NOTs enclose the test being translated. */
    private int notDepth;
    /** Whether a test met holds for one row at most, and holds for the whole filter: see {@link SqlFragment}. */
    private boolean matchesOneAtMost;
    /** Whether a test was met whose best plan depends on its value: see {@link SqlFragment}. */
    private boolean plannedPerValue;
    /** Whether a substring or prefix of a text is looked for: see {@link SqlFragment}. */
    private boolean searchesText;
    /**
     * Whether the test of an element being written may leave the candidates its owner's row holds for
     * it ({@link Column#searchedIn}) to {@link #anyElement}, which writes them beside the EXISTS: inside
     * it they would be tested row by row, where no index of the owner's table can serve them.
     */
    private boolean candidatesBesideTheElements;
    /** The candidates so left, with their parameters; null when none were. */
    private Written ownerCandidates;
    /** The last test written as candidates and the exact comparison, for {@link #or} to join; or null. */
    private CandidatesThenExact candidatesThenExact;

    /** SQL and the parameters it binds, in order. */
    private record Written(String sql, List<Object> params) {
    }

    /** A test of candidates in a wider text ({@link Column#searchedIn}), then the exact comparison. */
    private record CandidatesThenExact(Written candidates, Written exact) {
    }

    /** A branch of an OR as written, or the exact tests of branches that share their candidates. */
    private record Branch(Written written, Written candidates, List<Written> exact) {
    }
    /**
     * Null for one resource type, where an unknown attribute is a 400. For a search across types,
     * where RFC 7644 §3.4.3 says an attribute a type lacks has no value, it collects those names.
     */
    private final Set<String> unknown;

    /** Thrown inside a lenient translation when a path names no attribute of the type. */
    private static final class UnknownAttribute extends RuntimeException {
        UnknownAttribute() {
            super(null, null, false, false);
        }
    }

    private record ElementScope(AttributeDefinition attribute, ElementSource source, String alias) {
    }

    private FilterSql(ResourceTable table, UUID workspaceId, Set<String> unknown) {
        this.table = table;
        this.workspaceId = workspaceId;
        this.unknown = unknown;
    }

    /** The condition of {@code filter} over the rows of the workspace {@code workspaceId}. */
    static SqlFragment translate(ResourceTable table, UUID workspaceId, Filter filter) {
        FilterSql sql = new FilterSql(table, workspaceId, null);
        String condition = filter.accept(sql);
        return new SqlFragment(condition, sql.params, sql.plannedPerValue, sql.matchesOneAtMost, sql.searchesText);
    }

    /**
     * For a search across resource types: a test of an attribute the type does not define is a
     * test of a missing value ({@code eq} false, {@code ne} true, {@code pr} false); the names of
     * such attributes are added to {@code unknown}.
     */
    static SqlFragment translateLeniently(ResourceTable table, UUID workspaceId, Filter filter, Set<String> unknown) {
        FilterSql sql = new FilterSql(table, workspaceId, unknown);
        String condition = filter.accept(sql);
        return new SqlFragment(condition, sql.params, sql.plannedPerValue, sql.matchesOneAtMost, sql.searchesText);
    }

    @Override
    public String and(Filter.And filter) {
        return "(" + filter.left().accept(this) + " AND " + filter.right().accept(this) + ")";
    }

    /**
     * The branches of an OR, those that look first among the same candidates (a search of several of a
     * user's names looks in V31's column for each) joined under one test of them: PostgreSQL scans an
     * index once for each branch of an OR, even for the same condition.
     */
    @Override
    public String or(Filter.Or filter) {
        orDepth++;
        try {
            List<Filter> branches = new ArrayList<>();
            addBranches(filter, branches);
            List<Branch> joined = new ArrayList<>();
            for (Filter branch : branches) {
                int from = params.size();
                candidatesThenExact = null;
                String sql = branch.accept(this);
                List<Object> bound = params.subList(from, params.size());
                Written written = new Written(sql, new ArrayList<>(bound));
                bound.clear();
                CandidatesThenExact split = candidatesThenExact;
                if (split == null || !sql.equals("(" + split.candidates.sql + " AND " + split.exact.sql + ")")) {
                    joined.add(new Branch(written, null, null));
                    continue;
                }
                Optional<Branch> same = joined.stream().filter(b -> split.candidates.equals(b.candidates)).findFirst();
                if (same.isPresent()) {
                    same.get().exact.add(split.exact);
                } else {
                    joined.add(new Branch(null, split.candidates, new ArrayList<>(List.of(split.exact))));
                }
            }
            candidatesThenExact = null;
            List<String> sql = new ArrayList<>();
            for (Branch branch : joined) {
                if (branch.candidates == null) {
                    sql.add(branch.written.sql);
                    params.addAll(branch.written.params);
                    continue;
                }
                params.addAll(branch.candidates.params);
                List<String> exact = new ArrayList<>();
                for (Written test : branch.exact) {
                    exact.add(test.sql);
                    params.addAll(test.params);
                }
                sql.add("(" + branch.candidates.sql + " AND "
                        + (exact.size() == 1 ? exact.get(0) : "(" + String.join(" OR ", exact) + ")") + ")");
            }
            return "(" + String.join(" OR ", sql) + ")";
        } finally {
            orDepth--;
        }
    }

    private static void addBranches(Filter filter, List<Filter> branches) {
        if (filter instanceof Filter.Or or) {
            addBranches(or.left(), branches);
            addBranches(or.right(), branches);
        } else {
            branches.add(filter);
        }
    }

    @Override
    public String not(Filter.Not filter) {
        notDepth++;
        try {
            return "(NOT COALESCE(" + filter.inner().accept(this) + ", false))";
        } finally {
            notDepth--;
        }
    }

    @Override
    public String comparison(Filter.Comparison filter) {
        if (scope == null && isSchemas(filter.path())) {
            return schemas(filter.operator(), filter.value());
        }
        if (filter.value().isNull() && scope == null && (filter.operator() == ComparisonOperator.EQ
                || filter.operator() == ComparisonOperator.NE)) {
            return comparedWithNull(filter);
        }
        return compared(filter);
    }

    /**
     * RFC 7643 §2.5: unassigned, null and an empty array are one state. "ne null" is a value's
     * presence; "eq null" its absence, where a test of each element of a multi-valued attribute would
     * find none to test and miss the resources with no element at all. A sub-attribute's ("emails.type
     * eq null") also matches a value without it, as any value matching does (RFC 7644 §3.4.2.2).
     */
    private String comparedWithNull(Filter.Comparison filter) {
        AttributePath path = filter.path();
        String present = present(new Filter.Present(path));
        if (filter.operator() == ComparisonOperator.NE) {
            return present;
        }
        if (!path.hasSubAttribute()) {
            return "(NOT COALESCE(" + present + ", false))";
        }
        String whole = present(new Filter.Present(path.withoutSubAttribute()));
        return "(NOT COALESCE(" + whole + ", false) OR COALESCE(" + compared(filter) + ", false))";
    }

    private String compared(Filter.Comparison filter) {
        try {
            return onTarget(filter.path(), (column, def) -> {
                // Only outside every OR, NOT and element filter does the test bound the whole filter.
                if (filter.operator() == ComparisonOperator.EQ && !filter.value().isNull() && scope == null
                        && orDepth == 0 && notDepth == 0 && table.unique(column)) {
                    matchesOneAtMost = true;
                }
                return compare(column, def, filter.operator(), Names.comparedWith(def, filter.operator(),
                        filter.value()));
            });
        } catch (UnknownAttribute e) {
            boolean absentMatches = filter.value().isNull() ? filter.operator() == ComparisonOperator.EQ
                    : filter.operator() == ComparisonOperator.NE;
            return absentMatches ? "true" : "false";
        }
    }

    @Override
    public String present(Filter.Present filter) {
        try {
            return presentOnTarget(filter);
        } catch (UnknownAttribute e) {
            return "false";
        }
    }

    private String presentOnTarget(Filter.Present filter) {
        if (scope == null && isSchemas(filter.path())) {
            return "true";
        }
        if (scope == null) {
            Target target = resolve(filter.path(), true);
            if (target.definition().name().equals("meta") && target.subAttribute() == null) {
                // Every resource has its meta (created, lastModified, version), kept in columns.
                return "true";
            }
            if (target.leaf().isComplex()) {
                // "name pr": the complex value itself is there.
                return anyElement(elements(target), "e" + (++aliases), () -> "true");
            }
        }
        // Only text can be empty; a uuid or timestamp column compared with '' would be a cast error.
        return onTarget(filter.path(), (column, def) -> def.type().isTextual() && column.kind() == Column.Kind.TEXT
                ? "(" + column.expression() + " <> '')"
                : "(" + column.expression() + " IS NOT NULL)");
    }

    @Override
    public String valuePath(Filter.ValuePath filter) {
        if (scope != null) {
            throw ScimException.invalidFilter("a value path cannot nest another value path");
        }
        Target target;
        try {
            target = resolve(filter.attribute(), false);
        } catch (UnknownAttribute e) {
            return "false";
        }
        if (!target.definition.isComplex() || target.subAttribute != null) {
            throw ScimException.invalidFilter("'" + ClientText.abbreviate(filter.attribute().toString())
                    + "' is not a complex attribute and cannot take a [filter]");
        }
        ElementSource source = elements(target);
        String alias = "e" + (++aliases);
        scope = new ElementScope(target.definition, source, alias);
        try {
            return anyElement(source, alias, () -> filter.filter().accept(this));
        } finally {
            scope = null;
        }
    }

    private interface Condition {
        String on(Column column, AttributeDefinition leaf);
    }

    /** An attribute a path names, with the sub-attribute a comparison reaches (implicitly "value"). */
    private record Target(String schemaUrn, AttributeDefinition definition, AttributeDefinition subAttribute) {
        AttributeDefinition leaf() {
            return subAttribute == null ? definition : subAttribute;
        }
    }

    private String onTarget(AttributePath path, Condition condition) {
        if (scope != null) {
            AttributeDefinition sub = elementSubAttribute(path);
            Column column = scope.source.subAttribute(scope.alias, sub.name()).orElseThrow(
                    () -> ScimException.invalidFilter("'" + sub.name() + "' of " + scope.attribute.name()
                            + " cannot be filtered"));
            return condition.on(typed(column, sub), sub);
        }
        Target target = resolve(path, true);
        AttributeDefinition leaf = target.leaf();
        if (leaf.isComplex()) {
            throw ScimException.invalidFilter("'" + ClientText.abbreviate(path.toString())
                    + "' is complex: name one of its sub-attributes");
        }
        Optional<Column> column = table.column(target.schemaUrn, target.definition.name(),
                target.subAttribute == null ? null : target.subAttribute.name());
        if (column.isPresent()) {
            return condition.on(column.get(), leaf);
        }
        if (target.definition.multiValued()) {
            ElementSource source = elements(target);
            String alias = "e" + (++aliases);
            Column element = target.subAttribute == null
                    ? new Column(alias + ".v #>> '{}'", Column.Kind.TEXT)
                    : source.subAttribute(alias, target.subAttribute.name()).orElseThrow(
                            () -> ScimException.invalidFilter("'" + ClientText.abbreviate(path.toString())
                                    + "' cannot be filtered"));
            // One comparison of one sub-attribute: candidates the owner's row holds for it are candidates
            // for the owner. Not so inside a value path, whose test may join several in an OR or a NOT.
            candidatesBesideTheElements = true;
            return anyElement(source, alias, () -> condition.on(typed(element, leaf), leaf));
        }
        String container = table.jsonContainer(target.schemaUrn);
        String expression = target.subAttribute == null
                ? "(" + container + "->>'" + JsonKeys.checked(target.definition.name()) + "')"
                : "(" + container + "->'" + JsonKeys.checked(target.definition.name()) + "'->>'"
                + JsonKeys.checked(target.subAttribute.name()) + "')";
        return condition.on(typed(new Column(expression, Column.Kind.TEXT), leaf), leaf);
    }

    /**
     * Whether some element of {@code source} meets {@code condition}: an EXISTS, after the candidates the
     * owner's row holds for the test when it holds any ({@link #candidatesBesideTheElements}), else under
     * an OR also the resource's id among the owners of the matching elements, gathered once. PostgreSQL joins the
     * indexes of an OR's branches (a BitmapOr) only when each branch has a condition on the table's own
     * columns; with the EXISTS alone the console's search in several attributes walked every member to
     * find one. The EXISTS comes first because a branch's AND is evaluated in the order written: on a
     * walk of the table it is a hashed lookup, and the id's search through the gathered owners, one by
     * one, runs only for the rows it let through.
     */
    private String anyElement(ElementSource source, String alias, Supplier<String> condition) {
        if (source.ownersPerValueVary()) {
            plannedPerValue = true;
        }
        int beforeExists = params.size();
        String exists;
        try {
            exists = "EXISTS (SELECT 1 FROM " + source.fromWhere(alias) + " AND " + condition.get() + ")";
        } finally {
            candidatesBesideTheElements = false;
        }
        if (ownerCandidates != null) {
            // The owner's own row holds the candidates, so an OR's branch has its index (V50's emails) and
            // needs no owners gathered: their array was searched one id at a time for every candidate row
            // PostgreSQL checked again, seconds at a million members.
            Written candidates = ownerCandidates;
            ownerCandidates = null;
            params.addAll(beforeExists, candidates.params);
            return "(" + candidates.sql + " AND " + exists + ")";
        }
        Optional<String> owners = orDepth > 0 ? source.ownersInWorkspace(alias) : Optional.empty();
        if (owners.isEmpty()) {
            return exists;
        }
        params.add(workspaceId);
        return "(" + exists + " AND " + table.idColumn().expression() + " = ANY (ARRAY(SELECT " + owners.get()
                + " AND " + condition.get() + ")))";
    }

    private ElementSource elements(Target target) {
        boolean core = target.schemaUrn.equals(table.type().core().id());
        if (core) {
            Optional<ElementSource> joined = table.joined(target.definition.name());
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        String container = table.jsonContainer(target.schemaUrn);
        String attribute = "(" + container + "->'" + JsonKeys.checked(target.definition.name()) + "')";
        // A single complex attribute behaves as a list of one value.
        return ElementSource.jsonArray(target.definition.multiValued() ? attribute
                : "(CASE WHEN " + attribute + " IS NULL THEN NULL ELSE jsonb_build_array(" + attribute + ") END)");
    }

    private AttributeDefinition elementSubAttribute(AttributePath path) {
        if (path.hasSubAttribute() || path.schemaUrn() != null) {
            throw ScimException.invalidFilter("inside " + scope.attribute.name() + "[…] name a sub-attribute, not '"
                    + ClientText.abbreviate(path.toString()) + "'");
        }
        return scope.attribute.subAttribute(path.attribute()).orElseThrow(() -> ScimException.invalidFilter(
                "'" + ClientText.abbreviate(path.attribute()) + "' is not a sub-attribute of "
                        + scope.attribute.name()));
    }

    /** {@code implicitValue}: a complex attribute named alone means its "value", except before a [filter]. */
    private Target resolve(AttributePath path, boolean implicitValue) {
        ResourceType type = table.type();
        Optional<ResourceType.ResolvedAttribute> found = type.resolve(path);
        if (found.isEmpty() && unknown != null) {
            unknown.add(path.withoutSubAttribute().normalized());
            throw new UnknownAttribute();
        }
        ResourceType.ResolvedAttribute resolved = found.orElseThrow(() -> ScimException.invalidFilter(
                "unknown attribute '" + ClientText.abbreviate(path.withoutSubAttribute().toString()) + "' for "
                        + type.name()));
        AttributeDefinition def = resolved.definition();
        if (def.returned() == Returned.NEVER) {
            throw ScimException.invalidFilter("'" + def.name() + "' cannot be used in a filter");
        }
        AttributeDefinition sub = null;
        if (path.hasSubAttribute()) {
            sub = def.subAttribute(path.subAttribute()).orElseThrow(() -> ScimException.invalidFilter(
                    "'" + ClientText.abbreviate(path.subAttribute()) + "' is not a sub-attribute of " + def.name()));
        } else if (def.isComplex() && implicitValue) {
            // RFC 7644 §3.4.2.2: a complex attribute without a sub-attribute means its "value".
            sub = def.subAttribute("value").orElse(null);
        }
        if (def.name().equals("meta") && sub != null && sub.name().equals("location")) {
            throw ScimException.invalidFilter("meta.location cannot be filtered; filter on id instead");
        }
        return new Target(resolved.schema().id(), def, sub);
    }

    /** The common attribute {@code schemas} (RFC 7643 §3), which no schema defines. */
    private static boolean isSchemas(AttributePath path) {
        return path.schemaUrn() == null && !path.hasSubAttribute() && path.attribute().equalsIgnoreCase("schemas");
    }

    /**
     * RFC 7644 §3.4.2.2: "Clients MAY query by schema or schema extensions by using a filter expression
     * including the 'schemas' attribute". The URNs a resource can list are known, so each is compared
     * here (URNs in any case) and the filter asks of the row only whether it lists those that match.
     */
    private String schemas(ComparisonOperator op, JsonNode value) {
        if (value.isNull()) {
            if (op != ComparisonOperator.EQ && op != ComparisonOperator.NE) {
                throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare with null");
            }
            // Every resource lists its core schema.
            return op == ComparisonOperator.EQ ? "false" : "true";
        }
        if (op == ComparisonOperator.NE) {
            return "(NOT " + schemas(ComparisonOperator.EQ, value) + ")";
        }
        String wanted = FilterOperands.text(value);
        List<String> listed = new ArrayList<>();
        for (Schema schema : table.type().schemas()) {
            if (ValueComparison.compareText(false, schema.id(), op, wanted)) {
                listed.add(table.listsSchema(schema));
            }
        }
        return listed.isEmpty() ? "false" : "(" + String.join(" OR ", listed) + ")";
    }

    /** jsonb text cast to the attribute's type, so that dates and numbers compare by value. */
    static Column typed(Column column, AttributeDefinition leaf) {
        if (column.kind() != Column.Kind.TEXT) {
            return column;
        }
        return switch (leaf.type()) {
            case BOOLEAN -> new Column("(" + column.expression() + ")::boolean", Column.Kind.BOOLEAN);
            case INTEGER, DECIMAL -> new Column("(" + column.expression() + ")::numeric", Column.Kind.NUMBER);
            case DATE_TIME -> new Column("(" + column.expression() + ")::timestamptz", Column.Kind.TIMESTAMP);
            default -> column;
        };
    }

    private String compare(Column column, AttributeDefinition leaf, ComparisonOperator op, JsonNode value) {
        if (value.isNull()) {
            if (op != ComparisonOperator.EQ && op != ComparisonOperator.NE) {
                throw ScimException.invalidFilter("'" + op.wireValue() + "' cannot compare with null");
            }
            String present = "(" + column.expression() + " IS NOT NULL)";
            return op == ComparisonOperator.EQ ? "(NOT " + present + ")" : present;
        }
        if (op == ComparisonOperator.NE) {
            return "(NOT COALESCE(" + compare(column, leaf, ComparisonOperator.EQ, value) + ", false))";
        }
        FilterOperands.checkOrderable(leaf.type(), op);
        // An equality on a column of many distinct values picks a row or a few whatever the value; a
        // range, a substring, a boolean or a closed set's value may pick one row or nearly all.
        if (op != ComparisonOperator.EQ || column.kind() == Column.Kind.BOOLEAN || column.closedSet()) {
            plannedPerValue = true;
        }
        String sql = switch (column.kind()) {
            case BOOLEAN -> compareBoolean(column, op, value);
            case NUMBER -> column.expression() + sqlOperator(op, "number") + bind(FilterOperands.number(value));
            case TIMESTAMP -> compareTimestamp(column, op, FilterOperands.dateTime(value));
            case UUID -> compareUuid(column, op, value);
            case TEXT -> compareText(column, leaf.caseExact(), op, FilterOperands.text(value));
        };
        return "(" + sql + ")";
    }

    /**
     * Times are kept to the microsecond. A bound finer than that (.NET clients write seven fraction
     * digits) lies between two stored times, and bound as it is the driver would round it to either: it
     * is written as the microsecond on its side of the comparison instead, and no stored time equals it.
     */
    private String compareTimestamp(Column column, ComparisonOperator op, OffsetDateTime at) {
        OffsetDateTime down = at.truncatedTo(ChronoUnit.MICROS);
        if (down.equals(at)) {
            return column.expression() + sqlOperator(op, "dateTime") + bind(at);
        }
        return switch (op) {
            case EQ -> "false";
            case GT, LE -> column.expression() + sqlOperator(op, "dateTime") + bind(down);
            default -> column.expression() + sqlOperator(op, "dateTime") + bind(down.plus(1, ChronoUnit.MICROS));
        };
    }

    /** {@code op} is never {@code ne} here: {@link #compare} writes that as the negated equality. */
    private String compareBoolean(Column column, ComparisonOperator op, JsonNode value) {
        return column.expression() + " = " + bind(FilterOperands.booleanValue(op, value));
    }

    private String compareUuid(Column column, ComparisonOperator op, JsonNode value) {
        if (op == ComparisonOperator.EQ) {
            Optional<UUID> id = CanonicalUuids.parse(FilterOperands.text(value));
            // An id that is not a UUID matches nothing; Entra's connection test probes with such values.
            return id.map(u -> column.expression() + " = " + bind(u)).orElse("false");
        }
        // A UUID is one value however its hex digits are cased (RFC 9562 §4), as eq and GET by id read
        // it; its text here is the lower-case form, so the operand is lowered and compared exactly.
        return compareText(new Column(column.expression() + "::text", Column.Kind.TEXT), true, op,
                FilterOperands.text(value).toLowerCase(Locale.ROOT));
    }

    /**
     * Without {@code caseExact}, both sides go through V12's {@code scim_fold}, the lower() that folds
     * every letter whatever the database's locale, and the one the indexes are built on; a column
     * whose values are stored folded ({@linkplain Column#closedSet closed sets}) is compared as it is.
     * A substring of a column {@linkplain Column#searchedIn searched in} a wider text is looked for
     * there first, where a trigram index finds the candidates, then in the column itself; a prefix is
     * looked for at the start of the wider text's lines.
     */
    private String compareText(Column column, boolean caseExact, ComparisonOperator op, String value) {
        String left = caseExact || column.closedSet() ? column.expression() : "scim_fold(" + column.expression() + ")";
        String right = caseExact ? "?" : "scim_fold(?)";
        boolean substring = op == ComparisonOperator.CO || op == ComparisonOperator.SW || op == ComparisonOperator.EW;
        searchesText |= substring;
        // Not inside a value path: its test reads one element, and an OR around the path gathers the owners
        // of the matching elements once, which a condition on the owner's row would run again for each row.
        if (substring && !caseExact && column.searchedIn() != null && scope == null) {
            String searchedIn = column.searchedIn();
            // The wider text holds one value a line, so a value that begins with the operand begins a line:
            // the line's start gives pg_trgm the trigrams of a word's start, which a text of one or two
            // characters has no other of, and the index finds a short prefix as it finds a longer text.
            String pattern = likeEscape(value);
            int beforeCandidates = params.size();
            String candidates = op == ComparisonOperator.SW
                    ? "(" + bindRaw(searchedIn + " LIKE " + right + " || '%'", pattern) + " OR "
                            + bindRaw(searchedIn + " LIKE '%' || E'\\n' || " + right + " || '%'", pattern) + ")"
                    : bindRaw(searchedIn + " LIKE '%' || " + right + " || '%'", pattern);
            int beforeExact = params.size();
            String exact = compareText(new Column(column.expression(), Column.Kind.TEXT), false, op, value);
            Written written = new Written(candidates, List.copyOf(params.subList(beforeCandidates, beforeExact)));
            if (candidatesBesideTheElements) {
                params.subList(beforeCandidates, beforeExact).clear();
                ownerCandidates = written;
                return exact;
            }
            candidatesThenExact = new CandidatesThenExact(written,
                    new Written(exact, List.copyOf(params.subList(beforeExact, params.size()))));
            return candidates + " AND " + exact;
        }
        return switch (op) {
            case CO -> bindRaw(left + " LIKE '%' || " + right + " || '%'", likeEscape(value));
            case SW -> bindRaw(left + " LIKE " + right + " || '%'", likeEscape(value));
            case EW -> bindRaw(left + " LIKE '%' || " + right, likeEscape(value));
            default -> bindRaw(left + sqlOperator(op, "string") + right, value);
        };
    }

    private static String sqlOperator(ComparisonOperator op, String typeName) {
        return switch (op) {
            case EQ -> " = ";
            case GT -> " > ";
            case GE -> " >= ";
            case LT -> " < ";
            case LE -> " <= ";
            default -> throw FilterOperands.notApplicable(op, typeName);
        };
    }

    private String bind(Object value) {
        params.add(value);
        return "?";
    }

    private String bindRaw(String sql, Object value) {
        params.add(value);
        return sql;
    }

    private static String likeEscape(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }



}
