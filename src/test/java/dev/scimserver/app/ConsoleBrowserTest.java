package dev.scimserver.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The console in a real browser, Debian's headless Chromium driven through chromium-driver: an operator
 * signs in, makes a workspace and a credential, an IdP provisions a user over SCIM with it, the operator
 * finds the user and the requests in the provisioning log, maps a group to a role, revokes the
 * credential, and finds the IdP's next request refused and logged among the unattributed requests;
 * then signs out and is refused. Each page's screenshot is written under {@code target/console-screenshots/} for review.
 * Reported skipped, with the reason, where chromium or chromedriver is missing.
 */
class ConsoleBrowserTest {
    private static final Path SCREENSHOTS = Paths.get("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static WebDriver browser;
    private static AdminServer server;

    /** In each test, not once per class: a class aborted before its tests is reported as no test at all. */
    @BeforeEach
    void chromium() {
        if (browser != null) {
            return;
        }
        Path chromium = executable("chromium").orElse(null);
        Path driver = executable("chromedriver").orElse(null);
        if (chromium == null || driver == null) {
            abort("the console's browser tests need Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); missing: "
                    + (chromium == null ? "chromium " : "") + (driver == null ? "chromedriver" : ""));
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        server = AdminServer.shared();
    }

    @AfterAll
    static void quit() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static Optional<Path> executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Paths.get(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Test
    void anOperatorProvisionsWatchesAndRevokes() {
        String slug = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        open("/admin/workspaces");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
        screenshot("01-sign-in");
        browser.findElement(By.id("token")).sendKeys(AdminServer.ADMIN_TOKEN);
        browser.findElement(By.cssSelector("form[action='/admin/login'] button")).click();
        waitFor(ExpectedConditions.urlMatches("/admin/workspaces$"));
        screenshot("02-workspaces");

        browser.findElement(By.id("ws-name")).sendKeys("Acme <Browser>");
        browser.findElement(By.id("ws-slug")).sendKeys(slug);
        browser.findElement(By.cssSelector("form[action='/admin/workspaces'] button")).click();
        waitFor(ExpectedConditions.urlMatches("/admin/workspaces/" + slug + "$"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Acme <Browser>");

        browser.findElement(By.linkText("Credentials")).click();
        browser.findElement(By.id("token-name")).sendKeys("okta");
        browser.findElement(By.id("token-days")).sendKeys("20");
        screenshot("03-credentials");
        browser.findElement(By.cssSelector("form[action$='/credentials'] button")).click();
        String token = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("secret"))).getText();
        assertThat(token).isNotBlank();
        assertThat(browser.findElement(By.id("scim-base-url")).getText()).isEqualTo(server.url() + "/api/scim/v2");
        screenshot("04-secret-shown-once");

        HttpResponse<String> created = scim(token, "POST", "/Users", "{\"userName\":\"ada@example.com\","
                + "\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},\"displayName\":\"Ada Lovelace\","
                + "\"emails\":[{\"value\":\"ada@example.com\",\"primary\":true}],\"externalId\":\"00u-ada\","
                + "\"urn:ietf:params:scim:schemas:extension:tooljet:User:2.0\":{\"role\":\"builder\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
        String adaId = AdminServer.json(created).path("id").asText();
        assertThat(scim(token, "POST", "/Users", "{\"userName\":\"<script>alert(1)</script>\"}").statusCode())
                .isEqualTo(201);
        assertThat(scim(token, "POST", "/Groups", "{\"displayName\":\"Engineering\",\"members\":[{\"value\":\""
                + adaId + "\"}]}").statusCode()).isEqualTo(201);

        assertThat(scim(token, "GET", "/Users/" + UUID.randomUUID(), null).statusCode()).isEqualTo(404);

        browser.findElement(By.linkText("Overview")).click();
        assertThat(browser.findElement(By.cssSelector(".figures")).getText()).contains("2").contains("active members");
        // The log is written off the request thread, within a moment: the chart counts the four
        // requests once their entries are stored.
        waitFor(driver -> {
            if (driver.findElement(By.cssSelector(".figures.small li")).getText().startsWith("4")) {
                return true;
            }
            driver.navigate().refresh();
            return false;
        });
        assertThat(browser.findElements(By.cssSelector(".figures.small li")).get(1).getText())
                .startsWith("1").contains("client errors");
        assertThat(browser.findElements(By.cssSelector("figure.chart svg[role='img']"))).hasSize(2);
        screenshot("05-overview");
        browser.manage().window().setSize(new Dimension(390, 844));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true)",
                browser.findElement(By.id("traffic")));
        screenshot("05b-overview-on-a-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        browser.findElement(By.linkText("Users")).click();
        assertThat(browser.findElement(By.id("results")).getText()).contains("ada@example.com")
                .contains("<script>alert(1)</script>");
        screenshot("06-users");
        // htmx narrows the list as the operator types, without a page load.
        browser.findElement(By.id("q")).sendKeys("lovelace");
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#results .total"), "1 user matches"));
        // The count is said where a screen reader hears it: in a status region that stays, not in the swapped list.
        assertThat(browser.findElement(By.id("result-count")).getAttribute("textContent")).isEqualTo("1 user matches.");
        assertThat(browser.getCurrentUrl()).contains("q=lovelace");
        screenshot("07-users-searched");

        browser.findElement(By.linkText("ada@example.com")).click();
        waitFor(ExpectedConditions.urlContains("/users/" + adaId));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("Lovelace").contains("builder")
                .contains("Engineering").contains("api-token:okta");
        screenshot("08-user");

        browser.findElement(By.linkText("Engineering")).click();
        assertThat(browser.findElement(By.id("results")).getText()).contains("ada@example.com");
        screenshot("09-group");
        browser.findElement(By.linkText("Groups")).click();
        screenshot("10-groups");

        theLogShowsWhatTheIdpSent(token);

        browser.findElement(By.linkText("Credentials")).click();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(token);
        // A rotation offers the lifetime of the token it replaces.
        assertThat(browser.findElement(By.cssSelector("input[aria-label='Days the token replacing okta lasts']"))
                .getAttribute("value")).isEqualTo("20");
        screenshot("10b-credentials-active");
        browser.findElement(By.cssSelector("button[aria-label='Revoke okta']")).click();
        // An action that cannot be undone asks first; dismissed, nothing happens.
        waitFor(ExpectedConditions.alertIsPresent()).dismiss();
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("revoked");
        browser.findElement(By.cssSelector("button[aria-label='Revoke okta']")).click();
        waitFor(ExpectedConditions.alertIsPresent()).accept();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "revoked"));
        screenshot("11-credential-revoked");
        assertThat(refusedWithin(token, Duration.ofSeconds(10))).as("the next SCIM request is refused").isTrue();
        theRefusalIsLoggedWithoutAWorkspace(token);
        open("/admin/workspaces/" + slug);

        browser.findElement(By.linkText("Settings")).click();
        aGroupIsMappedToARole();
        screenshot("12-settings");
        browser.findElement(By.linkText("Users")).click();
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("13-users-on-a-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        browser.findElement(By.cssSelector("form.signout button")).click();
        waitFor(ExpectedConditions.urlMatches("/admin/login$"));
        open("/admin/workspaces/" + slug + "/users");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
        screenshot("14-signed-out");
        assertThat(cspViolations()).isEmpty();
    }

    /** The log lists the IdP's requests, narrows them by status and method, and opens one with its body. */
    private static void theLogShowsWhatTheIdpSent(String token) {
        browser.findElement(By.linkText("Provisioning log")).click();
        reloadUntil(By.id("results"), "GET /api/scim/v2/Users/");
        assertThat(browser.findElement(By.id("results")).getText()).contains("POST /api/scim/v2/Users")
                .contains("POST /api/scim/v2/Groups").contains("api-token:okta");
        assertThat(browser.findElement(By.id("log-health")).getText()).contains("bodies dropped");
        screenshot("15-log");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("15b-log-on-a-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        browser.findElement(By.id("status")).sendKeys("4xx");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waitFor(ExpectedConditions.urlContains("status=4xx"));
        assertThat(browser.findElement(By.id("results")).getText()).contains("404").doesNotContain("POST");
        screenshot("16-log-4xx");

        browser.findElement(By.linkText("Clear")).click();
        new Select(browser.findElement(By.id("method"))).selectByValue("POST");
        browser.findElement(By.cssSelector("form.filters button")).click();
        waitFor(ExpectedConditions.urlContains("method=POST"));
        String posts = browser.findElement(By.id("results")).getText();
        assertThat(posts).contains("POST /api/scim/v2/Groups").doesNotContain("GET ");
        screenshot("17-log-posts");

        browser.findElement(By.partialLinkText("POST /api/scim/v2/Groups")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("curl")));
        assertThat(browser.findElement(By.id("request-body")).getText()).contains("\"displayName\" : \"Engineering\"");
        String curl = browser.findElement(By.id("curl")).getText();
        assertThat(curl).startsWith("curl --globoff -X 'POST' '" + server.url() + "/api/scim/v2/Groups'")
                .contains("$SCIM_TOKEN").doesNotContain(token);
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(token);
        browser.findElement(By.cssSelector("button[data-copy='curl']")).click();
        screenshot("18-log-entry");
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("19-log-entry-on-a-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** The revoked token's next request names no workspace: it is found among the unattributed requests. */
    private static void theRefusalIsLoggedWithoutAWorkspace(String token) {
        String requestId = "browser-refused-" + UUID.randomUUID();
        assertThat(RunningServer.shared().send("GET", server.url() + "/api/scim/v2/Users", null,
                Map.of("Authorization", "Bearer " + token, "X-Request-Id", requestId)).statusCode()).isEqualTo(401);
        browser.findElement(By.linkText("Provisioning log")).click();
        browser.findElement(By.linkText("unattributed requests")).click();
        waitFor(ExpectedConditions.urlContains("/admin/unattributed-requests"));
        browser.findElement(By.id("status")).sendKeys("401");
        browser.findElement(By.id("requestId")).sendKeys(requestId);
        browser.findElement(By.cssSelector("form.filters button")).click();
        waitFor(ExpectedConditions.urlContains("requestId="));
        reloadUntil(By.id("results"), requestId);
        assertThat(browser.findElement(By.id("results")).getText()).contains("GET /api/scim/v2/Users").contains("401");
        screenshot("20-unattributed");
        browser.findElement(By.partialLinkText("GET /api/scim/v2/Users")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("curl")));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("401").contains(requestId)
                .doesNotContain(token);
        screenshot("21-unattributed-entry");
    }

    /** A role's own name is refused at the form; a custom group is mapped. */
    private static void aGroupIsMappedToARole() {
        browser.findElement(By.id("mapping-group")).sendKeys("Admin");
        browser.findElement(By.cssSelector("form[action$='/role-mappings'] button")).click();
        assertThat(waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("mapping-problem"))).getText())
                .contains("is the name of a role");
        assertThat(browser.findElement(By.cssSelector("main .problem[role='alert']")).getText())
                .contains("is the name of a role");
        screenshot("22-settings-refused");
        WebElement group = browser.findElement(By.id("mapping-group"));
        group.clear();
        group.sendKeys("Engineering");
        new Select(browser.findElement(By.id("mapping-role"))).selectByValue("builder");
        browser.findElement(By.cssSelector("form[action$='/role-mappings'] button")).click();
        waitFor(ExpectedConditions.urlContains("/settings"));
        assertThat(browser.findElement(By.id("roles")).getText()).contains("Engineering").contains("builder")
                .doesNotContain("is the name of a role");
    }

    /**
     * Values an IdP sent as long as it may (a group name of 256 characters without a space) neither widen a
     * page beyond the screen, on a phone or a laptop, nor squeeze the short values beside them into broken
     * words; the form's own checks run in the browser; each copy button says what it copies, and says it did.
     */
    @Test
    void pagesKeepTheirWidthAndTheirControlsSayWhatTheyDo() {
        String slug = AdminWorkspacesContractTest.uniqueSlug("widths");
        AdminWorkspacesContractTest.createWorkspace(server, slug);
        String token = AdminServer.json(server.send("POST", "/workspaces/" + slug + "/credentials",
                "{\"name\":\"okta\"}")).path("token").asText();
        HttpResponse<String> user = scim(token, "POST", "/Users", "{\"userName\":\"bulk000@x.test\","
                + "\"emails\":[{\"value\":\"bulk000@x.test\",\"primary\":true}]}");
        String userId = AdminServer.json(user).path("id").asText();
        String longName = "G".repeat(256);
        assertThat(scim(token, "POST", "/Groups", "{\"displayName\":\"" + longName + "\",\"members\":[{\"value\":\""
                + userId + "\"}]}").statusCode()).isEqualTo(201);
        signIn();
        String base = "/admin/workspaces/" + slug;
        for (Dimension size : List.of(new Dimension(375, 812), new Dimension(1280, 900))) {
            browser.manage().window().setSize(size);
            for (String page : List.of("", "/users", "/users/" + userId, "/groups", "/credentials", "/settings")) {
                open(base + page);
                assertThat(((Number) script("return document.documentElement.scrollWidth"
                        + " - document.documentElement.clientWidth")).intValue())
                        .as("the page scrolls sideways at " + size.getWidth() + " px: " + page).isLessThanOrEqualTo(0);
            }
            open(base + "/users");
            for (String shortValue : List.of("bulk000@x.test", "active", "end-user")) {
                assertThat(linesOf(shortValue)).as(shortValue + " at " + size.getWidth() + " px").isEqualTo(1);
            }
        }
        screenshot("23-users-beside-a-long-group");
        browser.manage().window().setSize(new Dimension(1280, 900));

        open("/admin/workspaces");
        browser.findElement(By.id("ws-slug")).sendKeys("Bad Slug");
        assertThat(script("return document.getElementById('ws-slug').checkValidity()")).isEqualTo(false);

        open(base + "/credentials");
        WebElement copy = browser.findElement(By.cssSelector("button[aria-label='Copy the SCIM base URL']"));
        assertThat(browser.findElement(By.id("announce")).getText()).isEmpty();
        copy.click();
        // Headless Chromium may refuse the clipboard; the value is then selected for Ctrl+C: both are said.
        waitFor(driver -> !driver.findElement(By.id("announce")).getAttribute("textContent").isEmpty());
        assertThat(browser.findElement(By.id("announce")).getAttribute("role")).isEqualTo("status");
    }

    private static void signIn() {
        browser.manage().deleteAllCookies();
        open("/admin/login");
        browser.findElement(By.id("token")).sendKeys(AdminServer.ADMIN_TOKEN);
        browser.findElement(By.cssSelector("form[action='/admin/login'] button")).click();
        waitFor(ExpectedConditions.urlMatches("/admin/workspaces$"));
    }

    /** The lines the first cell of the main table holding exactly {@code text} is laid out on. */
    private static int linesOf(String text) {
        return ((Number) script("var cells = document.querySelectorAll('main td, main td *');"
                + "for (var i = 0; i < cells.length; i++) {"
                + "  var node = cells[i].firstChild;"
                + "  if (node && node.nodeType === 3 && node.textContent.trim() === arguments[0]) {"
                + "    var range = document.createRange(); range.selectNodeContents(node);"
                + "    var tops = {}; var rects = range.getClientRects();"
                + "    for (var k = 0; k < rects.length; k++) { tops[Math.round(rects[k].top)] = true; }"
                + "    return Object.keys(tops).length; } }"
                + "return -1;", text)).intValue();
    }

    private static Object script(String source, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(source, arguments);
    }

    /** The log is written off the request thread: the page is reloaded until the entry is there. */
    private static void reloadUntil(By element, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!browser.findElement(element).getText().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not shown within " + WAIT + ": " + text);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            browser.navigate().refresh();
        }
    }

    private static boolean refusedWithin(String token, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (scim(token, "GET", "/Users?count=1", null).statusCode() == 401) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static List<String> cspViolations() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy")).toList();
    }

    private static HttpResponse<String> scim(String token, String method, String path, String body) {
        return RunningServer.shared().send(method, server.url() + "/api/scim/v2" + path, body,
                Map.of("Authorization", "Bearer " + token));
    }

    private static void open(String path) {
        browser.get(server.url() + path);
    }

    private static <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).until(condition);
    }

    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
