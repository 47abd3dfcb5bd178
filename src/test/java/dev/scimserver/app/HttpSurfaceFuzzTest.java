package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the HTTP surface with requests jqwik generates: malformed JSON, wrong types, absurd
 * paths and filters, SQL metacharacters and Unicode edge cases in every string. For every case:
 * no 5xx, no stack trace or SQL error text in the response, every error a SCIM error body, and
 * the target user and group unchanged by any request that was refused.
 *
 * <p>{@value #DEFAULT_CASES} cases per run (about ten seconds on two cores); {@code
 * -Dscim.fuzz.cases=1000000} runs a million:
 * {@code ./mvnw -o test -Dtest=HttpSurfaceFuzzTest -Dscim.fuzz.cases=1000000}. A failure names the
 * request, which replays as it is.
 */
@Tag("slow")
class HttpSurfaceFuzzTest {
    static final int DEFAULT_CASES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern LEAK = Pattern.compile("(?i)(exception|\\bat [a-z]+\\.[a-z]|org\\.postgresql|"
            + "\\bpsql|\\bjdbc|syntax error at|relation \"|violates|sqlstate|\\bhikari|\\bjdbi|stack ?trace|\\.java:)");
    private static final List<String> ATTRIBUTES = List.of("userName", "displayName", "name", "name.givenName",
            "emails", "emails.value", "emails[type eq \"work\"].value", "emails[primary eq true]", "active", "title",
            "members", "members[value eq \"x\"]", "members.value", "externalId", "id", "meta.created",
            "meta.lastModified", "groups", "password", "roles", "phoneNumbers[type eq \"work\"]",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
            "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role", "x[y[z]]", "emails[", "a.b.c.d", "",
            "schemas", "nickName", "addresses[type eq \"work\"].postalCode", "entitlements");
    private static final List<String> HOSTILE = List.of("' OR '1'='1", "\"; DROP TABLE users; --", "\\", "%", "_",
            "%%", "$1", "?", "::text", "E'\\x00'", "\u0000", "\uD800", "\uDFFF", "\uFFFF", "\uFEFF", "\u202E",
            "\u200B", "İ", "ß", "ǅ", "𝔘𝔫𝔦", "a\u0301", "\r\n", "\t", "null", "NaN", "-0", "1e400", "99999999999999999999",
            "2024-02-30T25:61:61Z", "[", "]", "\"", "'", "*/", "/*", "--", ";", "${jndi:ldap://x}", "<script>");

    private final RunningServer server = RunningServer.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The last request answered: a request that fails at the transport names it. */
    private String previous;

