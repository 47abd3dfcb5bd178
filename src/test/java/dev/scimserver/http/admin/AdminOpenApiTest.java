package dev.scimserver.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scimserver.access.AdminToken;
import dev.scimserver.app.AdminServer;
import dev.scimserver.events.EventType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and the routes agree: every documented operation is served, every route is
 * documented, every reference resolves, and the running server serves this very document.
 */
class AdminOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document() throws IOException {
        try (InputStream in = AdminApi.class.getResourceAsStream("/admin/openapi.json")) {
            assertThat(in).as("the document is on the classpath").isNotNull();
            return JSON.readTree(in);
        }
    }

    private static Set<String> documentedOperations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (METHODS.contains(key)) {
                    operations.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws IOException {
        // The route table needs no service to be listed: none is called.
        AdminApi api = new AdminApi(new AdminApi.Guarding(new AdminToken(null), null, null),
                new AdminApi.Services(null, null, null, null, null, null, null, null, null, null));
        assertThat(documentedOperations(document())).containsExactlyInAnyOrderElementsOf(api.routes());
    }

    /**
     * What every request passes before its operation runs, so that every operation may answer it: the guard
     * (404 while administration is off, 401 for a wrong token, 429 for a throttled client) and the check of
     * the query's percent-escapes (400).
     */
    @Test
    void everyOperationListsTheProblemsOfTheChecksEveryRequestPasses() throws IOException {
        JsonNode document = document();
        for (String operation : documentedOperations(document)) {
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode responses = document.path("paths").path(methodAndPath[1])
                    .path(methodAndPath[0].toLowerCase(Locale.ROOT)).path("responses");
            for (String status : List.of("400", "401", "404", "429")) {
                assertThat(responses.has(status)).as(operation + " " + status).isTrue();
            }
        }
    }

    @Test
    void theEventTypesAreThoseASubscriptionAccepts() throws IOException {
        List<String> documented = new ArrayList<>();
        document().path("components").path("schemas").path("EventType").path("enum")
                .forEach(type -> documented.add(type.asText()));
        assertThat(documented).containsExactlyElementsOf(Arrays.stream(EventType.values())
                .filter(type -> type != EventType.OTHER).map(EventType::wireName).toList());
    }

    @Test
    void theDocumentIsOpenApi31AndEveryReferenceResolves() throws IOException {
        JsonNode document = document();
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo(AdminApi.BASE_PATH);
        List<String> references = new ArrayList<>();
        collectReferences(document, references);
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(reference).startsWith("#/");
            assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference).isFalse();
        }
        for (JsonNode operation : document.path("paths").findValues("operationId")) {
            assertThat(operation.asText()).isNotBlank();
        }
    }

    @Test
    void theRunningServerServesTheDocumentAndAnswersEveryDocumentedOperation() throws IOException {
        AdminServer admin = AdminServer.shared();
        HttpResponse<String> served = admin.send("GET", AdminApi.OPENAPI_PATH, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(served.body())).isEqualTo(document());
        // Harmless arguments: a workspace that never deletes, ids that name nothing, bodies that lack their fields.
        for (String operation : documentedOperations(document())) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = operation.substring(operation.indexOf(' ') + 1).replace("{slug}", "default")
                    .replace("{id}", "00000000-0000-0000-0000-000000000000")
                    .replace("{secretId}", "00000000-0000-0000-0000-000000000000");
            HttpResponse<String> answer = admin.send(method, path, method.equals("GET") || method.equals("DELETE")
                    ? null : "{}");
            assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isNotEqualTo(405);
            assertThat(answer.body()).as(operation).doesNotContain("no such administration endpoint");
        }
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    references.add(field.getValue().asText());
                } else {
                    collectReferences(field.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectReferences(element, references));
        }
    }
}
