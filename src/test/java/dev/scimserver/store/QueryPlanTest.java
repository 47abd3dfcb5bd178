package dev.scimserver.store;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.scimserver.app.RunningServer;
import dev.scimserver.directory.Keyset;
import dev.scimserver.directory.OperatorSearch;
import dev.scimserver.directory.SearchQuery;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filters identity providers send on every sync are answered from an index: EXPLAIN of the
 * very statements the store runs names the index. The plans are made on a data set big enough
 * that the planner prefers an index by its own costs (20,000 users with their emails, 2,000 groups,
 * a group of 5,000 members, statistics gathered), inserted in one transaction that is rolled back at
 * the end, so the shared test database never sees it. bench/ measures the same queries at a million.
 */
class QueryPlanTest {
    private static Connection session;
    private static UUID workspace;

    @BeforeAll
    static void population() throws SQLException {
        session = DriverManager.getConnection(RunningServer.shared().jdbcUrl());
        session.setAutoCommit(false);
        try (Statement sql = session.createStatement()) {
            ResultSet rs = sql.executeQuery("SELECT id FROM workspaces WHERE is_default");
            rs.next();
            workspace = rs.getObject(1, UUID.class);
            sql.execute("CREATE TEMP TABLE plan_people ON COMMIT DROP AS SELECT n, gen_random_uuid() AS id "
                    + "FROM generate_series(1, 20000) n");
            sql.execute("INSERT INTO users (id, email, created_at, updated_at) SELECT id, 'plan' || n || '@plan.example', "
                    + "now(), now() FROM plan_people");
            sql.execute("INSERT INTO workspace_members (workspace_id, user_id, user_name, external_id, display_name, role, "
                    + "status, attributes, created_at, last_modified) SELECT '" + workspace + "', id, 'plan' || n || "
                    + "'@plan.example', 'ext-' || n, 'Plan Person ' || n, 'end-user', 'active', jsonb_build_object("
                    + "'emails', jsonb_build_array(jsonb_build_object('value', 'plan' || n || '@plan.example', 'type', "
                    + "'work', 'primary', true))), now() + n * interval '1 millisecond', now() FROM plan_people");
            sql.execute("INSERT INTO groups (id, workspace_id, name, type, external_id, created_at, last_modified) "
                    + "SELECT gen_random_uuid(), '" + workspace + "', 'Plan Team ' || n, 'custom', 'plan-g-' || n, now(), "
                    + "now() FROM generate_series(1, 2000) n");
            sql.execute("INSERT INTO group_members (group_id, workspace_id, user_id) SELECT (SELECT id FROM groups "
                    + "WHERE name = 'Plan Team 1'), '" + workspace + "', id FROM plan_people WHERE n <= 5000");
            // Rows inserted in this transaction wait in the GIN pending lists, which the planner rightly
            // costs as a scan; in production autovacuum merges them, here it is done by hand.
            for (String index : new String[] {"workspace_members_user_name_trgm", "workspace_members_searched_names_trgm",
                    "groups_name_trgm", "member_emails_value_trgm", "workspace_members_searched_emails_trgm"}) {
                sql.execute("SELECT gin_clean_pending_list('" + index + "'::regclass)");
            }
            sql.execute("ANALYZE users, workspace_members, member_emails, groups, group_members");
        }
    }

