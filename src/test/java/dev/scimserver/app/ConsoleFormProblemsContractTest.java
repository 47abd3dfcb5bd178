package dev.scimserver.app;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A form the console refuses comes back as its own page with the reason beside the field at fault
 * (aria-invalid, and the reason among the field's descriptions) and what the operator typed still in
 * the form: an error page of its own lost the typing and said nothing of where the mistake was.
 */
class ConsoleFormProblemsContractTest {
    private static final AdminServer ADMIN = AdminServer.shared();
    private static String slug;
    private static String base;

    @BeforeAll
    static void aWorkspace() {
        slug = AdminWorkspacesContractTest.uniqueSlug("forms");
        AdminWorkspacesContractTest.createWorkspace(ADMIN, slug);
        base = "/admin/workspaces/" + slug;
    }

    private static ConsoleClient signedIn() {
        ConsoleClient browser = new ConsoleClient(ADMIN.url());
        assertThat(browser.signIn(AdminServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
        return browser;
    }

    /** The tag of the input with this id, as the page has it. */
    private static String input(String page, String id) {
        Matcher matcher = Pattern.compile("<(input|select)[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>")
                .matcher(page);
        assertThat(matcher.find()).as("an input " + id + " on " + page).isTrue();
        return matcher.group();
    }

    /** The field is marked invalid and described by the element holding {@code reason}. */
    private static void assertRefusedAt(String page, String id, String reason) {
        String input = input(page, id);
        assertThat(input).contains("aria-invalid=\"true\"");
        Matcher described = Pattern.compile("aria-describedby=\"([^\"]+)\"").matcher(input);
        assertThat(described.find()).as(input).isTrue();
        boolean found = false;
        for (String describer : described.group(1).split(" ")) {
            Matcher element = Pattern.compile("id=\"" + Pattern.quote(describer) + "\"[^>]*>([^<]*)").matcher(page);
            found |= element.find() && element.group(1).contains(reason);
        }
        assertThat(found).as("the reason '" + reason + "' describes " + id).isTrue();
    }

    @Test
    void aNewWorkspaceRefusedKeepsWhatWasTypedAndSaysWhichField() {
        ConsoleClient browser = signedIn();
        browser.get("/admin/workspaces");
        HttpResponse<String> taken = browser.post("/admin/workspaces", Map.of("csrf", browser.csrf(),
                "name", "Acme <second>", "slug", slug));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertRefusedAt(taken.body(), "ws-slug", "another workspace has the slug");
        assertThat(input(taken.body(), "ws-name")).contains("value=\"Acme &lt;second").doesNotContain("<second");
        assertThat(input(taken.body(), "ws-slug")).contains("value=\"" + slug + "\"");
        assertThat(input(taken.body(), "ws-name")).doesNotContain("aria-invalid");

        HttpResponse<String> shape = browser.post("/admin/workspaces", Map.of("csrf", browser.csrf(),
                "name", "Acme", "slug", "Bad Slug"));
        assertThat(shape.statusCode()).isEqualTo(400);
        assertRefusedAt(shape.body(), "ws-slug", "slug");
        assertThat(input(shape.body(), "ws-slug")).contains("value=\"Bad Slug\"");
        // The slug's help stays among its descriptions.
        assertThat(input(shape.body(), "ws-slug")).contains("ws-slug-help");
    }

    @Test
    void aRenameRefusedSaysWhichField() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/settings");
        HttpResponse<String> blank = browser.post(base + "/rename", Map.of("csrf", browser.csrf(), "name", "   "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertRefusedAt(blank.body(), "rename-name", "cannot be empty");

        // A role the form does not offer is the role's fault, what was typed comes back; a Remove button
        // refused marks no field of the form beside it.
        HttpResponse<String> role = browser.post(base + "/role-mappings", Map.of("csrf", browser.csrf(),
                "group", "Engineering", "role", "superuser"));
        assertThat(role.statusCode()).isEqualTo(400);
        assertRefusedAt(role.body(), "mapping-role", "role must be one of");
        assertThat(input(role.body(), "mapping-group")).contains("value=\"Engineering\"").doesNotContain("aria-invalid");
        HttpResponse<String> remove = browser.post(base + "/role-mappings/remove", Map.of("csrf", browser.csrf(),
                "group", "ghost"));
        assertThat(remove.statusCode()).isEqualTo(400);
        assertThat(remove.body()).contains("Nothing was changed").doesNotContain("aria-invalid");

        HttpResponse<String> wrong = browser.post(base + "/delete", Map.of("csrf", browser.csrf(), "confirm", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertRefusedAt(wrong.body(), "confirm", "nothing was deleted");
        assertThat(ADMIN.send("GET", "/workspaces/" + slug, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aCredentialRefusedKeepsItsNameAndSaysWhichField() {
        ConsoleClient browser = signedIn();
        browser.get(base + "/credentials");
        HttpResponse<String> token = browser.post(base + "/credentials", Map.of("csrf", browser.csrf(),
                "name", "okta", "expiresInDays", "0"));
        assertThat(token.statusCode()).isEqualTo(400);
        assertRefusedAt(token.body(), "token-days", "An expiry is a whole number of days");
        assertThat(input(token.body(), "token-name")).contains("value=\"okta\"");
        assertThat(input(token.body(), "client-days")).doesNotContain("aria-invalid");

        HttpResponse<String> client = browser.post(base + "/oauth-clients", Map.of("csrf", browser.csrf(),
                "name", "entra", "expiresInDays", "x"));
        assertThat(client.statusCode()).isEqualTo(400);
        assertRefusedAt(client.body(), "client-days", "An expiry is a whole number of days");
        assertThat(input(client.body(), "client-name")).contains("value=\"entra\"");
        assertThat(ADMIN.send("GET", "/workspaces/" + slug + "/credentials", null).body()).doesNotContain("okta");
    }

    @Test
    void aLogFilterRefusedSaysWhichField() {
        ConsoleClient browser = signedIn();
        HttpResponse<String> status = browser.get(base + "/requests?status=abc");
        assertThat(status.statusCode()).isEqualTo(400);
        assertRefusedAt(status.body(), "status", "status");
        assertThat(input(status.body(), "from")).doesNotContain("aria-invalid");
    }
}
