package dev.scimserver.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * A token request the server refuses, as RFC 6749 §5.2 answers it: {@link #status()}, the JSON
 * body of {@link #json()} ({@code error}, {@code error_description}), and for
 * {@code invalid_client} the {@code WWW-Authenticate} challenge of {@link #wwwAuthenticate()}.
 * Descriptions are fixed texts of this package: they never echo what the client sent, and every
 * failure of client authentication has the same one, so the answer tells nobody whether a client
 * exists or which secret expired.
 */
public final class OAuthException extends RuntimeException {
    /** Advertises HTTP Basic, the client authentication RFC 6749 §2.3.1 requires servers to support. */
    static final String CHALLENGE = "Basic realm=\"oauth2\", charset=\"UTF-8\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OAuthError error;
    private final long retryAfterSeconds;
    /** The client that had authenticated before the request was refused, else {@code null}. */
    private final Caller authenticatedClient;

    OAuthException(OAuthError error, String description) {
        this(error, description, 0, null);
    }

    private OAuthException(OAuthError error, String description, long retryAfterSeconds, Caller authenticatedClient) {
        super(checkedDescription(description));
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
        this.authenticatedClient = authenticatedClient;
    }

    /** The same refusal, of a request whose client had authenticated: it belongs to that client's workspace. */
    OAuthException of(Caller client) {
        return new OAuthException(error, getMessage(), retryAfterSeconds, client);
    }

    /**
     * The client the request had authenticated as before it was refused (an unsupported grant type, an
     * unknown scope), so that the log files the refusal under its workspace; empty when it had not.
     */
    public Optional<Caller> authenticatedClient() {
        return Optional.ofNullable(authenticatedClient);
    }

    /** {@code invalid_request}; {@code description} is a fixed text, never what the client sent. */
    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuthError.INVALID_REQUEST, description);
    }

    static OAuthException invalidClient() {
        return new OAuthException(OAuthError.INVALID_CLIENT, "client authentication failed");
    }

    static OAuthException throttled(long retryAfterSeconds) {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                "too many failed authentications from this address; retry later", Math.max(1, retryAfterSeconds), null);
    }

    /** The client has made its {@code SCIM_RATE_LIMIT} of requests this second: its token requests count too. */
    static OAuthException rateLimited(long retryAfterSeconds) {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                "request rate limit of this client exceeded (SCIM_RATE_LIMIT); retry later",
                Math.max(1, retryAfterSeconds), null);
    }

    /** The credentials' database cannot be reached: answered 503 with {@code Retry-After}, as the SCIM API does. */
    public static OAuthException databaseUnavailable() {
        return new OAuthException(OAuthError.TEMPORARILY_UNAVAILABLE,
                "the credentials cannot be checked: the database is unavailable; retry later", 5, null);
    }

    public OAuthError error() {
        return error;
    }

    public int status() {
        return error.status();
    }

    /** The {@code error_description}: human-readable, ASCII, without secrets. */
    public String description() {
        return getMessage();
    }

    /** The {@code Retry-After} in seconds, for {@link OAuthError#TEMPORARILY_UNAVAILABLE}. */
    public Optional<Long> retryAfterSeconds() {
        return error == OAuthError.TEMPORARILY_UNAVAILABLE ? Optional.of(retryAfterSeconds) : Optional.empty();
    }

    public Optional<String> wwwAuthenticate() {
        return error == OAuthError.INVALID_CLIENT ? Optional.of(CHALLENGE) : Optional.empty();
    }

    /** The response body, {@code application/json}. */
    public String json() {
        ObjectNode body = JSON.createObjectNode().put("error", error.code()).put("error_description", description());
        return body.toString();
    }

    /** RFC 6749 §5.2 allows only %x20-21 / %x23-5B / %x5D-7E in a description: no quote, no backslash. */
    private static String checkedDescription(String description) {
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                throw new IllegalArgumentException("not an RFC 6749 error_description character at " + i);
            }
        }
        return description;
    }
}
