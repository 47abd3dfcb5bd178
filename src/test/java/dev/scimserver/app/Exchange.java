package dev.scimserver.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request to the shared server and its answer, described in full when an assertion fails:
 * the contract tests read as the conversation an identity provider has with us.
 */
record Exchange(String method, String path, String request, HttpResponse<String> response) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Exchange send(String method, String path, String body, Map<String, String> headers) {
        return new Exchange(method, path, body, RunningServer.shared().send(method, path, body, headers));
    }

    /** With Bearer authentication. */
    static Exchange send(String method, String path, String body) {
        return new Exchange(method, path, body, RunningServer.shared().send(method, path, body));
    }

    static Exchange get(String path) {
        return send("GET", path, null);
    }

    static Exchange post(String path, String body) {
        return send("POST", path, body);
    }

    static Exchange put(String path, String body) {
        return send("PUT", path, body);
    }

    static Exchange patch(String path, String body) {
        return send("PATCH", path, body);
    }

    static Exchange delete(String path) {
        return send("DELETE", path, null);
    }

    /** The body as JSON, after checking the status and the SCIM content type. */
    JsonNode expect(int status) {
        assertThat(response.statusCode()).as(describe()).isEqualTo(status);
        if (response.body() == null || response.body().isEmpty()) {
            return MissingNode.getInstance();
        }
        assertThat(response.headers().firstValue("Content-Type")).as(describe())
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/scim+json"));
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + describe(), e);
        }
    }

    String describe() {
        return method + " " + path + (request == null ? "" : "\n  request: " + request.strip())
                + "\n  answered " + response.statusCode() + ": " + response.body();
    }
}
