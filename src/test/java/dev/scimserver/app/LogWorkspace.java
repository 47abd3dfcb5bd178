package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.scimserver.app.AdminServer.json;
import static dev.scimserver.app.AdminWorkspacesContractTest.createWorkspace;
import static dev.scimserver.app.AdminWorkspacesContractTest.uniqueSlug;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh workspace made through the admin API, with one API token, for the provisioning log's tests:
 * SCIM requests with its token, and reads of its log, on the shared administration server. The log is
 * written off the request thread, so reads wait (boundedly) for the entries a test has made.
 */
final class LogWorkspace {
    private static final int ATTEMPTS = 100;
    private static final long PAUSE_MILLIS = 100;

    final AdminServer admin = AdminServer.shared();
    final String slug;
    final String tokenName;
    final String token;

    LogWorkspace(String prefix) {
        slug = uniqueSlug(prefix);
        createWorkspace(admin, slug);
        tokenName = "idp-" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = admin.send("POST", "/workspaces/" + slug + "/credentials",
                "{\"name\":\"" + tokenName + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        token = json(created).path("token").asText();
    }

    /** A SCIM request with the workspace's token and this request id; {@code path} relative to the SCIM base URL. */
    HttpResponse<String> scim(String method, String path, String body, String requestId) {
        return scim(method, path, body, requestId, Map.of());
    }

    /** The same, with {@code headers} beside the credential and the request id (a Content-Type, say). */
    HttpResponse<String> scim(String method, String path, String body, String requestId, Map<String, String> more) {
        Map<String, String> headers = new HashMap<>(more);
        headers.put("Authorization", "Bearer " + token);
        if (requestId != null) {
            headers.put("X-Request-Id", requestId);
        }
        return RunningServer.shared().send(method, admin.url() + "/api/scim/v2" + path, body, headers);
    }

    /** {@code GET /workspaces/{slug}/requests?query}, as it answers. */
    HttpResponse<String> search(String query) {
        return admin.send("GET", "/workspaces/" + slug + "/requests" + (query.isEmpty() ? "" : "?" + query), null);
    }

    /** The items of the search once it finds {@code count} entries. */
    JsonNode awaitItems(String query, int count) {
        return await(() -> search(query), count);
    }

    /** The one entry of the request with this id, with its bodies, once it is stored. */
    JsonNode entryOf(String requestId) {
        JsonNode found = awaitItems("requestId=" + requestId, 1).get(0);
        HttpResponse<String> entry = admin.send("GET", "/workspaces/" + slug + "/requests/" + found.path("id").asText(),
                null);
        assertThat(entry.statusCode()).as(entry.body()).isEqualTo(200);
        return json(entry);
    }

    static JsonNode await(java.util.function.Supplier<HttpResponse<String>> search, int count) {
        JsonNode items = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            HttpResponse<String> answer = search.get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            items = json(answer).path("items");
            if (items.size() >= count) {
                return items;
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the log did not show " + count + " entries: " + items);
    }
}