    @Test
    void noRequestIsA5xxLeaksInternalsOrChangesDataWhenRefused() {
        int cases = Integer.getInteger("scim.fuzz.cases", DEFAULT_CASES);
        Target user = new Target(created("/Users", "{\"userName\":\"fuzz-" + UUID.randomUUID() + "@example.com\","
                + "\"emails\":[{\"value\":\"fuzz-" + UUID.randomUUID() + "@example.com\",\"type\":\"work\"}]}"), "/Users/");
        Target group = new Target(created("/Groups", "{\"displayName\":\"fuzz-" + UUID.randomUUID() + "\"}"), "/Groups/");
        user.snapshot = read(user);
        group.snapshot = read(group);

        long started = System.nanoTime();
        Iterator<Fuzz> requests = requests(user.id, group.id).sampleStream().limit(cases).iterator();
        int count = 0;
        while (requests.hasNext()) {
            Fuzz fuzz = requests.next();
            HttpResponse<String> response = send(fuzz);
            previous = fuzz + " (" + response.statusCode() + ")";
            check(fuzz, response);
            Target target = fuzz.path.startsWith(user.path) ? user : fuzz.path.startsWith(group.path) ? group : null;
            if (target != null && !fuzz.method.equals("GET")) {
                String now = read(target);
                if (response.statusCode() >= 400) {
                    assertThat(now).as("%s was refused (%s) but changed the resource", fuzz, response.body())
                            .isEqualTo(target.snapshot);
                }
                target.snapshot = now;
            }
            count++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LoggerFactory.getLogger(HttpSurfaceFuzzTest.class).info("fuzzed {} requests in {} s ({} per second)", count,
                String.format("%.1f", seconds), String.format("%.0f", count / seconds));
        assertThat(count).isEqualTo(cases);
    }

    private static final class Target {
        final String id;
        final String path;
        String snapshot;

        Target(String id, String collection) {
            this.id = id;
            this.path = collection + id;
        }
    }

    private String created(String path, String body) {
        HttpResponse<String> response = server.send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return ScimAssertions.json(response).path("id").asText();
    }

    private String read(Target target) {
        HttpResponse<String> response = server.send("GET", target.path + "?attributes=members,"
                + "urn:ietf:params:scim:schemas:extension:tooljet:User:2.0:role", null);
        if (response.statusCode() != 200) {
            // a user a fuzzed request archived stays readable; one that is gone would be a finding
            throw new AssertionError("the fuzz target " + target.path + " cannot be read: " + response.body());
        }
        ObjectNode resource = (ObjectNode) ScimAssertions.json(response);
        return resource.toString();
    }

    private void check(Fuzz fuzz, HttpResponse<String> response) {
        int status = response.statusCode();
        assertThat(status).as("%s answered %s", fuzz, response.body()).isLessThan(500);
        assertThat(leak(fuzz, response.body())).as("%s leaked internals: %s", fuzz, response.body()).isEmpty();
        if (status >= 400) {
            JsonNode body = ScimAssertions.json(response);
            assertThat(body.path("schemas").path(0).asText()).as("%s: %s", fuzz, response.body())
                    .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
            assertThat(body.path("status").asText()).isEqualTo(Integer.toString(status));
        }
    }

    /**
     * The first text in an answer that looks like the server's internals and that the request did
     * not send itself: an error detail may quote the client's value, and a generated value can hold
     * such a word (a random "XjdbIP" once did).
     */
    static Optional<String> leak(Fuzz fuzz, String answer) {
        String sent = (fuzz.toString() + " " + decoded(fuzz.path)).toLowerCase(Locale.ROOT);
        Matcher found = LEAK.matcher(answer);
        while (found.find()) {
            if (!sent.contains(found.group().toLowerCase(Locale.ROOT))) {
                return Optional.of(found.group());
            }
        }
        return Optional.empty();
    }

    private static String decoded(String path) {
        try {
            return URLDecoder.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notEncoded) {
            return path;
        }
    }

    @Test
    void aValueTheRequestSentIsNoLeakWhenTheAnswerQuotesIt() {
        Fuzz fuzz = new Fuzz("PUT", "/Users/1", "{\"role\":\"--XjdbIP*/\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(leak(fuzz, "{\"detail\":\"role must be one of admin; got '--XjdbIP*/'\"}")).isEmpty();
        assertThat(leak(fuzz, "{\"detail\":\"at org.jdbi.v3.Handle\"}")).hasValue("at org.j");
        // A list holds what other tests stored: a random address once held "jDBI" inside a word.
        assertThat(leak(new Fuzz("GET", "/Users", null), "{\"value\":\"xGOjDBIcma5@example.com\"}")).isEmpty();
        assertThat(leak(new Fuzz("GET", "/Users", null), "{\"detail\":\"HikariPool-1 timed out\"}"))
                .hasValue("Hikari");
        assertThat(leak(new Fuzz("GET", "/Users/a%20Jdbc", null), "{\"detail\":\"no a Jdbc\"}")).isEmpty();
        assertThat(leak(new Fuzz("GET", "/Users/x", null), "{\"detail\":\"SQLState 23505\"}")).hasValue("SQLState");
    }

    private HttpResponse<String> send(Fuzz fuzz) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + fuzz.path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", server.bearerAuthorization())
                .method(fuzz.method, fuzz.body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(fuzz.body));
        if (fuzz.body != null) {
            request.header("Content-Type", "application/scim+json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            // The client reuses a kept-alive connection unless the last answer said "Connection:
            // close"; a server that closed it silently fails the next request, whatever it is.
            throw new AssertionError(fuzz + " failed at the transport after " + previous + ": " + e, e);
        }
    }

    /** One generated request; its {@code toString} is enough to replay it. */
    record Fuzz(String method, String path, byte[] body) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
        }
    }

    private static Arbitrary<Fuzz> requests(String userId, String groupId) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, bodies().map(b -> new Fuzz("POST", "/Users", b))),
                Tuple.of(2, bodies().map(b -> new Fuzz("POST", "/Groups", b))),
                Tuple.of(4, patches().map(b -> new Fuzz("PATCH", "/Users/" + userId, b))),
                Tuple.of(3, patches().map(b -> new Fuzz("PATCH", "/Groups/" + groupId, b))),
                Tuple.of(2, bodies().map(b -> new Fuzz("PUT", "/Users/" + userId, b))),
                Tuple.of(1, bodies().map(b -> new Fuzz("PUT", "/Groups/" + groupId, b))),
                Tuple.of(4, listQueries().map(q -> new Fuzz("GET", q, null))),
                Tuple.of(1, strings().map(s -> new Fuzz("GET", "/Users/" + encode(s), null))),
                Tuple.of(1, strings().map(s -> new Fuzz("DELETE", "/Groups/" + encode(s), null))),
                Tuple.of(1, bodies().map(b -> new Fuzz("POST", "/Bulk", b))));
    }

    /** Strings from everywhere: jqwik's own (edge cases included), attribute names, hostile fragments. */
    private static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(24)),
                Tuple.of(2, Arbitraries.of(ATTRIBUTES)),
                Tuple.of(3, Arbitraries.of(HOSTILE)),
                Tuple.of(1, Combinators.combine(Arbitraries.of(HOSTILE), Arbitraries.strings().alpha().ofMaxLength(8),
                        Arbitraries.of(HOSTILE)).as((a, b, c) -> a + b + c)));
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, strings().map(NODES::textNode)),
                Tuple.of(1, Arbitraries.longs().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.doubles().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.of(true, false).map(NODES::booleanNode)),
                Tuple.of(1, Arbitraries.just(NODES.nullNode())));
    }

    private static Arbitrary<JsonNode> values(int depth) {
        if (depth == 0) {
            return scalars();
        }
        Arbitrary<JsonNode> inner = values(depth - 1);
        Arbitrary<JsonNode> arrays = inner.list().ofMaxSize(3).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
        Arbitrary<JsonNode> objects = Combinators.combine(strings(), inner).as(Tuple::of).list().ofMaxSize(4).map(fields -> {
            ObjectNode object = NODES.objectNode();
            fields.forEach(f -> object.set(f.get1(), f.get2()));
            return object;
        });
        return Arbitraries.frequencyOf(Tuple.of(4, scalars()), Tuple.of(2, arrays), Tuple.of(3, objects));
    }

    /** A resource body: an object of known and unknown attributes, sometimes broken as text or bytes. */
    private static Arbitrary<byte[]> bodies() {
        Arbitrary<JsonNode> resources = Combinators.combine(Arbitraries.of(ATTRIBUTES).set().ofMaxSize(5),
                values(2).list().ofSize(5)).as((names, values) -> {
                    ObjectNode object = NODES.objectNode();
                    int i = 0;
                    for (String name : names) {
                        object.set(name, values.get(i++));
                    }
                    return object;
                });
        return broken(Arbitraries.frequencyOf(Tuple.of(4, resources), Tuple.of(1, values(3))));
    }

    private static Arbitrary<byte[]> patches() {
        Arbitrary<JsonNode> operation = Combinators.combine(
                Arbitraries.of("add", "remove", "replace", "Replace", "ADD", "move", "", "copy"),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(ATTRIBUTES)), Tuple.of(2, strings()),
                        Tuple.of(1, filters().map(f -> "emails[" + f + "]"))).injectNull(0.1),
                values(2).injectNull(0.1)).as((op, path, value) -> {
                    ObjectNode node = NODES.objectNode().put("op", op);
                    if (path != null) {
                        node.put("path", path);
                    }
                    if (value != null) {
                        node.set("value", value);
                    }
                    return node;
                });
        Arbitrary<JsonNode> message = operation.list().ofMinSize(0).ofMaxSize(3).map(ops -> {
            ObjectNode body = NODES.objectNode();
            body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
            ArrayNode array = body.putArray("Operations");
            ops.forEach(array::add);
            return body;
        });
        return broken(Arbitraries.frequencyOf(Tuple.of(6, message), Tuple.of(1, values(3))));
    }

    /** Mostly well-formed JSON; sometimes truncated, spliced with a stray character, or invalid UTF-8. */
    private static Arbitrary<byte[]> broken(Arbitrary<JsonNode> json) {
        Arbitrary<String> text = json.map(HttpSurfaceFuzzTest::write);
        return Arbitraries.frequencyOf(
                Tuple.of(8, text.map(t -> t.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Combinators.combine(text, Arbitraries.doubles().between(0, 1))
                        .as((t, cut) -> t.substring(0, (int) (t.length() * cut)).getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Combinators.combine(text, Arbitraries.doubles().between(0, 1), Arbitraries.of(
                        "{", "}", "\"", ",", ":", "[", "\\", "\u0000", "/*", "NaN", "'")).as((t, at, c) -> {
                            int i = (int) (t.length() * at);
                            return (t.substring(0, i) + c + t.substring(i)).getBytes(StandardCharsets.UTF_8);
                        })),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Filters from the grammar's pieces, put together right and wrong. */
    private static Arbitrary<String> filters() {
        Arbitrary<String> comparison = Combinators.combine(Arbitraries.of(ATTRIBUTES),
                Arbitraries.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "like", ""),
                Arbitraries.frequencyOf(Tuple.of(3, strings().map(s -> "\"" + s.replace("\"", "\\\"") + "\"")),
                        Tuple.of(1, strings()), Tuple.of(1, Arbitraries.of("true", "null", "42", "-1.5e3",
                                "\"2024-01-01T00:00:00Z\"")))).as((a, op, v) -> op.equals("pr") ? a + " pr" : a + " " + op + " " + v);
        return Combinators.combine(comparison.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(" and ", " or ", " AND ", " ", ") or (", " and not (").list().ofSize(3),
                Arbitraries.of("", "(", "not (")).as((parts, joins, prefix) -> {
                    StringBuilder filter = new StringBuilder(prefix);
                    for (int i = 0; i < parts.size(); i++) {
                        filter.append(i == 0 ? "" : joins.get(i - 1)).append(parts.get(i));
                    }
                    return filter.append(prefix.isEmpty() ? "" : ")").toString();
                });
    }

    private static Arbitrary<String> listQueries() {
        return Combinators.combine(Arbitraries.of("/Users", "/Groups"),
                Arbitraries.frequencyOf(Tuple.of(4, filters()), Tuple.of(1, strings())).injectNull(0.1),
                strings().injectNull(0.6), strings().injectNull(0.6),
                Arbitraries.of("0", "-1", "1", "1000", "99999999999", "x", "").injectNull(0.5),
                Arbitraries.of("ascending", "descending", "sideways").injectNull(0.7))
                .as((collection, filter, attributes, sortBy, count, sortOrder) -> {
                    List<String> query = new ArrayList<>();
                    add(query, "filter", filter);
                    add(query, "attributes", attributes);
                    add(query, "sortBy", sortBy);
                    add(query, "count", count);
                    add(query, "startIndex", count);
                    add(query, "sortOrder", sortOrder);
                    return collection + (query.isEmpty() ? "" : "?" + String.join("&", query));
                });
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + encode(value));
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
