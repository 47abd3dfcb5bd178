package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.scimserver.app.AdminWorkspacesContractTest.uniqueSlug;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code admin ...}: the command line run in-process against a running server, its output captured. */
class AdminCommandTest {
    private static final Pattern TOKEN = Pattern.compile("scim_tok_[A-Za-z0-9_-]{43}");
    private static final Pattern SECRET = Pattern.compile("scim_sec_[A-Za-z0-9_-]{43}");
    private final AdminServer admin = AdminServer.shared();

    /** What one run printed and how it ended. */
    record Run(int exitCode, String out, String err) {
    }

    private Run run(Map<String, String> environment, String... args) {
        return run(Clock.systemUTC(), environment, args);
    }

    private Run run(Clock clock, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AdminCommand.run(List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Against the shared administration server, as an operator on that machine would run it. */
    private Run admin(String... args) {
        return run(Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "PORT", Integer.toString(admin.port())), args);
    }

    private static String single(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        String found = matcher.group();
        assertThat(matcher.find()).as("printed once").isFalse();
        return found;
    }

    @Test
    void helpListsEveryCommand() {
        Run help = run(Map.of(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("workspaces create <slug> --name <name>", "credentials create --name <name>",
                "credentials list", "oauth-clients create", "summary", "--workspace", "--url", "SCIM_ADMIN_TOKEN",
                "Exit codes", "5 the answer could not be written");
        assertThat(run(Map.of(), "credentials", "create", "-h").out()).isEqualTo(help.out());
    }

    @Test
    void aWorkspaceAndItsCredentialsAreManagedFromTheShell() {
        String slug = uniqueSlug("cli");
        Run created = admin("workspaces", "create", slug, "--name", "Acme Ltd");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("Created workspace " + slug, "Acme Ltd");
        assertThat(admin("workspaces", "list").out()).contains(slug, "Acme Ltd", "default");

        Run token = admin("credentials", "create", "--workspace", slug, "--name", "entra", "--expires", "365d");
        assertThat(token.exitCode()).as(token.err()).isZero();
        String secret = single(TOKEN, token.out());
        assertThat(token.out()).contains("shown this once");
        Run listed = admin("credentials", "list", "--workspace=" + slug);
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("entra", "api-token").doesNotContain(secret);
        JsonNode tokens = AdminServer.json(admin("credentials", "list", "--workspace", slug, "--json").out());
        String id = tokens.path("items").get(0).path("id").asText();
        Instant expiry = Instant.parse(tokens.path("items").get(0).path("expiresAt").asText());
        assertThat(expiry).isBetween(Instant.now().plusSeconds(364L * 86400), Instant.now().plusSeconds(366L * 86400));
        assertThat(admin("credentials", "revoke", id, "--workspace", slug).exitCode()).isZero();
        Run again = admin("credentials", "revoke", id, "--workspace", slug);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no unrevoked credential");

        Run client = admin("oauth-clients", "create", "--workspace", slug, "--name", "okta");
        assertThat(client.exitCode()).as(client.err()).isZero();
        String clientSecret = single(SECRET, client.out());
        JsonNode clients = AdminServer.json(admin("oauth-clients", "list", "--workspace", slug, "--json").out());
        String clientRow = clients.path("items").get(0).path("id").asText();
        assertThat(admin("oauth-clients", "list", "--workspace", slug).out()).contains("okta").doesNotContain(clientSecret);
        Run added = admin("oauth-clients", "add-secret", clientRow, "--workspace", slug, "--expires", "2h");
        assertThat(single(SECRET, added.out())).isNotEqualTo(clientSecret);
        String firstSecretId = clients.path("items").get(0).path("secrets").get(0).path("id").asText();
        assertThat(admin("oauth-clients", "remove-secret", clientRow, firstSecretId, "--workspace", slug).exitCode())
                .isZero();
        assertThat(admin("oauth-clients", "delete", clientRow, "--workspace", slug).exitCode()).isZero();

        Run summary = admin("summary", "--workspace", slug);
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("Workspace " + slug, "0 active, 0 archived", "last change:");
        String renamed = uniqueSlug("cli-renamed");
        assertThat(admin("workspaces", "rename", slug, "--slug", renamed).out()).contains(renamed);
        assertThat(admin("workspaces", "delete", renamed).exitCode()).isZero();
        Run gone = admin("workspaces", "show", renamed);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("no workspace has the slug '" + renamed + "'");
    }

    /** A secret is shown once: an output that takes none of it (closed, full, a reader gone) is no success. */
    @Test
    void anAnswerThatCouldNotBeWrittenIsNoSuccess() {
        String slug = uniqueSlug("cli-lost");
        assertThat(admin("workspaces", "create", slug, "--name", "Lost").exitCode()).isZero();
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        for (String[] args : new String[][] {{"credentials", "create", "--workspace", slug, "--name", "lost"},
            {"oauth-clients", "create", "--workspace", slug, "--name", "lost", "--json"}, {"--help"},
            {"workspaces", "list"}}) {
            err.reset();
            int exit = AdminCommand.run(List.of(args), Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "PORT",
                    Integer.toString(admin.port())), new PrintStream(full, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String said = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(String.join(" ", args) + ": " + said).isEqualTo(5);
            assertThat(said).startsWith("error: the answer could not be written");
            assertThat(said.contains("revoke it")).as("only where a secret was shown: " + said)
                    .isEqualTo(List.of(args).contains("create"));
            assertThat(TOKEN.matcher(said).find() || SECRET.matcher(said).find()).as(said).isFalse();
        }
        assertThat(admin("credentials", "list", "--workspace", slug).out()).as("what the server did stands")
                .contains("lost");
    }

    @Test
    void theDefaultWorkspaceIsWhatCredentialCommandsActOnUnlessTold() {
        Run listed = admin("credentials", "list");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("SCIM_HEADER_AUTH_TOKEN", "environment (read-only)")
                .doesNotContain(RunningServer.TOKEN);
        Run refused = admin("credentials", "revoke", "environment-token");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("configured by the environment");
        assertThat(admin("summary").out()).contains("Workspace default");
    }

    @Test
    void anUnknownWorkspaceIsNamedInTheMessage() {
        String slug = uniqueSlug("missing");
        Run run = admin("credentials", "create", "--workspace", slug, "--name", "entra");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no workspace has the slug '" + slug + "'");
        Run invalid = admin("credentials", "list", "--workspace", "Not A Slug");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("1 to 63 characters");
    }

    @Test
    void aWrongTokenSaysSo() {
        Run run = run(Map.of("SCIM_ADMIN_TOKEN", "not-the-token"), "workspaces", "list", "--url", admin.url());
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.err()).contains("refused the admin token", "SCIM_ADMIN_TOKEN");
        assertThat(run.out()).isEmpty();
    }

    /** An HTTP client refuses such a header with the header in its message: the token must not reach the terminal. */
    @Test
    void aTokenNoHeaderCanCarryIsAUsageErrorThatDoesNotShowIt() {
        // The last one: trimmed by the CLI as by the server, an ideographic space (not ASCII) stays.
        for (String token : List.of("t\u00f6k\u20acn-secret", "ab\u0001cd-secret", "tok-secret\u3000")) {
            Run run = run(Map.of("SCIM_ADMIN_TOKEN", token), "workspaces", "list", "--url", admin.url());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).contains("error: SCIM_ADMIN_TOKEN holds a character an HTTP header cannot carry")
                    .doesNotContain("secret").doesNotContain("Exception");
        }
        // A header carries spaces: a passphrase is a token the server takes (the words after "Bearer ").
        Run passphrase = run(Map.of("SCIM_ADMIN_TOKEN", "correct horse battery"), "workspaces", "list", "--url",
                admin.url());
        assertThat(passphrase.exitCode()).as("refused by the server, not the CLI").isEqualTo(4);
    }

    @Test
    void noServerSaysSo() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = run(Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "PORT", Integer.toString(closedPort)),
                "workspaces", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("cannot reach the server at http://localhost:" + closedPort);
    }

    /**
     * A server that takes the connection and never answers (its listening socket's backlog holds the
     * connection, nobody reads it) is given up on, with a message that says the request may have been
     * done; the wait is shortened here, as every command but a whole workspace's waits a minute.
     */
    @Test
    void aServerThatNeverAnswersIsGivenUpOn() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            String url = "http://localhost:" + silent.getLocalPort();
            AdminClient client = new AdminClient(url, "--url", AdminServer.ADMIN_TOKEN, Duration.ofMillis(300));
            assertThatThrownBy(() -> client.get("/workspaces"))
                    .isInstanceOfSatisfying(AdminClient.Failure.class, failure -> {
                        assertThat(failure.exitCode()).isEqualTo(3);
                        assertThat(failure.getMessage()).isEqualTo("the server at " + url + " took the request but "
                                + "did not answer within 300 ms: it may be stuck or overloaded. What was asked may still "
                                + "be done: look before asking again");
                    });
        }
    }

    /** {@code .invalid} is reserved never to resolve (RFC 6761), on any network or none. */
    @Test
    void aHostThatDoesNotResolveIsNamed() {
        Run run = run(Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN), "workspaces", "list", "--url",
                "http://no-such-host.invalid:19300");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).startsWith("error: cannot resolve the host 'no-such-host.invalid' that --url names")
                .doesNotContain(AdminServer.ADMIN_TOKEN, "connection refused");
    }

    @Test
    void wrongArgumentsAreRefusedBeforeAnyRequest() {
        Map<String, String> unreachable = Map.of("SCIM_ADMIN_TOKEN", "t", "PORT", "1");
        List<String[]> wrong = new ArrayList<>(List.of(
                new String[] {},
                new String[] {"workspaces"},
                new String[] {"workspaces", "explode"},
                new String[] {"workspaces", "create", "acme"},
                new String[] {"workspaces", "create", "--name", "Acme"},
                new String[] {"workspaces", "create", "acme", "extra", "--name", "Acme"},
                new String[] {"workspaces", "list", "--name", "x"},
                new String[] {"workspaces", "rename", "acme"},
                new String[] {"credentials", "create", "--name"},
                new String[] {"credentials", "create", "--name", "a", "--name", "b"},
                new String[] {"credentials", "create", "--name", "entra", "--expires", "soon"},
                new String[] {"credentials", "create", "--name", "entra", "--expires", "0d"},
                new String[] {"credentials", "revoke"},
                new String[] {"credentials", "list", "--bogus"}));
        for (String[] args : wrong) {
            Run run = run(unreachable, args);
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith("error: ").contains("admin --help");
        }
        String[][] blank = {
            {"--workspace", "credentials", "list", "--workspace", ""},
            {"--workspace", "credentials", "list", "--workspace= "},
            {"--name", "credentials", "create", "--name", " "},
            {"<slug>", "workspaces", "show", ""},
            {"<group>", "roles", "map", " ", "admin"},
            {"<secret-id>", "oauth-clients", "remove-secret", "c1", ""}};
        for (String[] args : blank) {
            Run run = run(unreachable, List.of(args).subList(1, args.length).toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith("error: ").containsAnyOf(args[0] + " is blank", args[0] + ", and it is blank");
        }
        Run noToken = run(Map.of(), "workspaces", "list");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("SCIM_ADMIN_TOKEN is not set");
        Run badUrl = run(Map.of("SCIM_ADMIN_TOKEN", "t"), "workspaces", "list", "--url", "localhost:8080");
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url must give");
    }

    @Test
    void aGroupWithoutOneOfItsCommandsNamesThem() {
        Map<String, String> unreachable = Map.of("SCIM_ADMIN_TOKEN", "t", "PORT", "1");
        Map<String, String> groups = Map.of(
                "workspaces", "list, show, create, rename, delete",
                "credentials", "list, create, revoke",
                "oauth-clients", "list, create, add-secret, remove-secret, delete",
                "roles", "show, source, map, unmap");
        groups.forEach((group, commands) -> {
            Run alone = run(unreachable, group);
            assertThat(alone.exitCode()).as(group + ": " + alone.err()).isEqualTo(2);
            assertThat(alone.err()).startsWith("error: '" + group + "' takes one of: " + commands + "\n");
        });
        Run unknown = run(unreachable, "workspaces", "explode");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: unknown command 'workspaces explode': 'workspaces' takes one of: "
                + groups.get("workspaces") + "\n");
        assertThat(run(unreachable, "explode").err()).startsWith("error: unknown command 'explode'\n");
    }

    @Test
    void anArgumentThatBeginsWithADashGoesAfterTheEndOfTheOptions() {
        String slug = uniqueSlug("dash");
        assertThat(admin("workspaces", "create", slug, "--name", "Dash").exitCode()).isZero();
        Run mapped = admin("roles", "map", "--workspace", slug, "--", "--ops", "builder");
        assertThat(mapped.exitCode()).as(mapped.err()).isZero();
        assertThat(AdminServer.json(admin.send("GET", "/workspaces/" + slug + "/role-mappings", null)).toString())
                .isEqualTo("[{\"group\":\"--ops\",\"role\":\"builder\"}]");

        Map<String, String> unreachable = Map.of("SCIM_ADMIN_TOKEN", "t", "PORT", "1");
        Run asOption = run(unreachable, "roles", "map", "--ops", "builder");
        assertThat(asOption.exitCode()).isEqualTo(2);
        assertThat(asOption.err()).startsWith("error: 'roles map' does not take --ops (an argument that begins with - "
                + "goes after --");
        Run last = run(unreachable, "workspaces", "delete", "--acme");
        assertThat(last.exitCode()).isEqualTo(2);
        assertThat(last.err()).startsWith("error: 'workspaces delete' does not take --acme (an argument that begins "
                + "with - goes after --");
        assertThat(run(unreachable, "credentials", "list", "--bogus").err())
                .as("a command that takes no argument has none to put after --")
                .isEqualTo("error: 'credentials list' does not take --bogus\n"
                        + "Run 'admin --help' for the commands and their options.\n");
        assertThat(run(unreachable, "credentials", "create", "--name").err())
                .as("an option some command takes, left without its value, is just that")
                .isEqualTo("error: --name needs a value\n"
                        + "Run 'admin --help' for the commands and their options.\n");
        assertThat(run(unreachable, "workspaces", "list", "--name", "x").err())
                .isEqualTo("error: 'workspaces list' does not take --name\n"
                        + "Run 'admin --help' for the commands and their options.\n");
        // A flag's value was ignored: --json=false printed JSON.
        Run flagWithValue = run(unreachable, "workspaces", "list", "--json=false");
        assertThat(flagWithValue.exitCode()).isEqualTo(2);
        assertThat(flagWithValue.err()).startsWith("error: --json takes no value\n");
    }

    @Test
    void aServerUrlThatCannotBeCalledIsAUsageErrorNamingWhereItCameFrom() {
        for (String url : new String[] {"http://localhost:99999", "http://localhost:0", "ftp://localhost:8080",
            "http:///api", "http://exa mple.com", "http://localhost:8080?x=1", "http://localhost:8080#top",
            "http://localhost:8080/?"}) {
            Run run = run(Map.of("SCIM_ADMIN_TOKEN", "t"), "workspaces", "list", "--url", url);
            assertThat(run.exitCode()).as(url + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).as(url).startsWith("error: --url must give").contains("1 to 65535");
        }
        for (String port : new String[] {"99999", "0", "eighty"}) {
            Run run = run(Map.of("SCIM_ADMIN_TOKEN", "t", "PORT", port), "workspaces", "list");
            assertThat(run.exitCode()).as(port + ": " + run.err()).isEqualTo(2);
            assertThat(run.err()).as(port).startsWith("error: PORT must be").doesNotContain("--url must");
        }
    }

    @Test
    void portIsReadAsTheServerReadsIt() {
        Run spaced = run(Map.of("SCIM_ADMIN_TOKEN", AdminServer.ADMIN_TOKEN, "PORT", " " + admin.port() + " "),
                "workspaces", "list");
        assertThat(spaced.exitCode()).as(spaced.err()).isZero();
        Run blank = run(Map.of("SCIM_ADMIN_TOKEN", "t", "PORT", " "), "workspaces", "list");
        assertThat(blank.err()).doesNotContain("--url must", "http://localhost: ");
        if (blank.exitCode() == AdminClient.UNREACHABLE) {
            assertThat(blank.err()).contains("http://localhost:8080");
        }
    }

    /** A server that answers every request with {@code status} and {@code body} as {@code text/html}. */
    private static HttpServer stub(int status, String body) throws IOException {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
            if (status != 204) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        stub.start();
        return stub;
    }

    @Test
    void aSuccessWithoutJsonFromSomethingElseSaysSo() throws IOException {
        HttpServer stub = stub(200, "<html>welcome</html>");
        try {
            String url = "http://127.0.0.1:" + stub.getAddress().getPort();
            for (String[] args : List.of(new String[] {"workspaces", "list"}, new String[] {"summary"},
                    new String[] {"roles", "show"}, new String[] {"roles", "unmap", "ops"})) {
                Run run = run(Map.of("SCIM_ADMIN_TOKEN", "t"), concat(args, "--url", url));
                assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(1);
                assertThat(run.err()).isEqualTo("error: the server at " + url + " answered 200 with no JSON: is --url "
                        + "the SCIM server?\n");
            }
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void anAnswerWithoutContentIsNoFailureOfTheCommandLine() throws IOException {
        HttpServer stub = stub(204, "");
        try {
            Run run = run(Map.of("SCIM_ADMIN_TOKEN", "t"), "workspaces", "list", "--url",
                    "http://127.0.0.1:" + stub.getAddress().getPort());
            assertThat(run.exitCode()).as(run.err()).isZero();
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void aListedTokenOrSecretWhoseExpiryHasPassedIsMarkedExpired() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
        String credentials = """
                {"items":[{"id":"c-past","name":"old","kind":"api-token","expiresAt":"2026-11-30T12:00:00Z"},
                 {"id":"c-future","name":"new","kind":"api-token","expiresAt":"2026-12-31T00:00:00Z"}]}""";
        String clients = """
                {"items":[{"id":"o1","clientId":"cid","name":"okta","secrets":[
                 {"id":"s-past","expiresAt":"2026-11-30T12:00:00Z"},{"id":"s-now","expiresAt":"2026-12-05T00:00:00Z"},
                 {"id":"s-future","expiresAt":"2026-12-31T00:00:00Z"},{"id":"s-never","expiresAt":null}]}]}""";
        HttpServer credentialStub = stub(200, credentials);
        HttpServer clientStub = stub(200, clients);
        try {
            Map<String, String> environment = Map.of("SCIM_ADMIN_TOKEN", "t");
            String credentialUrl = "http://127.0.0.1:" + credentialStub.getAddress().getPort();
            Run listed = run(clock, environment, "credentials", "list", "--url", credentialUrl);
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out()).containsPattern("c-past .*expired 2026-11-30T12:00:00Z")
                    .containsPattern("c-future .* 2026-12-31T00:00:00Z").doesNotContain("expired 2026-12-31");
            assertThat(run(clock, environment, "credentials", "list", "--url", credentialUrl, "--json").out())
                    .isEqualTo(credentials + "\n");

            String clientUrl = "http://127.0.0.1:" + clientStub.getAddress().getPort();
            Run secrets = run(clock, environment, "oauth-clients", "list", "--url", clientUrl);
            assertThat(secrets.exitCode()).as(secrets.err()).isZero();
            assertThat(secrets.out()).contains("s-past, expired 2026-11-30T12:00:00Z; "
                    + "s-now, expired 2026-12-05T00:00:00Z; s-future, 2026-12-31T00:00:00Z; s-never, never");
            assertThat(run(clock, environment, "oauth-clients", "list", "--url", clientUrl, "--json").out())
                    .isEqualTo(clients + "\n");
        } finally {
            credentialStub.stop(0);
            clientStub.stop(0);
        }
    }

    private static String[] concat(String[] first, String... then) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(then));
        return all.toArray(String[]::new);
    }

    @Test
    void jsonIsOneDocumentOrNothing() {
        String slug = uniqueSlug("json");
        assertThat(admin("workspaces", "create", slug, "--name", "Json").exitCode()).isZero();
        assertThat(admin("roles", "map", "ops", "builder", "--workspace", slug).exitCode()).isZero();
        JsonNode roles = AdminServer.json(admin("roles", "show", "--workspace", slug, "--json").out());
        assertThat(roles.toString()).isEqualTo("{\"settings\":{\"roleSource\":\"attribute\"},"
                + "\"roleMappings\":[{\"group\":\"ops\",\"role\":\"builder\"}]}");

        String token = AdminServer.json(admin("credentials", "create", "--workspace", slug, "--name", "t", "--json")
                .out()).path("id").asText();
        assertThat(admin("credentials", "revoke", token, "--workspace", slug, "--json")).isEqualTo(new Run(0, "", ""));
        JsonNode client = AdminServer.json(admin("oauth-clients", "create", "--workspace", slug, "--name", "c",
                "--json").out());
        String secret = AdminServer.json(admin("oauth-clients", "add-secret", client.path("id").asText(),
                "--workspace", slug, "--json").out()).path("id").asText();
        assertThat(admin("oauth-clients", "remove-secret", client.path("id").asText(), secret, "--workspace", slug,
                "--json")).isEqualTo(new Run(0, "", ""));
        assertThat(admin("oauth-clients", "delete", client.path("id").asText(), "--workspace", slug, "--json"))
                .isEqualTo(new Run(0, "", ""));
        assertThat(admin("workspaces", "delete", slug, "--json")).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void expiriesAreDurationsFromNowOrDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(AdminCommandLine.expiry("365d", clock)).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(AdminCommandLine.expiry("12h", clock)).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(AdminCommandLine.expiry("30m", clock)).isEqualTo("2026-01-01T00:30:00Z");
        assertThat(AdminCommandLine.expiry("2030-01-31T00:00:00+01:00", clock)).isEqualTo("2030-01-30T23:00:00Z");
        assertThat(AdminCommandLine.expiry(null, clock)).isNull();
    }

    @Test
    void rolesAreShownSetAndMappedFromTheCommandLine() {
        String slug = uniqueSlug("roles");
        assertThat(admin("workspaces", "create", slug, "--name", "Roles").exitCode()).isZero();
        Run shown = admin("roles", "show", "--workspace", slug);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("come from: attribute", "GROUP", "ROLE");
        Run mapped = admin("roles", "map", "tooljet-builders", "builder", "--workspace", slug);
        assertThat(mapped.exitCode()).as(mapped.err()).isZero();
        assertThat(admin("roles", "map", "Ops", "admin", "--workspace", slug).out()).contains("tooljet-builders", "Ops");
        assertThat(admin("roles", "map", "ops", "builder", "--workspace", slug).exitCode()).isZero();
        assertThat(admin("roles", "source", "groups", "--workspace", slug).out()).contains("now come from: groups");
        assertThat(admin("roles", "unmap", "TOOLJET-BUILDERS", "--workspace", slug).exitCode()).isZero();
        assertThat(AdminServer.json(admin.send("GET", "/workspaces/" + slug + "/role-mappings", null)).toString())
                .isEqualTo("[{\"group\":\"ops\",\"role\":\"builder\"}]");
        Run notMapped = admin("roles", "unmap", "tooljet-builders", "--workspace", slug);
        assertThat(notMapped.exitCode()).isEqualTo(1);
        assertThat(notMapped.err()).contains("no mapping for the group 'tooljet-builders' exists in workspace " + slug,
                "unmapped by its id");
        assertThat(notMapped.out()).isEmpty();
        Run refused = admin("roles", "map", "Admin", "admin", "--workspace", slug);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("name of a role");
        assertThat(admin("roles", "source", "everything", "--workspace", slug).exitCode()).isEqualTo(1);
    }

    /**
     * Each map reads the list, adds its group and writes the list back; with the read's ETag as
     * If-Match, a write that would drop another's group is refused and tried again on a fresh read.
     * Four at once: each can lose to each of the three others once, within its five attempts.
     */
    @Test
    void mapsRunAtOnceFromTheCommandLineKeepEveryGroup() throws Exception {
        String slug = uniqueSlug("roles");
        assertThat(admin("workspaces", "create", slug, "--name", "Roles").exitCode()).isZero();
        for (int round = 0; round < 5; round++) {
            List<Callable<Run>> maps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String group = "g" + round + "-" + i;
                maps.add(() -> admin("roles", "map", group, "builder", "--workspace", slug));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (Future<Run> map : pool.invokeAll(maps)) {
                    assertThat(map.get().exitCode()).as(map.get().err()).isZero();
                }
            } finally {
                pool.shutdown();
            }
        }
        JsonNode mapped = AdminServer.json(admin.send("GET", "/workspaces/" + slug + "/role-mappings", null));
        assertThat(mapped.size()).as(mapped.toString()).isEqualTo(20);
    }
}
