package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scimserver.scim.Filter;
import dev.scimserver.scim.FilterParser;
import dev.scimserver.scim.ScimSchemas;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static dev.scimserver.app.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random filters over a small fixed set of users, loaded through the real server: the ids the SQL
 * translation finds are the ids {@link FilterEvaluator} finds in the rendered resources, or both
 * refuse the filter (400 invalidFilter from the server).
 */
class FilterSqlPropertiesTest {
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static final String TAG = "prop" + UUID.randomUUID().toString().substring(0, 8);
    private static final List<JsonNode> users = new ArrayList<>();

    @BeforeContainer
    static void dataSet() {
        String[] bodies = {
                "{\"userName\":\"Alpha@Example.com\",\"displayName\":\"Alpha A\",\"title\":\"Sales\","
                        + "\"name\":{\"givenName\":\"Al\",\"familyName\":\"Pha\"},\"emails\":[{\"value\":\"alpha@example.com\","
                        + "\"type\":\"work\",\"primary\":true},{\"value\":\"a@home.example\",\"type\":\"home\"}]}",
                "{\"userName\":\"bravo\",\"title\":\"sales\",\"active\":false,\"nickName\":\"x\","
                        + "\"emails\":[{\"value\":\"B@example.com\",\"type\":\"Work\"}],"
                        + "\"" + ENTERPRISE + "\":{\"department\":\"Sales\",\"manager\":{\"value\":\"m1\"}}}",
                "{\"userName\":\"charlie\",\"displayName\":\"\",\"name\":{\"givenName\":\"alpha\"}}",
                "{\"userName\":\"delta\",\"displayName\":\"x\",\"emails\":[{\"value\":\"x@example.org\",\"type\":\"home\","
                        + "\"primary\":false}],\"urn:ietf:params:scim:schemas:extension:tooljet:User:2.0\":{\"role\":\"builder\"}}",
                "{\"userName\":\"echo\",\"title\":\"A\",\"" + ENTERPRISE + "\":{\"department\":\"sales\"}}"};
        RunningServer server = RunningServer.shared();
        for (int i = 0; i < bodies.length; i++) {
            String body = bodies[i].replaceFirst("\"userName\":\"", "\"externalId\":\"" + TAG + "-" + i
                    + "\",\"userName\":\"" + TAG);
            HttpResponse<String> created = server.send("POST", "/Users", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            users.add(json(server.send("GET", "/Users/" + json(created).path("id").asText(), null)));
        }
    }

    @Property(tries = 300)
    void sqlFindsWhatTheEvaluatorFinds(@ForAll("filters") String filter) {
        String scoped = "(" + filter + ") and externalId sw \"" + TAG + "\"";
        HttpResponse<String> response = RunningServer.shared().send("GET", "/Users?count=1000&filter="
                + URLEncoder.encode(scoped, StandardCharsets.UTF_8), null);
        Filter parsed = FilterParser.parse(scoped);
        Set<String> expected = new TreeSet<>();
        boolean refused = false;
        try {
            FilterEvaluator.check(ScimSchemas.get().users(), parsed);
            for (JsonNode user : users) {
                if (FilterEvaluator.matches(ScimSchemas.get().users(), parsed, user)) {
                    expected.add(user.path("id").asText());
                }
            }
        } catch (FilterEvaluator.Refused e) {
            refused = true;
        }
        net.jqwik.api.statistics.Statistics.collect(refused ? "refused" : expected.isEmpty() ? "none match" : "some match");
        if (refused) {
            assertThat(response.statusCode()).as(scoped + " → " + response.body()).isEqualTo(400);
            assertThat(json(response).path("scimType").asText()).isEqualTo("invalidFilter");
            return;
        }
        assertThat(response.statusCode()).as(scoped + " → " + response.body()).isEqualTo(200);
        Set<String> found = new TreeSet<>(json(response).path("Resources").findValuesAsText("id"));
        assertThat(found).as(scoped).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> filters() {
        return filter(3);
    }

    private Arbitrary<String> filter(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(comparison(), present(), valuePath());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> smaller = Arbitraries.lazy(() -> filter(depth - 1));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaf),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(smaller, smaller)
                        .as((a, b) -> "(" + a + ") and (" + b + ")")),
                net.jqwik.api.Tuple.of(2, net.jqwik.api.Combinators.combine(smaller, smaller)
                        .as((a, b) -> "(" + a + ") or (" + b + ")")),
                net.jqwik.api.Tuple.of(1, smaller.map(a -> "not (" + a + ")")));
    }

    private static Arbitrary<String> attribute() {
        return Arbitraries.of("userName", "displayName", "title", "nickName", "name.givenName", "name.familyName",
                "active", "meta.created", "emails", "emails.value", "emails.type", "emails.primary", "externalId",
                ENTERPRISE + ":department", ENTERPRISE + ":manager", "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role",
                "password", "favouriteColour", "name");
    }

    private static Arbitrary<String> operator() {
        return Arbitraries.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "Co");
    }

    private static Arbitrary<String> value() {
        return Arbitraries.of("\"a\"", "\"A\"", "\"alpha\"", "\"x\"", "\"sales\"", "\"Sales\"", "\"work\"", "\"home\"",
                "\"@example\"", "\"example.com\"", "\"m1\"", "\"builder\"", "\"end-user\"", "\"" + TAG + "b\"", "true",
                "false", "\"2000-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00.1234567+02:00\"", "\"not a date\"", "\"\"");
    }

    private static Arbitrary<String> comparison() {
        return net.jqwik.api.Combinators.combine(attribute(), operator(), value()).as((a, o, v) -> a + " " + o + " " + v);
    }

    private static Arbitrary<String> present() {
        return attribute().map(a -> a + " pr");
    }

    private static Arbitrary<String> valuePath() {
        Arbitrary<String> sub = net.jqwik.api.Combinators.combine(Arbitraries.of("value", "type", "primary"),
                operator(), value()).as((a, o, v) -> a + " " + o + " " + v);
        return net.jqwik.api.Combinators.combine(sub, sub, Arbitraries.of(" and ", " or "))
                .as((a, b, j) -> "emails[" + a + j + b + "]");
    }
}
