package dev.scimserver.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The administration API as the command line calls it: one request per method, the admin token as
 * bearer, and every way it can go wrong turned into a {@link Failure} with a message for a person and
 * the process's exit code.
 */
final class AdminClient {
    static final int REFUSED = 1;
    static final int UNREACHABLE = 3;
    static final int UNAUTHORIZED = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_PATH = "/api/admin/v1";
    /** How long a read, or a change of one thing, may take before the command stops waiting for it. */
    static final Duration ONE_THING = Duration.ofMinutes(1);
    /**
     * How long a change of a whole workspace may take (a deletion, a new role source, new role
     * mappings): as long as the server lets one run, and a little more, since the answer is what the
     * command reports.
     */
    static final Duration WHOLE_WORKSPACE = Duration.ofMinutes(11);

    /** A request that did not succeed: what to tell the user and which exit code to end with. */
    static class Failure extends RuntimeException {
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    /** A successful answer: its JSON (a missing node for 204), the body as sent, and its ETag ({@code null} without). */
    record Answer(JsonNode json, String body, String entityTag) {
    }

    /** The server refused a write whose If-Match named what the resource no longer is (412). */
    static final class StaleRead extends Failure {
        StaleRead(String message) {
            super(REFUSED, message);
        }
    }

    private final String serverUrl;
    private final String source;
    private final String token;
    private final HttpClient http;
    private final Duration answerWithin;

    /** A client of the server at {@code serverUrl}, which {@code source} ({@code --url} or {@code PORT}) gave. */
    AdminClient(String serverUrl, String source, String token) {
        this(serverUrl, source, token, ONE_THING);
    }

    /** As above, waiting {@code answerWithin} for each answer. */
    AdminClient(String serverUrl, String source, String token, Duration answerWithin) {
        this.serverUrl = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        if (!isServerUrl(this.serverUrl)) {
            throw new Failure(AdminCommand.USAGE, source + " must give an http:// or https:// URL with a host and, "
                    + "if any, a port from 1 to 65535, and no query or fragment (the API's paths follow it), such as "
                    + "http://localhost:8080; not '" + serverUrl + "'");
        }
        this.source = source;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.answerWithin = answerWithin;
        requireSendable(token);
    }

    private AdminClient(AdminClient same, Duration answerWithin) {
        this.serverUrl = same.serverUrl;
        this.source = same.source;
        this.token = same.token;
        this.http = same.http;
        this.answerWithin = answerWithin;
    }

    /** This client, waiting as long as a change of a whole workspace may take ({@link #WHOLE_WORKSPACE}). */
    AdminClient changingAWholeWorkspace() {
        return new AdminClient(this, WHOLE_WORKSPACE);
    }

    /**
     * Refuses a token the HTTP client would refuse to put in a header, before any request: its refusal
     * names the header, the token in it, and would print it to the terminal.
     */
    private static void requireSendable(String token) {
        try {
            HttpRequest.newBuilder().header("Authorization", "Bearer " + token);
        } catch (IllegalArgumentException refused) {
            throw new Failure(AdminCommand.USAGE, "SCIM_ADMIN_TOKEN holds a character an HTTP header cannot carry "
                    + "(a control character, or one beyond Latin-1): the administration API cannot be given it");
        }
    }

    private static boolean isServerUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && uri.getPort() != 0 && uri.getPort() <= 65535
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** A path segment as typed, encoded, so that no argument can step into another path. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Answer get(String path) {
        return send("GET", path, null, null);
    }

    Answer post(String path, ObjectNode body) {
        return send("POST", path, body, null);
    }

    Answer patch(String path, ObjectNode body) {
        return send("PATCH", path, body, null);
    }

    Answer put(String path, JsonNode body) {
        return send("PUT", path, body, null);
    }

    /** A PUT that the server applies only while the resource still has the entity tag {@code ifMatch}. */
    Answer put(String path, JsonNode body, String ifMatch) {
        return send("PUT", path, body, ifMatch);
    }

    Answer delete(String path) {
        return send("DELETE", path, null, null);
    }

    private Answer send(String method, String path, JsonNode body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serverUrl + API_PATH + path));
        request.timeout(answerWithin).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            if (unresolved(e)) {
                throw new Failure(UNREACHABLE, "cannot resolve the host '" + URI.create(serverUrl).getHost()
                        + "' that " + source + " names: is it spelled right, and can this machine look it up?");
            }
            throw new Failure(UNREACHABLE, "cannot reach the server at " + serverUrl + " (connection refused or timed "
                    + "out): is it running, and is --url (or PORT) right?");
        } catch (HttpTimeoutException e) {
            throw new Failure(UNREACHABLE, "the server at " + serverUrl + " took the request but did not answer within "
                    + waited(answerWithin) + ": it may be stuck or overloaded. What was asked may still be done: "
                    + "look before asking again");
        } catch (IOException e) {
            throw new Failure(UNREACHABLE, "cannot talk to the server at " + serverUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(UNREACHABLE, "interrupted while waiting for the server");
        }
        return answer(response);
    }

    private static String waited(Duration wait) {
        if (wait.isZero() || wait.toMillis() % 60_000 != 0) {
            return wait.toMillis() + " ms";
        }
        return wait.toMinutes() + (wait.toMinutes() == 1 ? " minute" : " minutes");
    }

    /**
     * Whether the connection failed before it was tried, the host having no address: the client reports
     * that as a refused connection, its cause saying otherwise.
     */
    private static boolean unresolved(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private Answer answer(HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status == 204) {
            return new Answer(MissingNode.getInstance(), response.body(), response.headers().firstValue("ETag")
                    .orElse(null));
        }
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new Failure(REFUSED, "the server at " + serverUrl + " answered " + status + " with no JSON: is "
                        + "--url the SCIM server?");
            }
            return new Answer(json, response.body(), response.headers().firstValue("ETag").orElse(null));
        }
        String detail = json == null ? null : json.path("detail").asText(null);
        if (status == 401) {
            throw new Failure(UNAUTHORIZED, "the server refused the admin token (401): SCIM_ADMIN_TOKEN must be the "
                    + "value the server was started with");
        }
        if (status == 429) {
            throw new Failure(UNAUTHORIZED, "too many failed authentications from this address; retry in "
                    + response.headers().firstValue("Retry-After").orElse("a few") + " seconds");
        }
        if (detail == null) {
            throw new Failure(REFUSED, "the server at " + serverUrl + " answered " + status
                    + " without an explanation: is --url the SCIM server?");
        }
        String field = json.path("field").asText(null);
        if (status == 412) {
            throw new StaleRead(detail + " [412]");
        }
        throw new Failure(REFUSED, detail + (field == null ? "" : " (" + field + ")") + " [" + status + "]");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
