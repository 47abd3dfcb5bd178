package dev.scimserver.app;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A console page stays open while its workspace is renamed and its slug taken by another workspace:
 * the forms of that page, sent as a browser sends them, must not act on the other workspace.
 */
class ConsoleStalePageContractTest {
    private static final AdminServer ADMIN = AdminServer.shared();
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    @Test
    void theFormsOfAPageOpenBeforeItsSlugWasTakenAgainDoNotActOnTheNewHolder() {
        String slug = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        String base = "/admin/workspaces/" + slug;
        assertThat(ADMIN.send("POST", "/workspaces", "{\"slug\":\"" + slug + "\",\"name\":\"First\"}").statusCode())
                .isEqualTo(201);
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        assertThat(browser.signIn(AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        Map<String, String> deleteForm = hiddenFields(browser.get(base + "/settings").body(), base + "/delete");
        Map<String, String> tokenForm = hiddenFields(browser.get(base + "/credentials").body(), base + "/credentials");

        // Meanwhile, elsewhere: the first workspace is renamed and a second one takes its slug.
        assertThat(ADMIN.send("PATCH", "/workspaces/" + slug, "{\"slug\":\"" + slug + "-old\"}").statusCode())
                .isEqualTo(200);
        assertThat(ADMIN.send("POST", "/workspaces", "{\"slug\":\"" + slug + "\",\"name\":\"Second\"}").statusCode())
                .isEqualTo(201);

        tokenForm.put("name", "meant-for-first");
        HttpResponse<String> token = browser.post(base + "/credentials", tokenForm);
        assertThat(token.statusCode()).isEqualTo(409);
        assertThat(ADMIN.send("GET", "/workspaces/" + slug + "/credentials", null).body())
                .doesNotContain("meant-for-first");

        deleteForm.put("confirm", slug);
        HttpResponse<String> deleted = browser.post(base + "/delete", deleteForm);
        assertThat(deleted.statusCode()).isEqualTo(409);
        assertThat(deleted.body()).contains("since this page was opened");
        assertThat(ADMIN.send("GET", "/workspaces/" + slug, null).body()).contains("\"name\":\"Second\"");
        assertThat(ADMIN.send("GET", "/workspaces/" + slug + "-old", null).statusCode()).isEqualTo(200);

        // A page opened now acts on the workspace it shows.
        Map<String, String> fresh = hiddenFields(browser.get(base + "/settings").body(), base + "/delete");
        fresh.put("confirm", slug);
        assertThat(browser.post(base + "/delete", fresh).statusCode()).isEqualTo(303);
        assertThat(ADMIN.send("GET", "/workspaces/" + slug, null).statusCode()).isEqualTo(404);
    }

    /** The hidden fields of the page's form that posts to {@code action}, as a browser would send them. */
    private static Map<String, String> hiddenFields(String page, String action) {
        int start = page.indexOf("<form method=\"post\" action=\"" + action + "\"");
        assertThat(start).as("a form posting to " + action).isNotNegative();
        String form = page.substring(start, page.indexOf("</form>", start));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(form);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2));
        }
        return fields;
    }
}