    @AfterAll
    static void rollBack() throws SQLException {
        session.rollback();
        session.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "userName eq \"ada@example.com\"                              | workspace_members_user_name_unique",
            "externalId eq \"00u1\"                                      | workspace_members_external_id",
            "id eq \"2819c223-7f76-453a-919d-413861904646\"              | workspace_members_(pkey/user)",
            "displayName eq \"Ada Lovelace\"                             | workspace_members_display_name",
            "emails[type eq \"work\"].value eq \"ada@example.com\"       | member_emails_value",
            "emails[type eq \"work\" and value co \"@example\"]          | member_emails_value_trgm",
            "userName co \"lovelace\"                                    | workspace_members_user_name_trgm",
            // A prefix is a range of the btree under the C collation, cheaper still than trigrams.
            "userName sw \"ada\"                                         | workspace_members_user_name_(unique/trgm)",
            "displayName ew \"lace\"                                     | workspace_members_searched_names_trgm",
            // The name's parts share the displayName's index (V31).
            "name.givenName co \"ada\"                                   | workspace_members_searched_names_trgm",
            "name.familyName sw \"love\"                                 | workspace_members_searched_names_trgm",
            "name.formatted co \"a lov\"                                 | workspace_members_searched_names_trgm",
            // Alone, the emails' own rows or the member's (V50), whichever the planner finds cheaper.
            "emails.value co \"example.com\" | (member_emails_value/workspace_members_searched_emails)_trgm",
            "emails sw \"plan17\"            | (member_emails_value/workspace_members_searched_emails)_trgm",
            // Roles are stored folded, so the value alone is folded and the admins' own index serves.
            "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"Admin\" | workspace_members_admins"})
    void userFiltersUseIndexes(String filter, String index) throws SQLException {
        SearchQuery query = new SearchQuery(FilterParser.parse(filter), 1, 100);
        assertThat(plan(MemberRows.SEARCH.count(workspace(), query))).containsPattern(index.replace('/', '|'));
        if (!filter.contains(" co ") && !filter.contains(" sw ") && !filter.contains(" ew ") && !filter.contains(":role ")) {
            // On a tiny table the page of a substring search may walk the keyset index instead, and so
            // may a role's when the shared database holds thousands of admins; an equality on a column
            // of many values is one row, and its index wins at any size.
            assertThat(plan(MemberRows.SEARCH.page(workspace(), query))).containsPattern(index.replace('/', '|'));
        }
    }

    @org.junit.jupiter.api.Test
    void aSearchInSeveralAttributesJoinsTheirIndexes() throws SQLException {
        // The console's text search: each branch of the OR from an index of the member's row (the emails'
        // through V50's column), so no row is read that no branch matched, and no candidate is checked
        // again against a list of owners one id at a time.
        String plan = countPlan(FilterParser.parse("userName co \"plan17@\" or displayName co \"plan17@\" or "
                + "name.givenName co \"plan17@\" or name.familyName co \"plan17@\" or emails.value co \"plan17@\" or "
                + "externalId eq \"plan17@\""));
        assertThat(plan).as(plan).contains("Bitmap Heap Scan on workspace_members", "BitmapOr",
                "workspace_members_searched_emails_trgm", "workspace_members_user_name_trgm",
                "workspace_members_searched_names_trgm")
                .doesNotContain("Seq Scan on workspace_members", "user_id = ANY");
    }

    @org.junit.jupiter.api.Test
    void anEmailsValuePathUnderAnOrGathersItsOwnersOnce() throws SQLException {
        // Inside the path the test reads the element alone: a condition on the owner's row there would make
        // the owners' array a subquery run again for every member (quadratic in the workspace's size).
        String plan = countPlan(FilterParser.parse("emails[type eq \"work\" and value co \"plan17@\"] or "
                + "displayName co \"plan17@\""));
        assertThat(plan).as(plan).contains("BitmapOr", "InitPlan").doesNotContain("Seq Scan on workspace_members");
    }

    @org.junit.jupiter.api.Test
    void aSearchOfTwoLettersJoinsTheIndexesOfWhatBeginsWithThem() throws SQLException {
        // The console's search of one or two characters: no trigram lies inside so short a text, so each
        // name is looked for at a line's start in V31's column, where the trigram index has the word's
        // start; the whole table is not read for them, as it would be for a substring.
        String plan = countPlan(new OperatorSearch.Users("zq", null, null, null, "userName", false).filter());
        assertThat(plan).as(plan).contains("BitmapOr", "workspace_members_searched_names_trgm",
                "workspace_members_searched_emails_trgm")
                .doesNotContain("Seq Scan on workspace_members", "user_id = ANY");
        // The five names share their candidates: one scan of V31's index for a line's start, one for the text's.
        assertThat(plan.split("Bitmap Index Scan on workspace_members_searched_names_trgm", -1)).as(plan).hasSize(3);
    }

    @org.junit.jupiter.api.Test
    void aSearchsCursorPageWalksAFewRowsOfItsOrderThenFindsItsMatchesByTheirIndexes() throws SQLException {
        // "plan" begins every userName here, none of the members of other tests: the walk of the order's
        // index reads its few rows, the matches come from the search's indexes, and the page's rows from
        // their keys; no walk of the whole index in order looks for them.
        String plan = plan(MemberRows.SEARCH.page(workspace(),
                new OperatorSearch.Users("plan1999", null, null, null, "userName", false).query("", 50)));
        assertThat(plan).as(plan).contains("CTE walked", "One-Time Filter", "BitmapOr",
                "workspace_members_searched_emails_trgm").doesNotContain("Seq Scan on workspace_members");
        assertThat(plan.split("Index Scan using workspace_members_user_name_unique", -1)).as(plan).hasSize(2);
    }

    private String countPlan(Filter filter) throws SQLException {
        return plan(MemberRows.SEARCH.count(workspace(), new SearchQuery(filter, 1, 100)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "displayName eq \"Engineering\"                              | groups_name_unique",
            "displayName co \"gineer\"                                   | groups_name_trgm",
            "externalId eq \"g-1\"                                       | groups_external_id",
            // Entra's membership probe: the group by its key, the member by group_members' key.
            "id eq \"2819c223-7f76-453a-919d-413861904646\" and members[value eq \"9819c223-7f76-453a-919d-413861904646\"] | group_members_"})
    void groupFiltersUseIndexes(String filter, String index) throws SQLException {
        SearchQuery query = new SearchQuery(FilterParser.parse(filter), 1, 100);
        String plan = plan(filter.contains(" co ") ? GroupRows.SEARCH.count(workspace(), query)
                : GroupRows.SEARCH.page(workspace(), query));
        assertThat(plan).containsPattern(index.replace('/', '|'));
        if (filter.startsWith("id eq")) {
            // Either key names the group: its id alone, or its id with the workspace's (V13).
            assertThat(plan).containsPattern("groups_pkey|groups_id_workspace_unique");
        }
    }

    /**
     * A filter on what the members' rows hold is a join of the members with group_members, made once:
     * run for each group instead, it read the workspace's members once a group, 50 s at 2,000 groups
     * and 100,000 members, where the statement timeout ended it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "members.display co \"zzz\"",
            "members.display eq \"Plan Person 7\"",
            "members[display sw \"Plan\" and value pr]"})
    void aFilterOnTheMembersIsNoReadOfThemForEachGroup(String filter) throws SQLException {
        String plan = plan(GroupRows.SEARCH.page(workspace(), new SearchQuery(FilterParser.parse(filter), 1, 100)));
        assertThat(plan).as(plan).doesNotContain("SubPlan");
    }

    @ParameterizedTest(name = "{0} {1}, from {2}")
    @CsvSource(delimiter = '|', value = {
            "Users  | userName eq \"ada@example.com\"                                  | 1 | true",
            "Users  | id eq \"2819c223-7f76-453a-919d-413861904646\"                  | 1 | true",
            "Users  | userName eq \"ada@example.com\" and active eq true              | 1 | true",
            "Groups | displayName eq \"Engineering\"                                  | 1 | true",
            "Groups | id eq \"2819c223-7f76-453a-919d-413861904646\" and members[value eq \"9819c223-7f76-453a-919d-413861904646\"] | 1 | true",
            // Later pages skip rows, and broader filters select no more than the page's rows whole.
            "Users  | userName eq \"ada@example.com\"                                  | 2 | false",
            "Users  | externalId eq \"00u1\"                                           | 1 | false",
            "Users  | userName eq \"ada@example.com\" or userName eq \"bob@example.com\" | 1 | false",
            "Users  | not (userName eq \"ada@example.com\")                            | 1 | false",
            "Users  | userName ne \"ada@example.com\"                                  | 1 | false",
            "Users  | userName eq null                                                 | 1 | false",
            "Users  | emails[value eq \"ada@example.com\"]                             | 1 | false",
            "Groups | members[value eq \"9819c223-7f76-453a-919d-413861904646\"]       | 1 | false"})
    void aFirstPageOfOneRowAtMostReadsItWithoutTheIdsSubquery(String resource, String filter, int startIndex,
                                                             boolean direct) throws SQLException {
        SearchQuery query = new SearchQuery(FilterParser.parse(filter), startIndex, 100);
        TableSearch search = resource.equals("Users") ? MemberRows.SEARCH : GroupRows.SEARCH;
        TableSearch.Statement page = search.page(workspace(), query);
        boolean idsFirst = page.sql().contains("m.user_id IN (SELECT m.user_id ")
                || page.sql().contains("g.id IN (SELECT g.id ");
        assertThat(idsFirst).as(page.sql()).isEqualTo(!direct);
        if (direct) {
            assertThat(plan(page)).doesNotContain("Seq Scan");
        }
    }

    @org.junit.jupiter.api.Test
    void aCursorPageIsARangeOfTheKeysetIndex() throws SQLException {
        Keyset after = new Keyset(TextNode.valueOf(OffsetDateTime.now().toInstant().toString()), UUID.randomUUID(),
                false);
        SearchQuery query = new SearchQuery(null, null, 1, 1000, "x", after);
        String plan = plan(MemberRows.SEARCH.page(workspace(), query));
        // Each row's groups are sorted by name in the row's subplan; the page's rows must not be sorted.
        String page = plan.contains("SubPlan") ? plan.substring(0, plan.indexOf("SubPlan")) : plan;
        assertThat(page).contains("workspace_members_keyset").doesNotContain("Sort");
    }

    @org.junit.jupiter.api.Test
    void anIndexPageReadsNoPerson() throws SQLException {
        // Nothing of a SCIM answer is the person's: a page reads no row of users, neither each by its
        // key nor the whole of it, which PostgreSQL chose by its own costs when the person was joined.
        String plan = plan(MemberRows.SEARCH.page(workspace(), new SearchQuery(null, 5001, 100)));
        assertThat(plan).doesNotContainPattern("on users\\b|users_").doesNotContain("Seq Scan");
    }

    @org.junit.jupiter.api.Test
    void anIndexPageFromAKeptRowIsGatedByTheJournalAndARangeOfTheKeysetIndex() throws SQLException {
        Keyset row = new Keyset(TextNode.valueOf(OffsetDateTime.now().toInstant().toString()), UUID.randomUUID(),
                false);
        KnownPositions.Position kept = new KnownPositions.Position(5000, row, scalar("SELECT pg_current_snapshot()"));
        String plan = plan(MemberRows.SEARCH.page(workspace(), new SearchQuery(null, 5021, 100), kept));
        // The journal's test gates the whole page, before any of its rows is read (PostgreSQL 15 names
        // the test's result $n, 17 "(InitPlan n).col1").
        String page = plan.contains("SubPlan") ? plan.substring(0, plan.indexOf("SubPlan")) : plan;
        assertThat(page).containsPattern("One-Time Filter: \\(NOT (\\$\\d+|\\(InitPlan \\d+\\)\\.col1)\\)")
                .containsPattern("Index (Only )?Scan using workspace_members_keyset[^\\n]*\\n\\s*Index Cond: "
                        + "\\(\\(workspace_id = [^\\n]*AND \\(ROW\\(created_at, user_id\\) >");
        assertThat(plan).doesNotContain("Seq Scan");
    }

    @ParameterizedTest(name = "pages from startIndex {0}, {1} apart")
    @CsvSource({"5001, 600", "1, 100"})
    void everyIndexPageReusesOnePreparedPlan(int first, int apart) throws SQLException {
        // The driver prepares a statement on the server from its fifth run; PostgreSQL plans its first
        // five runs there for their values, then settles on one generic plan when that costs no more.
        // The first pages of a list are the case that needs the OFFSET out of the planner's sight: a
        // plan for a small OFFSET is priced below the generic plan's guess of a tenth of the table.
        try (Statement forget = session.createStatement()) {
            // Each case starts from no plan: the same text may have settled in the other case.
            forget.execute("DEALLOCATE ALL");
        }
        String sql = null;
        for (int page = 0; page < 16; page++) {
            TableSearch.Statement statement = MemberRows.SEARCH.page(workspace(),
                    new SearchQuery(null, first + page * apart, 100));
            assertThat(sql == null || sql.equals(statement.sql())).as("every page is the same statement text").isTrue();
            sql = statement.sql();
            try (PreparedStatement p = session.prepareStatement(sql)) {
                for (int i = 0; i < statement.params().size(); i++) {
                    p.setObject(i + 1, statement.params().get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
        }
        try (PreparedStatement plans = session.prepareStatement("SELECT coalesce(sum(generic_plans), 0) "
                + "FROM pg_prepared_statements WHERE statement = ?")) {
            plans.setString(1, numberedParameters(sql));
            try (ResultSet rs = plans.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("runs of the page statement on its generic plan").isPositive();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "groups.value eq \"{group}\"                                | EXISTS (SELECT 1 FROM group_members",
            "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"end-user\" | m.role = scim_fold(",
            "active eq false                                            | (m.status = 'active') = ",
            "userName co \"plan1\"                                      | LIKE '%' || scim_fold("})
    void aSearchWhoseBestPlanDependsOnItsValuesIsPlannedForThemOnEveryRun(String filter, String fragment)
            throws SQLException {
        // A group of 5,000 among 2,000 groups of none: the generic plan of a prepared statement would
        // assume an average group and walk every member of this one in name order to fill a page.
        String bigGroup = scalar("SELECT id::text FROM groups WHERE name = 'Plan Team 1'");
        SearchQuery query = new SearchQuery(FilterParser.parse(filter.replace("{group}", bigGroup)),
                new SearchQuery.Sort(dev.scimserver.scim.AttributePath.parse("userName"), false), 1, 50, "", null);
        runTwelveTimes(query);
        assertThat(scalar("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%"
                + fragment.replace("'", "''").replace("%", "\\%") + "%'"))
                .as("prepared statements holding %s", fragment).isEqualTo("0");
    }

    @org.junit.jupiter.api.Test
    void aLookupByUserNameReusesOnePreparedPlan() throws SQLException {
        runTwelveTimes(new SearchQuery(FilterParser.parse("userName eq \"plan17@plan.example\""), 1, 100));
        assertThat(Long.parseLong(scalar("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements "
                + "WHERE statement LIKE '%scim_fold(m.user_name) = scim_fold($%'"))).isPositive();
    }

    @org.junit.jupiter.api.Test
    void aLookupByWorkEmailReusesOnePreparedPlan() throws SQLException {
        // An equality on an email picks a user or two whatever the address: planning it on every run
        // cost the lookup more than running it.
        runTwelveTimes(new SearchQuery(FilterParser.parse("emails[type eq \"work\"].value eq \"plan17@plan.example\""),
                1, 100));
        assertThat(Long.parseLong(scalar("SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements "
                + "WHERE statement LIKE '%FROM member_emails%'"))).isPositive();
    }

    private void runTwelveTimes(SearchQuery query) {
        // Through the store's own path, on the session's connection, whose prepared statements the
        // server lists: the driver prepares one there from its fifth run.
        org.jdbi.v3.core.Handle handle = org.jdbi.v3.core.Jdbi.open(session);
        KnownTotals totals = new KnownTotals();
        for (int run = 0; run < 12; run++) {
            MemberRows.SEARCH.run(handle, totals, workspace(), query, UserViewMapper::read);
        }
    }

    /** The text the server holds for {@code sql} once the driver prepared it: each {@code ?} numbered. */
    private static String numberedParameters(String sql) {
        StringBuilder text = new StringBuilder();
        int number = 0;
        for (char ch : sql.toCharArray()) {
            text.append(ch == '?' ? "$" + ++number : String.valueOf(ch));
        }
        return text.toString();
    }

    private static String scalar(String sql) throws SQLException {
        try (Statement statement = session.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private UUID workspace() {
        return workspace;
    }

    private String plan(TableSearch.Statement statement) throws SQLException {
        // EXPLAIN takes no bind parameters through every protocol path; the values go in as typed literals.
        StringBuilder sql = new StringBuilder("EXPLAIN ");
        int next = 0;
        for (char ch : statement.sql().toCharArray()) {
            sql.append(ch == '?' ? literal(statement.params().get(next++)) : String.valueOf(ch));
        }
        try (PreparedStatement explain = session.prepareStatement(sql.toString()); ResultSet rs = explain.executeQuery()) {
            StringBuilder plan = new StringBuilder();
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
            return plan.toString();
        }
    }

    private static String literal(Object value) {
        if (value instanceof UUID) {
            return "'" + value + "'::uuid";
        }
        if (value instanceof OffsetDateTime) {
            return "'" + value + "'::timestamptz";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }
}
