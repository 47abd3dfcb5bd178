package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.assertScimError;
import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Sorting, .search and RFC 9865 cursor paging over real HTTP, each test from a sentence of the RFCs. */
class QueryEngineContractTest {
    private static final RunningServer server = RunningServer.shared();
    private static final String TAG = "qe" + UUID.randomUUID().toString().substring(0, 8);
    /** userName suffixes in creation order; their display names sort differently. */
    private static final String[] NAMES = {"delta", "Alpha", "charlie", "Bravo", "echo"};
    private static final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void users() {
        for (int i = 0; i < NAMES.length; i++) {
            String body = "{\"userName\":\"" + TAG + "-" + NAMES[i] + "\",\"externalId\":\"" + TAG + "-x" + i + "\","
                    + (i == 4 ? "" : "\"title\":\"t" + (4 - i) + "\",")
                    + "\"emails\":[{\"value\":\"home" + i + "@" + TAG + ".example\",\"type\":\"home\"},"
                    + "{\"value\":\"" + NAMES[i] + "@" + TAG + ".example\",\"type\":\"work\",\"primary\":" + (i != 2) + "}]}";
            HttpResponse<String> created = server.send("POST", "/Users", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(json(created).path("id").asText());
        }
    }

    private static String q(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static List<String> userNames(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("Resources").forEach(r -> out.add(r.path("userName").asText().substring(TAG.length() + 1)));
        return out;
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = server.send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static String tagged() {
        return "filter=" + q("userName sw \"" + TAG + "\"");
    }

    /**
     * A time is kept to the microsecond; .NET clients (Entra) write seven fraction digits. A bound between
     * two microseconds compares as the instant it is: it never rounds to the other side of a stored time.
     */
    @Test
    void aTimeFinerThanAMicrosecondComparesAsItIs() {
        String id = ids.get(0);
        Instant modified = Instant.parse(get("/Users/" + id).path("meta").path("lastModified").asText());
        String justAfter = modified.plusNanos(100).toString();
        String justBefore = modified.minusNanos(500).toString();
        String atSevenDigits = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSX").withZone(ZoneOffset.UTC)
                .format(modified);
        Map<String, Integer> found = new LinkedHashMap<>();
        for (String op : List.of("eq", "ne", "gt", "ge", "lt", "le")) {
            for (String at : List.of(justAfter, justBefore, atSevenDigits)) {
                found.put(op + " " + at, get("/Users?filter=" + q("id eq \"" + id + "\" and meta.lastModified " + op
                        + " \"" + at + "\"")).path("totalResults").asInt());
            }
        }
        assertThat(found).containsExactly(
                entry("eq " + justAfter, 0), entry("eq " + justBefore, 0), entry("eq " + atSevenDigits, 1),
                entry("ne " + justAfter, 1), entry("ne " + justBefore, 1), entry("ne " + atSevenDigits, 0),
                entry("gt " + justAfter, 0), entry("gt " + justBefore, 1), entry("gt " + atSevenDigits, 0),
                entry("ge " + justAfter, 0), entry("ge " + justBefore, 1), entry("ge " + atSevenDigits, 1),
                entry("lt " + justAfter, 1), entry("lt " + justBefore, 0), entry("lt " + atSevenDigits, 0),
                entry("le " + justAfter, 1), entry("le " + justBefore, 0), entry("le " + atSevenDigits, 1));
    }

    @Test
    void sortByIsAscendingByDefaultAndCaseInsensitiveForStrings() {
        // RFC 7644 §3.4.2.3: sortOrder defaults to ascending; userName is not caseExact.
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=userName")))
                .containsExactly("Alpha", "Bravo", "charlie", "delta", "echo");
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=userName&sortOrder=descending")))
                .containsExactly("echo", "delta", "charlie", "Bravo", "Alpha");
    }

    @Test
    void missingValuesSortLastAscendingAndFirstDescending() {
        // RFC 7644 §3.4.2.3: no data for sortBy: ordered last if ascending, first if descending.
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=title")))
                .containsExactly("Bravo", "charlie", "Alpha", "delta", "echo");
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=title&sortOrder=DESCENDING")))
                .containsExactly("echo", "delta", "Alpha", "charlie", "Bravo");
    }

    @Test
    void multiValuedAttributesSortByTheirPrimaryElseFirstValue() {
        // charlie has no primary email: its first one (home2@) counts.
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=emails.value")))
                .containsExactly("Alpha", "Bravo", "delta", "echo", "charlie");
    }

    @Test
    void sortingOnMetaAndPagingKeepOneOrder() {
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=meta.created&count=2&startIndex=2")))
                .containsExactly("Alpha", "charlie");
    }

    @Test
    void sortingOnTheResourceTypeWhichEveryResourceSharesKeepsTheIdOrder() {
        List<String> byId = userNames(get("/Users?" + tagged() + "&sortBy=id"));
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=meta.resourceType"))).isEqualTo(byId);
        assertThat(userNames(get("/Users?" + tagged() + "&sortBy=meta.resourceType&sortOrder=descending")))
                .hasSameElementsAs(byId);
        assertThat(get("/Groups?sortBy=meta.resourceType&count=1").path("Resources").size()).isLessThanOrEqualTo(1);
        JsonNode cursor = get("/Users?" + tagged() + "&sortBy=meta.resourceType&cursor&count=2");
        assertThat(cursor.path("Resources").size()).isEqualTo(2);
    }

    @Test
    void unknownSortByAndBadSortOrderAreInvalidValue() {
        assertScimError(server.send("GET", "/Users?sortBy=favouriteColour", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?sortBy=password", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?sortBy=name", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Users?sortBy=userName&sortOrder=up", null), 400, "invalidValue");
    }

    @Test
    void cursorPagesWalkEveryResultOnceAndBack() {
        JsonNode first = get("/Users?" + tagged() + "&sortBy=userName&cursor=&count=2");
        assertThat(first.has("startIndex")).isFalse();
        assertThat(first.has("previousCursor")).isFalse();
        assertThat(first.path("totalResults").asInt()).isEqualTo(5);
        assertThat(userNames(first)).containsExactly("Alpha", "Bravo");
        String next = first.path("nextCursor").asText();
        // RFC 9865 §2: cursor values hold only unreserved characters.
        assertThat(next).matches("[A-Za-z0-9._~-]+");
        JsonNode second = get("/Users?" + tagged() + "&sortBy=userName&count=2&cursor=" + next);
        assertThat(userNames(second)).containsExactly("charlie", "delta");
        JsonNode third = get("/Users?" + tagged() + "&sortBy=userName&count=2&cursor=" + second.path("nextCursor").asText());
        assertThat(userNames(third)).containsExactly("echo");
        assertThat(third.has("nextCursor")).as("the last page has no nextCursor").isFalse();
        JsonNode back = get("/Users?" + tagged() + "&sortBy=userName&count=2&cursor="
                + third.path("previousCursor").asText());
        assertThat(userNames(back)).containsExactly("charlie", "delta");
        JsonNode start = get("/Users?" + tagged() + "&sortBy=userName&count=2&cursor="
                + back.path("previousCursor").asText());
        assertThat(userNames(start)).containsExactly("Alpha", "Bravo");
        assertThat(start.has("previousCursor")).isFalse();
    }

    /**
     * The total is counted by a walk's first page and carried by its cursors: later pages report the
     * set as it was when the walk began, and a new walk counts again.
     */
    @Test
    void laterCursorPagesCarryTheTotalTheWalkBeganWith() {
        // Names outside TAG's prefix, so the other tests' "userName sw TAG" never sees them.
        String prefix = "walk" + TAG;
        String filter = "filter=" + q("userName sw \"" + prefix + "\"");
        for (int i = 0; i < 3; i++) {
            server.send("POST", "/Users", "{\"userName\":\"" + prefix + "-walk" + i + "\"}");
        }
        JsonNode first = get("/Users?" + filter + "&cursor=&count=1");
        assertThat(first.path("totalResults").asInt()).isEqualTo(3);
        server.send("POST", "/Users", "{\"userName\":\"" + prefix + "-walk3\"}");
        JsonNode second = get("/Users?" + filter + "&count=1&cursor=" + first.path("nextCursor").asText());
        assertThat(second.path("totalResults").asInt()).as("the walk's total").isEqualTo(3);
        assertThat(get("/Users?" + filter + "&cursor=&count=1").path("totalResults").asInt()).isEqualTo(4);
        String cursor = first.path("nextCursor").asText();
        List<String> walked = new ArrayList<>(userNames(first));
        while (!cursor.isEmpty()) {
            JsonNode page = get("/Users?" + filter + "&count=1&cursor=" + cursor);
            walked.addAll(userNames(page));
            cursor = page.path("nextCursor").asText("");
        }
        assertThat(walked).as("the walk still reaches every row")
                .map(name -> name.substring(name.lastIndexOf('-') + 1))
                .containsExactly("walk0", "walk1", "walk2", "walk3");
    }

    @Test
    void cursorPagingDescendingAndInTheDefaultOrder() {
        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = get("/Users?" + tagged() + "&sortBy=title&sortOrder=descending&count=1&cursor=" + cursor);
            seen.addAll(userNames(page));
            cursor = page.path("nextCursor").asText("");
        } while (!cursor.isEmpty());
        assertThat(seen).containsExactly("echo", "delta", "Alpha", "charlie", "Bravo");
        JsonNode all = get("/Users?" + tagged() + "&cursor&count=10");
        assertThat(userNames(all)).containsExactly(NAMES);
    }

    @Test
    void aParameterGivenTwiceIsRefused() {
        // The first of two filters would answer a wider search than a client that meant both asked for.
        assertScimError(server.send("GET", "/Users?filter=userName%20eq%20%22a%22&filter=userName%20eq%20%22b%22", null),
                400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?count=1&count=2", null), 400, "invalidValue");
        assertScimError(server.send("GET", "/Groups?attributes=displayName&attributes=members", null), 400,
                "invalidValue");
        assertScimError(server.send("GET", "/Users/" + ids.get(0) + "?excludedAttributes=emails&excludedAttributes=name", null),
                400, "invalidValue");
        assertScimError(server.send("GET", "/Users?" + tagged() + "&FILTER=userName%20eq%20%22b%22", null), 400,
                "invalidFilter");
        assertScimError(server.send("GET", "/Users?count=1&Count=2", null), 400, "invalidValue");
    }

    /** A UUID is one value however its hex digits are cased: every operator reads it so, as eq and GET by id do. */
    @Test
    void anIdIsComparedInAnyCaseByEveryOperator() {
        String id = ids.get(0);
        for (String filter : new String[] {"id eq \"" + id.toUpperCase(Locale.ROOT) + "\"",
            "id sw \"" + id.substring(0, 13).toUpperCase(Locale.ROOT) + "\"",
            "id co \"" + id.substring(9, 23).toUpperCase(Locale.ROOT) + "\"",
            "id ew \"" + id.substring(24).toUpperCase(Locale.ROOT) + "\""}) {
            assertThat(userNames(get("/Users?filter=" + q(filter + " and userName sw \"" + TAG + "\""))))
                    .as(filter).hasSize(1).allSatisfy(name -> assertThat(name).endsWith(NAMES[0]));
        }
    }

    /**
     * Query parameter names are read in any case, as attribute names and a SearchRequest's members are:
     * a {@code Filter} ignored would answer the whole directory to a client that asked for one user.
     */
    @Test
    void parameterNamesAreReadInAnyCase() {
        assertThat(userNames(get("/Users?" + tagged().replace("filter=", "Filter=") + "&SORTBY=userName&sortorder="
                + "descending"))).containsExactly("echo", "delta", "charlie", "Bravo", "Alpha");
        JsonNode page = get("/Users?" + tagged().replace("filter=", "fIlTeR=") + "&sortBy=userName&StartIndex=2&COUNT=2");
        assertThat(userNames(page)).containsExactly("Bravo", "charlie");
        assertThat(page.path("totalResults").asInt()).isEqualTo(5);
        JsonNode projected = get("/Users/" + ids.get(0) + "?Attributes=userName");
        assertThat(projected.has("name")).isFalse();
        assertThat(projected.path("userName").asText()).endsWith(NAMES[0]);
    }

    @Test
    void foreignTamperedAndMisusedCursorsAreRefused() {
        JsonNode first = get("/Users?" + tagged() + "&sortBy=userName&cursor=&count=2");
        String next = first.path("nextCursor").asText();
        String tampered = (next.charAt(0) == 'A' ? "B" : "A") + next.substring(1);
        assertScimError(server.send("GET", "/Users?" + tagged() + "&sortBy=userName&count=2&cursor=" + tampered, null),
                400, "invalidCursor");
        assertScimError(server.send("GET", "/Users?" + tagged() + "&sortBy=userName&cursor=nonsense", null),
                400, "invalidCursor");
        // RFC 9865 §2: the next request keeps every parameter but the cursor.
        assertScimError(server.send("GET", "/Users?" + tagged() + "&sortBy=displayName&cursor=" + next, null),
                400, "invalidCursor");
        assertScimError(server.send("GET", "/Groups?cursor=" + next, null), 400, "invalidCursor");
        assertScimError(server.send("GET", "/Users?cursor=&count=0", null), 400, "invalidCount");
        assertScimError(server.send("GET", "/Users?cursor=&count=many", null), 400, "invalidCount");
        // A full-width five is a digit to Long.parseLong, not to a client writing SCIM.
        assertScimError(server.send("GET", "/Users?cursor=&count=%EF%BC%95", null), 400, "invalidCount");
        assertScimError(server.send("GET", "/Users?cursor=&startIndex=3", null), 400, "invalidValue");
    }

    @Test
    void aCursorSurvivesASecondServerOnTheSameDatabase() {
        JsonNode first = get("/Users?" + tagged() + "&sortBy=userName&cursor=&count=3");
        try (ScimServer second = ScimServer.start(Config.from(Map.of("SCIM_ENABLED", "true",
                "SCIM_HEADER_AUTH_TOKEN", RunningServer.TOKEN, "PORT", "0", "DATABASE_URL", server.jdbcUrl())))) {
            HttpResponse<String> page = server.send("GET", "http://localhost:" + second.port()
                            + "/api/scim/v2/Users?" + tagged() + "&sortBy=userName&count=3&cursor="
                            + first.path("nextCursor").asText(), null,
                    Map.of("Authorization", server.bearerAuthorization()));
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(userNames(json(page))).containsExactly("delta", "echo");
        }
    }

    @Test
    void serviceProviderConfigAdvertisesSortAndBothPagings() {
        JsonNode config = get("/ServiceProviderConfig");
        assertThat(config.path("sort").path("supported").asBoolean()).isTrue();
        JsonNode pagination = config.path("pagination");
        assertThat(pagination.path("cursor").asBoolean()).isTrue();
        assertThat(pagination.path("index").asBoolean()).isTrue();
        assertThat(pagination.path("defaultPaginationMethod").asText()).isEqualTo("index");
        assertThat(pagination.path("maxPageSize").asInt()).isEqualTo(1000);
        assertThat(pagination.path("cursorTimeout").asInt()).isPositive();
    }

    @Test
    void postSearchTakesASearchRequest() {
        HttpResponse<String> response = server.send("POST", "/Users/.search", """
                {"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "attributes":["userName"],"filter":"userName sw \\"%s\\"","sortBy":"userName",
                 "sortOrder":"descending","startIndex":2,"count":2}""".formatted(TAG));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(userNames(list)).containsExactly("delta", "charlie");
        assertThat(list.path("totalResults").asInt()).isEqualTo(5);
        assertThat(list.path("Resources").get(0).has("emails")).as("attributes projects").isFalse();
        assertThat(list.path("Resources").get(0).path("id").asText()).isNotEmpty();

        JsonNode cursorPage = json(server.send("POST", "/Users/.search",
                "{\"filter\":\"userName sw \\\"" + TAG + "\\\"\",\"cursor\":\"\",\"count\":4}"));
        assertThat(cursorPage.path("Resources")).hasSize(4);
        JsonNode rest = json(server.send("POST", "/Users/.search", "{\"filter\":\"userName sw \\\"" + TAG
                + "\\\"\",\"cursor\":\"" + cursorPage.path("nextCursor").asText() + "\",\"count\":4}"));
        assertThat(userNames(rest)).containsExactly("echo");

        assertScimError(server.send("POST", "/Users/.search", "{\"filter\":\"userName zz 1\"}"), 400, "invalidFilter");
        assertScimError(server.send("POST", "/Users/.search", "{\"count\":\"ten\"}"), 400, "invalidValue");
        assertScimError(server.send("POST", "/Users/.search", "[]"), 400, "invalidSyntax");
    }

    /**
     * RFC 7643 §2.1: attribute names are case insensitive; a member no RFC defines is refused, not
     * ignored, as a body that does not conform to the request schema (RFC 7644 Table 9, invalidSyntax).
     */
    @Test
    void aSearchRequestsMembersAreReadInAnyCaseAndNoOtherIsIgnored() {
        HttpResponse<String> response = server.send("POST", "/Users/.search", """
                {"Schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                 "Filter":"userName sw \\"%s\\"","SORTBY":"userName","Count":1,"Attributes":["userName"]}"""
                .formatted(TAG));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.path("totalResults").asInt()).isEqualTo(5);
        assertThat(userNames(list)).containsExactly("Alpha");
        assertThat(list.path("Resources").get(0).has("emails")).isFalse();
        assertScimError(server.send("POST", "/Users/.search", "{\"filtr\":\"userName eq \\\"x\\\"\"}"), 400,
                "invalidSyntax");
        assertScimError(server.send("POST", "/Users/.search", "{\"filter\":\"userName eq \\\"x\\\"\","
                + "\"FILTER\":\"userName pr\"}"), 400, "invalidSyntax");
    }

    @Test
    void groupSearchAndRootSearchSpanTypes() {
        HttpResponse<String> group = server.send("POST", "/Groups", "{\"displayName\":\"" + TAG + "-group\","
                + "\"members\":[{\"value\":\"" + ids.get(0) + "\"}]}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        JsonNode groups = json(server.send("POST", "/Groups/.search",
                "{\"filter\":\"displayName sw \\\"" + TAG + "\\\"\",\"excludedAttributes\":[\"members\"]}"));
        assertThat(groups.path("totalResults").asInt()).isEqualTo(1);
        assertThat(groups.path("Resources").get(0).has("members")).isFalse();

        // RFC 7644 §3.4.3: an attribute a type lacks has no value there (userName: no group matches).
        JsonNode root = json(server.send("POST", "/.search", "{\"filter\":\"userName sw \\\"" + TAG
                + "\\\" or displayName sw \\\"" + TAG + "\\\"\",\"sortBy\":\"meta.created\",\"count\":10}"));
        assertThat(root.path("totalResults").asInt()).isEqualTo(6);
        List<String> types = root.path("Resources").findValuesAsText("resourceType");
        assertThat(types).containsExactly("User", "User", "User", "User", "User", "Group");
        assertThat(root.path("Resources").get(5).path("members")).hasSize(1);

        JsonNode onlyUsers = json(server.send("POST", "/.search", "{\"filter\":\"userName sw \\\"" + TAG + "\\\"\","
                + "\"cursor\":\"\",\"count\":3}"));
        assertThat(onlyUsers.path("totalResults").asInt()).isEqualTo(5);
        JsonNode more = json(server.send("POST", "/.search", "{\"filter\":\"userName sw \\\"" + TAG + "\\\"\","
                + "\"cursor\":\"" + onlyUsers.path("nextCursor").asText() + "\",\"count\":3}"));
        assertThat(more.path("Resources")).hasSize(2);

        assertScimError(server.send("POST", "/.search", "{\"filter\":\"favouriteColour eq \\\"x\\\"\"}"),
                400, "invalidFilter");
        assertScimError(server.send("POST", "/.search", "{\"sortBy\":\"favouriteColour\"}"), 400, "invalidValue");
    }

    @Test
    void joinedAttributesUnderAnOrMatchTheirOwnersOnly() {
        HttpResponse<String> group = server.send("POST", "/Groups", "{\"displayName\":\"" + TAG + "-or-group\","
                + "\"members\":[{\"value\":\"" + ids.get(1) + "\"},{\"value\":\"" + ids.get(3) + "\"}]}");
        assertThat(group.statusCode()).as(group.body()).isEqualTo(201);
        String groupId = json(group).path("id").asText();
        assertThat(userNames(get("/Users?sortBy=userName&filter=" + q("groups.value eq \"" + groupId
                + "\" or userName eq \"" + TAG + "-echo\"")))).containsExactly("Alpha", "Bravo", "echo");
        assertThat(userNames(get("/Users?sortBy=userName&filter=" + q("userName sw \"" + TAG + "\" and (emails[type eq "
                + "\"home\" and value sw \"home2@\"] or groups[display eq \"" + TAG + "-or-group\"])"))))
                .containsExactly("Alpha", "Bravo", "charlie");
        assertThat(get("/Groups?filter=" + q("members.value eq \"" + ids.get(3) + "\" or displayName eq \"" + TAG
                + "-nobody\"")).path("Resources").findValuesAsText("id")).containsExactly(groupId);
        assertThat(get("/Groups?filter=" + q("members[value eq \"" + ids.get(0) + "\"] or displayName eq \"" + TAG
                + "-nobody\"")).path("Resources").findValuesAsText("id")).doesNotContain(groupId);
    }

    @Test
    void emailsFiltersAnswerFromTheirRows() {
        assertThat(userNames(get("/Users?filter=" + q("emails[type eq \"work\"].value eq \"CHARLIE@" + TAG
                + ".example\"")))).containsExactly("charlie");
        assertThat(userNames(get("/Users?sortBy=userName&filter=" + q("emails.value co \"@" + TAG + ".EX\""))))
                .containsExactly("Alpha", "Bravo", "charlie", "delta", "echo");
        assertThat(userNames(get("/Users?filter=" + q("emails[type eq \"home\" and value ew \"3@" + TAG
                + ".example\"]")))).containsExactly("Bravo");
        assertThat(userNames(get("/Users?sortBy=userName&filter=" + q("userName sw \"" + TAG
                + "\" and not (emails[primary eq true])")))).containsExactly("charlie");
        // A PUT that replaces the emails replaces their rows.
        String id = ids.get(4);
        HttpResponse<String> put = server.send("PUT", "/Users/" + id, "{\"userName\":\"" + TAG + "-echo\","
                + "\"emails\":[{\"value\":\"renamed@" + TAG + ".example\",\"type\":\"work\"}]}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(userNames(get("/Users?filter=" + q("emails.value eq \"renamed@" + TAG + ".example\""))))
                .containsExactly("echo");
        assertThat(get("/Users?filter=" + q("emails.value eq \"echo@" + TAG + ".example\"")).path("totalResults")
                .asInt()).isZero();
        assertThat(userNames(get("/Users?filter=" + q("emails.value co \"renamed@" + TAG + "\""))))
                .containsExactly("echo");
        assertThat(get("/Users?filter=" + q("emails.value sw \"echo@" + TAG + "\"")).path("totalResults").asInt())
                .isZero();
    }

