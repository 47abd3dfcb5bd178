package dev.scimserver.access;

/** The token endpoint's error codes (RFC 6749 §5.2, and one for throttling) that this server answers, with their HTTP statuses. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    /** 401 with a {@code WWW-Authenticate} challenge: the server supports HTTP Basic for clients. */
    INVALID_CLIENT("invalid_client", 401),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /**
     * The client's address has failed too often; 429 (RFC 6585) with {@code Retry-After}. RFC 6749
     * gives the token endpoint no code for it; this is the one §4.1.2.1 defines for a server that
     * cannot serve a request for now.
     */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 429);

    private final String code;
    private final int status;

    OAuthError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The wire value of the {@code error} parameter. */
    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
