package dev.scimserver.access;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A successful token response (RFC 6749 §5.1): a bearer access token, its lifetime in seconds and
 * its scope; no refresh token (§4.4.3). Served with {@code Cache-Control: no-store}.
 * {@code issuedTo} is the client it was issued to, as the logs name it; not part of the body.
 * {@link #toString()} never prints the token.
 */
public record TokenResponse(String accessToken, long expiresIn, String scope, Caller issuedTo) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The response body, {@code application/json}. */
    public String json() {
        return JSON.createObjectNode().put("access_token", accessToken).put("token_type", "Bearer")
                .put("expires_in", expiresIn).put("scope", scope).toString();
    }

    @Override
    public String toString() {
        return "TokenResponse[accessToken=redacted, expiresIn=" + expiresIn + ", scope=" + scope + "]";
    }
}