    /**
     * A substring of the emails is looked for in a column of the member's row that holds every value on
     * a line (V50), then in the emails themselves: each value's start is a line's, so a prefix finds the
     * second email as the first; a match across two lines, or inside a value that holds a line break, is
     * no match; and only an object's value is an email's.
     */
    @Test
    void aSubstringOfTheEmailsIsLookedForInEachValue() {
        String userName = "lines-" + TAG;
        HttpResponse<String> created = server.send("POST", "/Users", "{\"userName\":\"" + userName + "\","
                + "\"emails\":[{\"value\":\"first." + TAG + "@one.example\"},{\"value\":\"SECOND." + TAG
                + "@two.example\",\"type\":\"work\"},{\"value\":\"inner\\nthird." + TAG + "@three.example\"}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        for (String found : List.of("emails.value sw \"second." + TAG + "\"", "emails sw \"first." + TAG + "\"",
                "emails.value ew \"" + TAG + "@two.EXAMPLE\"", "emails.value co \"" + TAG + "@one\"",
                "emails.value co \"\\nthird." + TAG + "\"",
                "userName eq \"nobody\" or emails.value sw \"second." + TAG + "\"",
                "not (emails.value sw \"third." + TAG + "\") and userName eq \"" + userName + "\"")) {
            assertThat(get("/Users?filter=" + q(found)).path("totalResults").asInt()).as(found).isEqualTo(1);
        }
        for (String missed : List.of("emails.value sw \"third." + TAG + "\"",
                "emails.value co \"example\\nsecond." + TAG + "\"", "emails.value ew \"one.example\\nsecond\"",
                "userName eq \"nobody\" or emails.value sw \"third." + TAG + "\"")) {
            assertThat(get("/Users?filter=" + q(missed)).path("totalResults").asInt()).as(missed).isZero();
        }
    }

    @Test
    void filtersOnMetaDatesUrnsAndComplexValues() {
        assertThat(get("/Users?" + tagged() + "%20and%20meta.resourceType%20eq%20%22User%22").path("totalResults")
                .asInt()).isEqualTo(5);
        // Seven fraction digits and an offset, as Entra writes them.
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and meta.created gt "
                + "\"2001-02-03T04:05:06.1234567+02:00\" and meta.lastModified lt \"2999-01-01T00:00:00Z\""))
                .path("totalResults").asInt()).isEqualTo(5);
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and "
                + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \"END-USER\""))
                .path("totalResults").asInt()).isEqualTo(5);
        // Read as a write reads a role: with white space at its ends, in any case.
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and "
                + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role eq \" End-User\u00a0\""))
                .path("totalResults").asInt()).isEqualTo(5);
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and "
                + "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr")).path("totalResults")
                .asInt()).isZero();
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and emails pr and title pr"))
                .path("totalResults").asInt()).isEqualTo(4);
        // RFC 7643 section 3.1: every resource has its meta.
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and meta pr")).path("totalResults")
                .asInt()).isEqualTo(5);
        assertThat(get("/Users?filter=" + q("userName sw \"" + TAG + "\" and not (meta pr)")).path("totalResults")
                .asInt()).isZero();
        assertScimError(server.send("GET", "/Users?filter=" + q("meta.created gt \"yesterday\""), null),
                400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=" + q("meta.created co \"2020\""), null),
                400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=" + q("title eq \"" + "x".repeat(5000) + "\""), null),
                400, "invalidFilter");
        assertScimError(server.send("GET", "/Users?filter=" + q("(".repeat(100) + "title pr" + ")".repeat(100)),
                null), 400, "invalidFilter");
    }

    /**
     * RFC 7643 §2.5: unassigned attributes, the null value and an empty array are one state, so "eq null"
     * on a multi-valued attribute finds the resources without a value of it, as on a single-valued one.
     */
    @Test
    void eqNullFindsTheResourcesWithoutAValueOfAMultiValuedAttribute() {
        String tag = "qn" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(server.send("POST", "/Users", "{\"userName\":\"" + tag + "-with\",\"emails\":[{\"value\":\"w@"
                + tag + ".example\"}]}").statusCode()).isEqualTo(201);
        assertThat(server.send("POST", "/Users", "{\"userName\":\"" + tag + "-without\"}").statusCode()).isEqualTo(201);
        assertThat(server.send("POST", "/Users", "{\"userName\":\"" + tag + "-typed\",\"emails\":[{\"value\":\"t@"
                + tag + ".example\",\"type\":\"work\"}]}").statusCode()).isEqualTo(201);
        String tagged = "userName sw \"" + tag + "\" and ";
        for (String filter : List.of("emails eq null", "emails.value eq null", "not (emails ne null)",
                "addresses.locality eq null and emails eq null")) {
            assertThat(get("/Users?filter=" + q(tagged + filter)).path("Resources").findValuesAsText("userName"))
                    .as(filter).containsExactly(tag + "-without");
        }
        assertThat(get("/Users?sortBy=userName&filter=" + q(tagged + "emails ne null")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-typed", tag + "-with");
        // A sub-attribute: any value without it matches, and so does no value at all.
        assertThat(get("/Users?sortBy=userName&filter=" + q(tagged + "emails.type eq null")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-with", tag + "-without");
        assertThat(get("/Users?filter=" + q(tagged + "emails.type ne null")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-typed");
        assertThat(get("/Users?filter=" + q(tagged + "groups eq null")).path("totalResults").asInt()).isEqualTo(3);

        assertThat(server.send("POST", "/Groups", "{\"displayName\":\"" + tag + " empty\"}").statusCode())
                .isEqualTo(201);
        String group = "displayName eq \"" + tag + " empty\" and ";
        assertThat(get("/Groups?filter=" + q(group + "members eq null")).path("totalResults").asInt()).isEqualTo(1);
        assertThat(get("/Groups?filter=" + q(group + "members ne null")).path("totalResults").asInt()).isZero();
    }

    /**
     * RFC 7644 §3.4.2.2: "Clients MAY query by schema or schema extensions by using a filter expression
     * including the 'schemas' attribute (as shown in Figure 2)". A user lists the enterprise extension
     * only when it holds its attributes, and the ToolJet one always (its role).
     */
    @Test
    void aFilterOnSchemasFindsTheResourcesThatListTheSchema() {
        String tag = "qs" + UUID.randomUUID().toString().substring(0, 8);
        String enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        assertThat(server.send("POST", "/Users", "{\"userName\":\"" + tag + "-ent\",\"" + enterprise
                + "\":{\"department\":\"Tour\"}}").statusCode()).isEqualTo(201);
        assertThat(server.send("POST", "/Users", "{\"userName\":\"" + tag + "-plain\"}").statusCode()).isEqualTo(201);
        String tagged = "userName sw \"" + tag + "\" and ";
        assertThat(get("/Users?filter=" + q(tagged + "schemas eq \"" + enterprise + "\"")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-ent");
        assertThat(get("/Users?filter=" + q(tagged + "schemas eq \"" + enterprise.toUpperCase() + "\"")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-ent");
        assertThat(get("/Users?filter=" + q(tagged + "not (schemas eq \"" + enterprise + "\")")).path("Resources")
                .findValuesAsText("userName")).containsExactly(tag + "-plain");
        for (String always : List.of("schemas eq \"urn:ietf:params:scim:schemas:core:2.0:User\"", "schemas pr",
                "schemas co \"tooljet\"", "schemas ne null")) {
            assertThat(get("/Users?filter=" + q(tagged + always)).path("totalResults").asInt()).as(always).isEqualTo(2);
        }
        for (String never : List.of("schemas eq \"urn:ietf:params:scim:schemas:core:2.0:Group\"", "schemas eq null")) {
            assertThat(get("/Users?filter=" + q(tagged + never)).path("totalResults").asInt()).as(never).isZero();
        }
        // Every resource a root search finds lists its core schema: Figure 2's form picks one type.
        JsonNode users = json(server.send("POST", "/.search", "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:"
                + "SearchRequest\"],\"filter\":\"schemas eq \\\"urn:ietf:params:scim:schemas:core:2.0:User\\\" and "
                + "userName sw \\\"" + tag + "\\\"\"}"));
        assertThat(users.path("totalResults").asInt()).as(users.toString()).isEqualTo(2);
    }
}
