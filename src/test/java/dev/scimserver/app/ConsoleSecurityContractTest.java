package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's doors, over plain HTTP against a real server: nothing without a session, no form
 * without its CSRF token, no secret after its creation page, every IdP value escaped, the security
 * headers on every page, and nothing at all without {@code SCIM_ADMIN_TOKEN}.
 */
class ConsoleSecurityContractTest {
    private static final AdminServer ADMIN = AdminServer.shared();
    private static String slug;
    private static String base;
    private static String tokenId;
    private static String apiToken;
    private static String clientRowId;
    private static String secretId;
    private static String userId;
    private static String groupId;

    @BeforeAll
    static void aWorkspaceWithSomethingOfEachKind() {
        slug = "console-sec-" + UUID.randomUUID().toString().substring(0, 8);
        base = "/admin/workspaces/" + slug;
        assertThat(ADMIN.send("POST", "/workspaces", "{\"slug\":\"" + slug + "\",\"name\":\"Console security\"}")
                .statusCode()).isEqualTo(201);
        JsonNode token = AdminServer.json(ADMIN.send("POST", "/workspaces/" + slug + "/credentials",
                "{\"name\":\"idp\"}"));
        tokenId = token.path("id").asText();
        apiToken = token.path("token").asText();
        JsonNode client = AdminServer.json(ADMIN.send("POST", "/workspaces/" + slug + "/oauth-clients",
                "{\"name\":\"entra\"}"));
        clientRowId = client.path("id").asText();
        secretId = client.path("secretId").asText();
        userId = AdminServer.json(scim("POST", "/Users", "{\"userName\":\"<script>alert(1)</script>\","
                + "\"displayName\":\"<img src=x onerror=alert(2)>\"}").body()).path("id").asText();
        groupId = AdminServer.json(scim("POST", "/Groups", "{\"displayName\":\"<b>bold</b>\",\"members\":[{\"value\":\""
                + userId + "\"}]}").body()).path("id").asText();
    }

    private static HttpResponse<String> scim(String method, String path, String body) {
        return RunningServer.shared().send(method, ADMIN.url() + "/api/scim/v2" + path, body,
                Map.of("Authorization", "Bearer " + apiToken));
    }

    private static List<String> pages() {
        return List.of("/admin/workspaces", base, base + "/users", base + "/users?q=script&status=active",
                base + "/users/" + userId, base + "/groups", base + "/groups/" + groupId, base + "/credentials",
                base + "/settings", base + "/requests", base + "/requests?status=4xx&method=POST",
                "/admin/unattributed-requests");
    }

    private static List<String> forms() {
        return List.of("/admin/logout", "/admin/workspaces", base + "/rename", base + "/delete", base + "/credentials",
                base + "/credentials/" + tokenId + "/rotate", base + "/credentials/" + tokenId + "/revoke",
                base + "/oauth-clients", base + "/oauth-clients/" + clientRowId + "/secrets",
                base + "/oauth-clients/" + clientRowId + "/secrets/" + secretId + "/remove",
                base + "/oauth-clients/" + clientRowId + "/delete", base + "/role-source", base + "/role-mappings",
                base + "/role-mappings/remove");
    }

