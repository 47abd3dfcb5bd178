package dev.scimserver.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Okta's official SCIM 2.0 spec test (the Runscope export in {@code shared/conformance/okta/}, or where
 * {@code -Dokta.spec} points: see {@link #specDirectory}), run against the real server by interpreting
 * the export at test time: nothing of its requests or assertions is copied here. Each request step
 * becomes one dynamic test named after its note, run in the file's order with the variables shared
 * between steps, as Runscope does.
 *
 * <p>What the interpreter understands, and what it refuses loudly rather than guessing:
 * <ul>
 *   <li>request steps: method, url, headers (each value list), body, all with {{variable}} substitution;
 *       the query component is percent-encoded per parameter, since the file writes raw spaces and quotes;
 *       a step's {@code auth}, {@code form}, {@code multipart_form} or {@code binary_body}, when not empty,
 *       is refused;</li>
 *   <li>variables from response_json / response_headers / response_status / response_text;</li>
 *   <li>Runscope's assertion sources and comparisons (see {@link #compare}); an unknown one fails the step;</li>
 *   <li>JavaScript is never run. The initial script and every non-blank step script are matched by a
 *       fingerprint of their text to a Java twin written from reading them; a script without a twin
 *       (the export changed) fails loudly with its text;</li>
 *   <li>pause steps are not tests of their own: the request step after them says in its log that they were
 *       not waited, and why ({@code -Dokta.honourPauses=true} sleeps them); a step marked {@code skipped} is
 *       reported as skipped; any other step type (condition, subtest, …) becomes a failing test.</li>
 * </ul>
 *
 * <p>The variables Okta's guide has the tester define: {@code SCIMBaseURL} is the server's base URL and
 * {@code auth} the whole Authorization header value (Bearer by default, {@code -Dokta.auth=basic} for
 * Basic).
 */
class OktaSpecConformanceTest {
    static final String SPEC_FILE = "Okta-SCIM-20-SPEC-Test.json";
    static final String INITIAL_SCRIPT_FILE = "Initial_Script_Spec.txt";
    static final String SPEC_PROPERTY = "okta.spec";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern PATH_SEGMENT = Pattern.compile("\\G(?:\\.?([^.\\[\\]]+)|\\[(\\d+)])");
    private static final int BODY_SHOWN = 4000;

    @TestFactory
    List<DynamicTest> oktaScim20SpecTest() throws IOException {
        Path directory;
        try {
            directory = specDirectory();
        } catch (TestAbortedException absent) {
            // Maven's report counts no aborted container, only tests: one skipped test carries the reason.
            return List.of(DynamicTest.dynamicTest("Okta's SCIM 2.0 spec test", () -> {
                throw absent;
            }));
        }
        JsonNode export = JSON.readTree(Files.readString(directory.resolve(SPEC_FILE)));
        JsonNode steps = export.path("steps");
        if (!steps.isArray() || steps.isEmpty()) {
            throw new IllegalStateException(directory.resolve(SPEC_FILE) + " has no \"steps\" array: not a Runscope export?");
        }

        RunningServer server = RunningServer.shared();
        Session session = new Session();
        session.variables.put("SCIMBaseURL", server.baseUrl());
        session.variables.put("auth", "basic".equalsIgnoreCase(System.getProperty("okta.auth", "bearer"))
                ? server.basicAuthorization() : server.bearerAuthorization());
        session.variables.putAll(InitialScriptTwin.run(Files.readString(directory.resolve(INITIAL_SCRIPT_FILE))));
        session.preconditionNote = ensureAUserExists(server);

        List<DynamicTest> tests = new ArrayList<>();
        List<JsonNode> pauses = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            int number = i + 1;
            if (step.path("step_type").asText().equals("pause") && !step.path("skipped").asBoolean(false)) {
                pauses.add(step);
                continue;
            }
            List<JsonNode> before = List.copyOf(pauses);
            pauses.clear();
            tests.add(DynamicTest.dynamicTest(displayName(number, step), () -> {
                Session.pause(before);
                session.run(number, step);
            }));
        }
        return tests;
    }

    /**
     * The folder with Okta's export and its initial script: the one {@code -Dokta.spec} names (the
     * folder, or the export in it), else {@code ../shared/conformance/okta} beside the project
     * directory, where this project's CI puts it. The export is Okta's and stays out of the
     * repository, so a clone without it reports this test skipped, with the reason; a path given
     * on purpose that holds no export fails, because a run was asked for.
     */
    static Path specDirectory() {
        String given = System.getProperty(SPEC_PROPERTY, "").strip();
        Path project = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path location = given.isEmpty() ? project.resolveSibling("shared").resolve("conformance").resolve("okta")
                : Path.of(given).toAbsolutePath();
        Path directory = (Files.isRegularFile(location) ? location.getParent() : location).normalize();
        List<Path> missing = Stream.of(SPEC_FILE, INITIAL_SCRIPT_FILE).map(directory::resolve)
                .filter(file -> !Files.isRegularFile(file)).toList();
        if (missing.isEmpty()) {
            return directory;
        }
        if (!given.isEmpty()) {
            throw new IllegalStateException("-D" + SPEC_PROPERTY + "=" + given + " names no copy of Okta's SCIM 2.0 "
                    + "spec test: missing " + missing);
        }
        return Assumptions.abort("Okta's SCIM 2.0 spec test is not beside this clone (missing " + missing + "): "
                + "this project's CI puts the shared/ folder beside the project directory " + project + ". To run "
                + "it here, pass -D" + SPEC_PROPERTY + "=DIR, DIR holding " + SPEC_FILE + " and " + INITIAL_SCRIPT_FILE);
    }

    private static String displayName(int number, JsonNode step) {
        String type = step.path("step_type").asText("?");
        if (type.equals("request")) {
            String note = step.path("note").asText("").strip();
            return note.isEmpty() ? "step " + number + ": " + step.path("method").asText() + " " + step.path("url").asText()
                    : note;
        }
        return "(step " + number + ": " + type + ")";
    }

    /**
     * Okta's guide asks for an app that already has a user with a name and an email before the test
     * runs: its first step reads {@code Resources[0]} of the user list. A fresh test server has none, so
     * one complete user is created; when users exist the list is left as it is, and if its first user
     * lacks what step 1 reads, that is said next to any failure.
     */
    private static String ensureAUserExists(RunningServer server) {
        HttpResponse<String> list = server.send("GET", "/Users?count=1&startIndex=1", null);
        JsonNode body = parseOrNull(list.body());
        if (list.statusCode() != 200 || body == null) {
            return null;
        }
        if (body.path("totalResults").asLong(-1) == 0) {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String userName = "okta.precondition." + suffix + "@example.com";
            HttpResponse<String> created = server.send("POST", "/Users", """
                    {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                     "name":{"givenName":"Okta","familyName":"Precondition%s"},
                     "emails":[{"primary":true,"value":"%s","type":"work"}],"active":true}"""
                    .formatted(userName, suffix, userName));
            if (created.statusCode() != 201) {
                throw new IllegalStateException("could not create the user Okta's test expects to find (POST /Users): "
                        + created.statusCode() + " " + created.body());
            }
            return null;
        }
        JsonNode first = body.path("Resources").path(0);
        List<String> lacking = new ArrayList<>();
        for (String path : List.of("name.familyName", "name.givenName", "emails[0].value")) {
            if (isEmpty(resolve(first, path))) {
                lacking.add(path);
            }
        }
        return lacking.isEmpty() ? null : "precondition not met: the server's first user ("
                + first.path("userName").asText() + ", created before this test ran, by another test of this JVM if "
                + "there is one) lacks " + lacking + ", which Okta's test expects of the app's users; a failure that "
                + "reads Resources[0] is about that fixture, not the server.";
    }

    /** The state of one run: Runscope's variables, shared by the steps in order. */
    static final class Session {
        final Map<String, String> variables = new LinkedHashMap<>();
        final Map<String, String> unset = new LinkedHashMap<>();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String preconditionNote;

        void run(int number, JsonNode step) throws Exception {
            String type = step.path("step_type").asText();
            if (step.path("skipped").asBoolean(false)) {
                Assumptions.abort("step " + number + " (" + type + ") is marked skipped in the export");
            }
            switch (type) {
                case "request" -> request(number, step);
                default -> fail("step " + number + " has step_type \"" + type + "\", which this interpreter does not "
                        + "know (it handles request and pause); teach it before trusting the run: " + step);
            }
        }

        /** Runscope's pauses give eventually consistent apps time; this server commits before it answers. */
        static void pause(List<JsonNode> pauses) throws InterruptedException {
            long seconds = pauses.stream().mapToLong(p -> p.path("duration").asLong()).sum();
            if (pauses.isEmpty()) {
                return;
            }
            if (Boolean.getBoolean("okta.honourPauses")) {
                System.out.println("[okta] pausing " + seconds + " s as the export says");
                Thread.sleep(seconds * 1000);
            } else {
                System.out.println("[okta] pause of " + seconds + " s not waited (the server commits before it "
                        + "answers; -Dokta.honourPauses=true sleeps it)");
            }
        }

        private void request(int number, JsonNode step) throws Exception {
            for (String field : List.of("auth", "form", "multipart_form", "binary_body")) {
                JsonNode value = step.path(field);
                if (!(value.isMissingNode() || value.isNull() || (value.isContainerNode() && value.isEmpty()))) {
                    fail("step " + number + " uses \"" + field + "\" (" + value + "), which this interpreter does not "
                            + "implement");
                }
            }
            StepResult result = new StepResult();
            runScripts(step, "before_scripts", null, result);

            String method = step.path("method").asText();
            URI uri = toUri(substitute(step.path("url").asText()));
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
            List<String> shownHeaders = new ArrayList<>();
            for (Map.Entry<String, JsonNode> header : step.path("headers").properties()) {
                JsonNode values = header.getValue().isArray() ? header.getValue()
                        : JSON.createArrayNode().add(header.getValue());
                for (JsonNode value : values) {
                    String resolved = substitute(value.asText());
                    request.header(header.getKey(), resolved);
                    shownHeaders.add(header.getKey() + ": " + (header.getKey().equalsIgnoreCase("Authorization")
                            ? redact(resolved) : resolved));
                }
            }
            String body = step.path("body").isTextual() && !step.path("body").asText().isEmpty()
                    ? substitute(step.path("body").asText()) : null;
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));

            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Exchange exchange = new Exchange(method, uri, shownHeaders, body, response,
                    Duration.ofNanos(System.nanoTime() - start).toMillis());

            extractVariables(step, exchange, result);
            int assertions = 0;
            for (JsonNode assertion : step.path("assertions")) {
                assertions++;
                assertion(assertion, exchange, result);
            }
            runScripts(step, "scripts", exchange, result);

            String summary = "step " + number + " \"" + step.path("note").asText().strip() + "\": " + assertions
                    + " assertions, " + step.path("variables").size() + " variables";
            if (result.failures.isEmpty()) {
                System.out.println("[okta] PASS " + summary + result.notesLine());
                return;
            }
            System.out.println("[okta] FAIL " + summary);
            StringBuilder report = new StringBuilder("Okta spec test " + summary + ", " + result.failures.size()
                    + " failed:\n");
            result.failures.forEach(f -> report.append("  - ").append(f).append('\n'));
            if (preconditionNote != null) {
                report.append("  (").append(preconditionNote).append(")\n");
            }
            report.append(exchange.describe());
            fail(report.toString());
        }

        private void extractVariables(JsonNode step, Exchange exchange, StepResult result) {
            for (JsonNode variable : step.path("variables")) {
                String name = variable.path("name").asText();
                String source = variable.path("source").asText();
                String property = substitute(variable.path("property").asText(""));
                JsonNode value = switch (source) {
                    case "response_json", "response_headers", "response_status", "response_text" ->
                            exchange.source(source, property);
                    default -> throw new IllegalStateException("variable " + name + " has source \"" + source
                            + "\", which this interpreter does not know");
                };
                if (value.isMissingNode() || value.isNull()) {
                    String reason = "variable " + name + " could not be extracted: " + source + " \"" + property + "\" "
                            + (exchange.jsonError != null && source.equals("response_json")
                            ? "(the body is not JSON: " + exchange.jsonError + ")" : "is absent");
                    result.failures.add(reason);
                    unset.put(name, reason);
                    variables.remove(name);
                } else {
                    variables.put(name, text(value));
                    unset.remove(name);
                    result.notes.add(name + "=" + text(value));
                }
            }
        }

        private void assertion(JsonNode assertion, Exchange exchange, StepResult result) {
            String source = assertion.path("source").asText();
            String property = substitute(assertion.path("property").asText(""));
            String comparison = assertion.path("comparison").asText();
            String expected = assertion.path("value").isNull() || assertion.path("value").isMissingNode()
                    ? null : substitute(assertion.path("value").asText());
            JsonNode actual = exchange.source(source, property);
            if (!compare(comparison, actual, expected, source.equals("response_json"))) {
                result.failures.add(source + (property.isEmpty() ? "" : " \"" + property + "\"") + " " + comparison
                        + (expected == null ? "" : " \"" + expected + "\"") + " — actual: "
                        + shown(actual, exchange, source));
            }
        }

        private void runScripts(JsonNode step, String field, Exchange exchange, StepResult result) {
            for (JsonNode script : step.path(field)) {
                String text = script.asText("");
                if (text.isBlank()) {
                    continue;
                }
                String fingerprint = fingerprint(text);
                StepScriptTwin twin = exchange == null ? null : StepScriptTwin.KNOWN.get(fingerprint);
                if (twin == null) {
                    result.failures.add(field + " entry with fingerprint " + fingerprint + " has no Java twin in "
                            + "OktaSpecConformanceTest (the export changed?); its JavaScript:\n" + text);
                } else {
                    twin.run(exchange, result);
                }
            }
        }

        /** Runscope's {{name}} substitution; an unknown name is an error, never left in place. */
        String substitute(String text) {
            Matcher matcher = VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String name = matcher.group(1);
                String value = variables.get(name);
                if (value == null) {
                    throw new IllegalStateException("{{" + name + "}} is not defined" + (unset.containsKey(name)
                            ? " (" + unset.get(name) + ")" : "") + "; defined: " + variables.keySet());
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            return out.toString();
        }
    }

    /** Runscope's comparisons. Runscope compares the text of values; numbers compare as numbers. */
    static boolean compare(String comparison, JsonNode actual, String expected, boolean fromJson) {
        boolean present = !actual.isMissingNode() && !actual.isNull();
        return switch (comparison) {
            case "equal" -> present && text(actual).equals(expected);
            case "not_equal" -> !(present && text(actual).equals(expected));
            case "empty" -> isEmpty(actual);
            case "not_empty" -> !isEmpty(actual);
            case "is_null" -> !present;
            case "contains" -> present && contains(actual, require(expected, comparison));
            case "does_not_contain" -> !(present && contains(actual, require(expected, comparison)));
            case "has_key" -> actual.isObject() && actual.has(require(expected, comparison));
            case "has_value" -> hasValue(actual, require(expected, comparison));
            // A type check on JSON (itemsPerPage must be a JSON number); headers and text are strings by nature.
            case "is_a_number" -> actual.isNumber() || (!fromJson && present && number(actual) != null);
            case "equal_number" -> numbers(actual, expected, comparison, order -> order == 0);
            case "is_less_than" -> numbers(actual, expected, comparison, order -> order < 0);
            case "is_less_than_or_equal" -> numbers(actual, expected, comparison, order -> order <= 0);
            case "is_greater_than" -> numbers(actual, expected, comparison, order -> order > 0);
            case "is_greater_than_or_equal" -> numbers(actual, expected, comparison, order -> order >= 0);
            default -> throw new IllegalStateException("unknown Runscope comparison \"" + comparison
                    + "\": implement it in OktaSpecConformanceTest.compare before trusting the run");
        };
    }

    private static String require(String expected, String comparison) {
        if (expected == null) {
            throw new IllegalStateException("comparison " + comparison + " needs a value and the export has none");
        }
        return expected;
    }

    private static boolean contains(JsonNode actual, String expected) {
        if (actual.isArray()) {
            for (JsonNode element : actual) {
                if (text(element).contains(expected)) {
                    return true;
                }
            }
            return false;
        }
        return text(actual).contains(expected);
    }

    private static boolean hasValue(JsonNode actual, String expected) {
        if (actual.isContainerNode()) {
            for (JsonNode element : actual) {
                if (text(element).equals(expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compares actual to expected as numbers; a side that is no number fails the comparison. */
    private static boolean numbers(JsonNode actual, String expected, String comparison, IntPredicate order) {
        BigDecimal left = number(actual);
        BigDecimal right = number(new TextNode(require(expected, comparison)));
        return left != null && right != null && order.test(left.compareTo(right));
    }

    private static BigDecimal number(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    static boolean isEmpty(JsonNode node) {
        return node.isMissingNode() || node.isNull() || (node.isTextual() && node.textValue().isEmpty())
                || (node.isContainerNode() && node.isEmpty());
    }

    /** The text Runscope (JavaScript) would see: strings as is, numbers without a needless ".0", JSON otherwise. */
    static String text(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber()) {
            BigDecimal value = node.decimalValue();
            return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
        }
        return node.toString();
    }

    /** Runscope's property paths: {@code Resources[0].name.familyName}. */
    static JsonNode resolve(JsonNode root, String path) {
        if (path.isEmpty()) {
            return root;
        }
        JsonNode node = root;
        Matcher matcher = PATH_SEGMENT.matcher(path);
        int end = 0;
        while (end < path.length() && matcher.find()) {
            node = matcher.group(1) != null ? node.path(matcher.group(1)) : node.path(Integer.parseInt(matcher.group(2)));
            end = matcher.end();
        }
        if (end != path.length()) {
            throw new IllegalStateException("property path \"" + path + "\" is not one this interpreter can read");
        }
        return node;
    }

    private static JsonNode parseOrNull(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** The file writes raw spaces and quotes in queries: each parameter's name and value is percent-encoded here. */
    static URI toUri(String url) {
        int question = url.indexOf('?');
        String base = question < 0 ? url : url.substring(0, question);
        StringBuilder out = new StringBuilder(encode(base, "-._~!$&'()*+,;=:@/"));
        if (question >= 0) {
            out.append('?');
            String[] parameters = url.substring(question + 1).split("&", -1);
            for (int i = 0; i < parameters.length; i++) {
                if (i > 0) {
                    out.append('&');
                }
                int equals = parameters[i].indexOf('=');
                if (equals < 0) {
                    out.append(encode(parameters[i], "-._~"));
                } else {
                    out.append(encode(parameters[i].substring(0, equals), "-._~")).append('=')
                            .append(encode(parameters[i].substring(equals + 1), "-._~"));
                }
            }
        }
        return URI.create(out.toString());
    }

    /** RFC 3986 percent-encoding of everything but letters, digits, {@code allowed} and existing %XX escapes. */
    private static String encode(String text, String allowed) {
        StringBuilder out = new StringBuilder();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escape = b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2]);
            if ((b < 0x80 && (Character.isLetterOrDigit(b) || allowed.indexOf(b) >= 0)) || escape) {
                out.append((char) b);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        return out.toString();
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    static String fingerprint(String script) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(script.strip().replaceAll("\\s+", " ").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String redact(String authorization) {
        int space = authorization.indexOf(' ');
        return space < 0 ? "***" : authorization.substring(0, space) + " ***";
    }

    /** One request and its answer, read the ways Runscope's sources read it. */
    static final class Exchange {
        final String method;
        final URI uri;
        final List<String> requestHeaders;
        final String requestBody;
        final HttpResponse<String> response;
        final long millis;
        final JsonNode json;
        final String jsonError;

        Exchange(String method, URI uri, List<String> requestHeaders, String requestBody, HttpResponse<String> response,
                 long millis) {
            this.method = method;
            this.uri = uri;
            this.requestHeaders = requestHeaders;
            this.requestBody = requestBody;
            this.response = response;
            this.millis = millis;
            JsonNode parsed = null;
            String error = null;
            try {
                parsed = JSON.readTree(response.body());
                if (parsed == null || parsed.isMissingNode()) {
                    error = "empty body";
                    parsed = null;
                }
            } catch (IOException e) {
                error = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            }
            this.json = parsed;
            this.jsonError = error;
        }

        JsonNode source(String source, String property) {
            return switch (source) {
                case "response_status" -> IntNode.valueOf(response.statusCode());
                case "response_json" -> json == null ? MissingNode.getInstance() : resolve(json, property);
                case "response_headers" -> {
                    List<String> values = response.headers().allValues(property);
                    yield values.isEmpty() ? MissingNode.getInstance() : new TextNode(String.join(", ", values));
                }
                case "response_text" -> new TextNode(response.body());
                case "response_time" -> LongNode.valueOf(millis);
                case "response_size" -> LongNode.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length);
                default -> throw new IllegalStateException("unknown Runscope assertion source \"" + source
                        + "\": implement it in OktaSpecConformanceTest.Exchange.source");
            };
        }

        String describe() {
            StringBuilder out = new StringBuilder("request: ").append(method).append(' ').append(uri).append('\n');
            requestHeaders.forEach(h -> out.append("  ").append(h).append('\n'));
            if (requestBody != null) {
                out.append("  body: ").append(requestBody).append('\n');
            }
            out.append("response: ").append(response.statusCode()).append(" in ").append(millis).append(" ms\n");
            response.headers().map().forEach((name, values) -> out.append("  ").append(name).append(": ")
                    .append(String.join(", ", values)).append('\n'));
            String body = response.body();
            out.append("  body: ").append(body.length() > BODY_SHOWN ? body.substring(0, BODY_SHOWN) + "…" : body);
            return out.toString();
        }
    }

    private static String shown(JsonNode actual, Exchange exchange, String source) {
        if (actual.isMissingNode()) {
            return source.equals("response_json") && exchange.jsonError != null
                    ? "(body is not JSON: " + exchange.jsonError + ")" : "(absent)";
        }
        return actual.isTextual() ? "\"" + actual.textValue() + "\"" : actual.toString();
    }

    static final class StepResult {
        final List<String> failures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        String notesLine() {
            return notes.isEmpty() ? "" : " [" + String.join("; ", notes) + "]";
        }
    }

    /**
     * Java twins of the JavaScript in the export's step {@code scripts}, keyed by {@link #fingerprint}.
     * Blank scripts (the create step has one) do nothing and need none.
     */
    interface StepScriptTwin {
        void run(Exchange exchange, StepResult result);

        /**
         * "Optional Test: Verify Groups endpoint":
         * <pre>
         * var data = JSON.parse(response.body); var max = data.totalResults; var res = data.Resources;
         * if (max === 0) assert("nogroups", "No Groups found in the endpoint");
         * else if (max >= 1 &amp;&amp; Array.isArray(res)) { assert.ok(true, "Resources is of type Array"); log(true); }
         * </pre>
         * {@code assert("nogroups", …)} is chai's assert of a truthy string: it passes and only reports. So the
         * script fails only when the body is not JSON ({@code JSON.parse} throws); the twin does exactly that
         * and keeps the script's messages as notes.
         */
        StepScriptTwin VERIFY_GROUPS_ENDPOINT = (exchange, result) -> {
            if (exchange.json == null) {
                result.failures.add("script: JSON.parse(response.body) throws: " + exchange.jsonError);
                return;
            }
            JsonNode max = exchange.json.path("totalResults");
            if (max.isNumber() && max.decimalValue().signum() == 0) {
                result.notes.add("script: No Groups found in the endpoint");
            } else if (number(max) != null && number(max).compareTo(BigDecimal.ONE) >= 0
                    && exchange.json.path("Resources").isArray()) {
                result.notes.add("script: Resources is of type Array");
            }
        };

        Map<String, StepScriptTwin> KNOWN = Map.of(
                "3566c59eaf4266b1c8240165ece33681459d1b11f81dfec3cec00cc41b93b516", VERIFY_GROUPS_ENDPOINT);
    }

    /**
     * The Java twin of {@code Initial_Script_Spec.txt}, which Runscope runs once before the first step:
     * <ul>
     *   <li>{@code randomGivenName}: "Runscope" and three random digits;</li>
     *   <li>{@code randomFamilyName}: one random capital, eight random small letters, three random digits;</li>
     *   <li>{@code randomEmail} and {@code randomUsername}: given name + family name + "@atko.com";</li>
     *   <li>{@code randomUsernameCaps}: that email in capitals;</li>
     *   <li>{@code InvalidUserEmail} "abcdefgh@atko.com" and {@code UserIdThatDoesNotExist}
     *       "010101001010101011001010101011", fixed.</li>
     * </ul>
     * It was written for the script whose fingerprint is {@link #FINGERPRINT}; if the script changes, the
     * run stops and says so rather than generating what the old script did.
     */
    static final class InitialScriptTwin {
        static final String FINGERPRINT = "d227e1e1d2a84112d39aaea379a2612e6f3cc474bf82b9209e10fd1aeb121634";
        private static final Pattern SETS = Pattern.compile("variables\\.set\\(\\s*\"([^\"]+)\"");
        private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
        private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private static final String DIGITS = "0123456789";

        static Map<String, String> run(String script) {
            Random random = new Random();
            String firstname = "Runscope" + pick(random, DIGITS, 3);
            String lastname = pick(random, UPPER, 1) + pick(random, LOWER, 8) + pick(random, DIGITS, 3);
            String email = firstname + lastname + "@atko.com";
            Map<String, String> variables = new LinkedHashMap<>();
            variables.put("randomGivenName", firstname);
            variables.put("randomFamilyName", lastname);
            variables.put("randomEmail", email);
            variables.put("randomUsername", email);
            variables.put("InvalidUserEmail", "abcdefgh@atko.com");
            variables.put("UserIdThatDoesNotExist", "010101001010101011001010101011");
            variables.put("randomUsernameCaps", email.toUpperCase(Locale.ROOT));

            Set<String> scriptSets = new LinkedHashSet<>();
            SETS.matcher(script).results().forEach(m -> scriptSets.add(m.group(1)));
            String fingerprint = fingerprint(script);
            if (!fingerprint.equals(FINGERPRINT) || !scriptSets.equals(variables.keySet())) {
                throw new IllegalStateException(INITIAL_SCRIPT_FILE + " is not the script its Java twin "
                        + "(OktaSpecConformanceTest.InitialScriptTwin) was written for: fingerprint " + fingerprint
                        + " (twin: " + FINGERPRINT + "); it sets " + new TreeSet<>(scriptSets) + ", the twin sets "
                        + new TreeSet<>(variables.keySet()) + ". Review the script and update the twin.");
            }
            System.out.println("[okta] initial script twin: " + variables);
            return variables;
        }

        private static String pick(Random random, String alphabet, int count) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < count; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        }
    }
}