    private static ConsoleClient signedIn() {
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        HttpResponse<String> signIn = browser.signIn(AdminServer.ADMIN_TOKEN);
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).hasValue("/admin/workspaces");
        return browser;
    }

    @Test
    void everyPageRedirectsToTheSignInWithoutASession() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        for (String page : pages()) {
            HttpResponse<String> response = stranger.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).as(page).hasValue("/admin/login");
        }
    }

    /** htmx follows a redirect within the page: a search after the session ended must load the sign-in page whole. */
    @Test
    void aPartialUpdateWithoutASessionSendsTheBrowserToTheSignIn() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        HttpResponse<String> search = stranger.get(base + "/users?q=ada", Map.of("HX-Request", "true"));
        assertThat(search.statusCode()).isEqualTo(401);
        assertThat(search.headers().firstValue("HX-Redirect")).hasValue("/admin/login");
    }

    @Test
    void everyFormIsRefusedWithoutASession() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        for (String form : forms()) {
            assertThat(stranger.post(form, Map.of("name", "x")).statusCode()).as(form).isEqualTo(401);
        }
        // The gate stands before every path under /admin, one without a page included.
        assertThat(stranger.get(base + "/requests/" + UUID.randomUUID()).statusCode()).isEqualTo(303);
        assertThat(stranger.get("/admin/unattributed-requests/" + UUID.randomUUID()).statusCode()).isEqualTo(303);
        assertThat(stranger.post(base + "/no-such-form", Map.of()).statusCode()).isEqualTo(401);
        stranger.setCookie("scim_console", "forged-session-id");
        assertThat(stranger.get(base).statusCode()).isEqualTo(303);
    }

    /**
     * A form posted without a session is refused before its body is read: a stranger's 4 MiB form
     * costs the server nothing to parse. The request announces a body it never finishes sending; the
     * refusal comes all the same, where reading the form first would wait for the rest.
     */
    @Test
    void aFormWithoutASessionIsRefusedBeforeItsBodyIsRead() throws IOException {
        try (Socket socket = new Socket("localhost", ADMIN.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + base + "/credentials HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000000\r\n\r\nname=x&")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = new byte[12];
            int read = 0;
            for (int n; read < head.length && (n = socket.getInputStream().read(head, read, head.length - read)) > 0; ) {
                read += n;
            }
            assertThat(new String(head, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 401");
        }
    }

    @Test
    void everyFormIsRefusedWithoutItsCsrfTokenOrFromAnotherOrigin() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        String csrf = browser.csrf();
        for (String form : forms()) {
            assertThat(browser.post(form, Map.of("name", "x", "confirm", slug)).statusCode()).as(form).isEqualTo(403);
            assertThat(browser.post(form, Map.of("name", "x", "csrf", "not-the-token")).statusCode()).as(form)
                    .isEqualTo(403);
            assertThat(browser.post(form, Map.of("name", "x", "csrf", csrf), Map.of("Origin", "https://evil.example"))
                    .statusCode()).as(form).isEqualTo(403);
            // An opaque origin (a sandboxed frame, a data: URL) is another site's page, never ours.
            assertThat(browser.post(form, Map.of("name", "x", "csrf", csrf), Map.of("Origin", "null"))
                    .statusCode()).as(form).isEqualTo(403);
        }
        // Nothing of it happened: the workspace, its token and its client are all still there.
        assertThat(browser.get(base + "/credentials").body()).contains("entra").contains("Revoke");
        assertThat(browser.get(base).statusCode()).isEqualTo(200);
    }

    @Test
    void theAssetsAreServedByTheServerWithoutASession() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        for (String asset : List.of("htmx.min.js", "console.js", "console.css")) {
            HttpResponse<String> response = stranger.get("/admin/assets/" + asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.body()).as(asset).isNotBlank();
        }
        assertThat(stranger.get("/admin/assets/htmx.min.js").headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/javascript"));
        assertThat(stranger.get("/admin/assets/pom.xml").statusCode()).isEqualTo(404);
    }

    @Test
    void aFormTheServerCannotReadIs400WhetherSignedInOrNot() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        stranger.get("/admin/login");
        String form = stranger.formToken();
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        String csrf = browser.csrf();
        for (String contentType : List.of("application/x-www-form-urlencoded; charset=bogus-42",
                "multipart/form-data; boundary=XX")) {
            HttpResponse<String> signIn = stranger.post("/admin/login", Map.of("form", form, "token", "x"),
                    Map.of("Content-Type", contentType));
            assertThat(signIn.statusCode()).as(contentType).isEqualTo(400);
            assertThat(signIn.headers().firstValue("Content-Type")).as(contentType).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            HttpResponse<String> create = browser.post("/admin/workspaces", Map.of("csrf", csrf, "slug", "x",
                    "name", "x"), Map.of("Content-Type", contentType));
            assertThat(create.statusCode()).as(contentType).isEqualTo(400);
            assertThat(create.headers().firstValue("Content-Type")).as(contentType).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            // The connection the refused form leaves may hold unread bytes: its end is announced, so
            // that no client sends its next request on it.
            assertThat(create.headers().firstValue("Connection")).as(contentType).hasValue("close");
        }
    }

    /** Beyond the request limit (4 MiB) the answer says so, not that the form is in the wrong encoding. */
    @Test
    void aFormBeyondTheRequestLimitIs413() {
        ConsoleClient stranger = new ConsoleClient(ADMIN.url());
        stranger.get("/admin/login");
        String huge = "x".repeat(5 * 1024 * 1024);
        HttpResponse<String> signIn = stranger.post("/admin/login", Map.of("form", stranger.formToken(), "token", huge));
        assertThat(signIn.statusCode()).isEqualTo(413);
        assertThat(signIn.body()).contains("too large");
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        HttpResponse<String> create = browser.post("/admin/workspaces", Map.of("csrf", browser.csrf(), "slug", "x",
                "name", huge));
        assertThat(create.statusCode()).isEqualTo(413);
        assertThat(create.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
    }

    @Test
    void aSignInWithoutTheFormsOwnTokenIsRefused() {
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        assertThat(browser.post("/admin/login", Map.of("token", AdminServer.ADMIN_TOKEN)).statusCode()).isEqualTo(403);
        browser.get("/admin/login");
        assertThat(browser.post("/admin/login", Map.of("form", browser.formToken(), "token", AdminServer.ADMIN_TOKEN),
                Map.of("Origin", "null")).statusCode()).isEqualTo(403);
        assertThat(browser.cookie("scim_console")).isNull();
    }

    /** Tabs fall back to the sign-in page together when a session ends: any of them can sign in. */
    @Test
    void aSignInPageLoadedInAnotherTabAfterwardsDoesNotSpoilTheFirst() {
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        browser.get("/admin/login");
        String firstTab = browser.formToken();
        browser.get("/admin/login");
        assertThat(browser.post("/admin/login", Map.of("form", firstTab, "token", AdminServer.ADMIN_TOKEN))
                .statusCode()).isEqualTo(303);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndSignOutEndsIt() {
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        browser.get("/admin/login");
        HttpResponse<String> signIn = browser.post("/admin/login", Map.of("form", browser.formToken(),
                "token", AdminServer.ADMIN_TOKEN));
        String cookie = signIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("scim_console="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/admin")
                .doesNotContain("Secure");
        String session = browser.cookie("scim_console");
        browser.get("/admin/workspaces");
        assertThat(browser.post("/admin/logout", Map.of("csrf", browser.csrf())).statusCode()).isEqualTo(303);
        ConsoleClient replay = new ConsoleClient(ADMIN.url());
        replay.setCookie("scim_console", session);
        assertThat(replay.get("/admin/workspaces").statusCode()).isEqualTo(303);
    }

    @Test
    void theCookieIsSecureWhenATrustedProxySaysTheBrowserUsedHttps() {
        try (ScimServer proxied = AdminServer.start(Map.of("SCIM_TRUSTED_PROXIES", "127.0.0.1, ::1"))) {
            ConsoleClient browser = new ConsoleClient("http://localhost:" + proxied.port());
            Map<String, String> https = Map.of("X-Forwarded-Proto", "https");
            browser.get("/admin/login");
            HttpResponse<String> signIn = browser.post("/admin/login", Map.of("form", browser.formToken(),
                    "token", AdminServer.ADMIN_TOKEN), https);
            assertThat(signIn.statusCode()).isEqualTo(303);
            assertThat(signIn.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("scim_console=")
                    && c.contains("; Secure"));
        }
    }

    /**
     * With SCIM_PUBLIC_URL set, the console opened at another name (a tunnel to localhost) is still the
     * operator's own page, and a default port written out is the same origin; another site is not.
     */
    @Test
    void aSignInFromThePageTheBrowserIsOnPassesWhateverThePublicUrl() {
        try (ScimServer server = AdminServer.start(Map.of("SCIM_PUBLIC_URL", "https://scim.example.com:443"))) {
            String local = "http://localhost:" + server.port();
            for (String origin : new String[] {local, "https://scim.example.com", "https://SCIM.example.com:443"}) {
                ConsoleClient browser = new ConsoleClient(local);
                browser.get("/admin/login");
                assertThat(browser.post("/admin/login", Map.of("form", browser.formToken(),
                        "token", AdminServer.ADMIN_TOKEN), Map.of("Origin", origin)).statusCode()).as(origin)
                        .isEqualTo(303);
            }
            ConsoleClient elsewhere = new ConsoleClient(local);
            elsewhere.get("/admin/login");
            assertThat(elsewhere.post("/admin/login", Map.of("form", elsewhere.formToken(),
                    "token", AdminServer.ADMIN_TOKEN), Map.of("Origin", "https://evil.example")).statusCode())
                    .isEqualTo(403);
            // A name pointed at this server (DNS rebinding) sends itself as Host and Origin: not ours.
            ConsoleClient rebound = new ConsoleClient(local);
            rebound.get("/admin/login");
            String form = "form=" + rebound.formToken() + "&token=" + AdminServer.ADMIN_TOKEN;
            String answer = RawHttp.exchange(server.port(), "POST /admin/login HTTP/1.1\r\nHost: evil.example:"
                    + server.port() + "\r\nOrigin: http://evil.example:" + server.port() + "\r\nCookie: "
                    + rebound.cookieHeader() + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + form.length() + "\r\nConnection: close\r\n\r\n" + form);
            assertThat(answer).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void aWrongTokenIs401AndSpendsTheFailedAuthenticationBudget() {
        try (ScimServer own = AdminServer.start(Map.of())) {
            ConsoleClient guesser = new ConsoleClient("http://localhost:" + own.port());
            int status = 0;
            for (int attempt = 0; attempt < 40 && status != 429; attempt++) {
                guesser.get("/admin/login");
                status = guesser.post("/admin/login", Map.of("form", guesser.formToken(), "token", "guess-" + attempt))
                        .statusCode();
                assertThat(status).isIn(401, 429);
            }
            assertThat(status).as("throttled within the budget").isEqualTo(429);
            // The same budget guards the administration API.
            assertThat(RunningServer.shared().send("GET", "http://localhost:" + own.port() + "/api/admin/v1/workspaces",
                    null, Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void noSecretIsRenderedAfterItsCreationPage() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        HttpResponse<String> created = browser.post(base + "/credentials", Map.of("csrf", browser.csrf(),
                "name", "shown-once"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        String token = secretOn(created.body());
        HttpResponse<String> registered = browser.post(base + "/oauth-clients", Map.of("csrf", browser.csrf(),
                "name", "client-shown-once"));
        String clientSecret = secretOn(registered.body());
        for (String page : pages()) {
            HttpResponse<String> shown = browser.get(page);
            assertThat(shown.statusCode()).as(page).isEqualTo(200);
            assertThat(shown.body()).as(page).doesNotContain(token).doesNotContain(clientSecret)
                    .doesNotContain(apiToken);
        }
    }

    /** A rotation offers the lifetime of what it replaces, and the new token keeps it. */
    @Test
    void aRotationKeepsTheLifetimeOfTheTokenItReplaces() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        String name = "ten-days-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(browser.post(base + "/credentials", Map.of("csrf", browser.csrf(), "name", name,
                "expiresInDays", "10")).statusCode()).isEqualTo(201);
        String page = browser.get(base + "/credentials").body();
        java.util.regex.Matcher rotate = java.util.regex.Pattern.compile("action=\"([^\"]+/rotate)\"[^>]*>\\s*"
                + "<input type=\"hidden\"[^>]*>\\s*<input name=\"expiresInDays\"[^>]*value=\"([0-9]*)\"[^>]*aria-label=\""
                + "Days the token replacing " + name).matcher(page);
        assertThat(rotate.find()).as("the rotate form of " + name).isTrue();
        assertThat(rotate.group(2)).isEqualTo("10");
        assertThat(browser.post(rotate.group(1), Map.of("csrf", browser.csrf(), "expiresInDays", rotate.group(2)))
                .statusCode()).isEqualTo(201);
        String slug = base.substring(base.lastIndexOf('/') + 1);
        List<java.time.Instant> expiries = new java.util.ArrayList<>();
        AdminServer.json(ADMIN.send("GET", "/workspaces/" + slug + "/credentials", null)).path("items").forEach(token -> {
            if (token.path("name").asText().equals(name)) {
                expiries.add(java.time.Instant.parse(token.path("expiresAt").asText()));
            }
        });
        assertThat(expiries).hasSize(2).allSatisfy(expiry -> assertThat(expiry)
                .isBetween(java.time.Instant.now().plus(java.time.Duration.ofDays(10)).minusSeconds(120),
                        java.time.Instant.now().plus(java.time.Duration.ofDays(10))));
    }

    /** The console can do nothing the API refuses: text that is no UTF-8, a name emptied by a rename. */
    @Test
    void formsRefuseWhatTheApiRefuses() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        String csrf = browser.csrf();
        for (String name : new String[] {"%FF%FE", "%ED%A0%80"}) {
            HttpResponse<String> refused = browser.postEncoded(base + "/credentials", "csrf=" + csrf
                    + "&name=" + name, Map.of());
            assertThat(refused.statusCode()).as(name).isEqualTo(400);
        }
        browser.get(base + "/settings");
        HttpResponse<String> blank = browser.post(base + "/rename", Map.of("csrf", browser.csrf(), "name", "   "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("cannot be empty");
    }

    private static String secretOn(String page) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("id=\"secret\" class=\"secret-value\">([^<]+)<")
                .matcher(page);
        assertThat(matcher.find()).as("a secret on the creation page").isTrue();
        return matcher.group(1);
    }

    @Test
    void everyValueAnIdpSentIsEscaped() {
        ConsoleClient browser = signedIn();
        for (String page : List.of(base + "/users", base + "/users/" + userId, base + "/groups",
                base + "/groups/" + groupId)) {
            String body = browser.get(page).body();
            assertThat(body).as(page).doesNotContain("<script>alert(1)</script>").doesNotContain("<img src=x")
                    .doesNotContain("<b>bold</b>");
        }
        assertThat(browser.get(base + "/users").body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(browser.get(base + "/groups").body()).contains("&lt;b&gt;bold&lt;/b&gt;");
        // A right-to-left override would show "invoiceexe.pdf": the operator sees what was sent.
        String spoofId = AdminServer.json(scim("POST", "/Users", "{\"userName\":\"invoice\u202Efdp.exe\"}").body())
                .path("id").asText();
        assertThat(browser.get(base + "/users/" + spoofId).body()).contains("invoice[U+202E]fdp.exe")
                .doesNotContain("\u202E");
        // The user's history comes from the journal: its creation, by the credential that made it.
        assertThat(browser.get(base + "/users/" + userId).body()).contains("<td>create</td>").contains("api-token:idp");
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() {
        ConsoleClient browser = signedIn();
        List<String> all = new java.util.ArrayList<>(pages());
        all.add("/admin/login");
        all.add("/admin/no-such-page");
        for (String page : all) {
            HttpResponse<String> response = browser.get(page);
            Map<String, String> headers = new HashMap<>();
            response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            assertThat(headers.get("content-security-policy")).as(page).contains("script-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(headers).as(page).containsEntry("x-frame-options", "DENY")
                    .containsEntry("x-content-type-options", "nosniff").containsEntry("referrer-policy", "same-origin")
                    .containsEntry("cache-control", "no-store");
        }
    }

    @Test
    void aWorkspaceIsDeletedOnlyWhenItsSlugIsTyped() {
        ConsoleClient browser = signedIn();
        String doomed = "doomed-" + UUID.randomUUID().toString().substring(0, 8);
        browser.get("/admin/workspaces");
        assertThat(browser.post("/admin/workspaces", Map.of("csrf", browser.csrf(), "slug", doomed, "name", "Doomed"))
                .statusCode()).isEqualTo(303);
        browser.get("/admin/workspaces/" + doomed + "/settings");
        String csrf = browser.csrf();
        assertThat(browser.post("/admin/workspaces/" + doomed + "/delete", Map.of("csrf", csrf, "confirm", "doomed"))
                .statusCode()).isEqualTo(400);
        assertThat(browser.get("/admin/workspaces/" + doomed).statusCode()).isEqualTo(200);
        assertThat(browser.post("/admin/workspaces/" + doomed + "/delete", Map.of("csrf", csrf, "confirm", doomed))
                .statusCode()).isEqualTo(303);
        assertThat(browser.get("/admin/workspaces/" + doomed).statusCode()).isEqualTo(404);
    }

    @Test
    void withoutTheAdminTokenEveryConsolePathIs404() {
        String origin = WorkspaceFixtures.sharedOrigin();
        for (String path : List.of("/admin", "/admin/login", "/admin/workspaces", "/admin/assets/console.js",
                "/admin/workspaces/default/users")) {
            assertThat(RunningServer.shared().send("GET", origin + path, null, Map.of()).statusCode()).as(path)
                    .isEqualTo(404);
        }
        assertThat(RunningServer.shared().send("POST", origin + "/admin/login", "token=x",
                Map.of("Content-Type", "application/x-www-form-urlencoded")).statusCode()).isEqualTo(404);
    }
}
