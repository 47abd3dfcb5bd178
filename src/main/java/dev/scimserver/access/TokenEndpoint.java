package dev.scimserver.access;

import java.util.List;
import java.util.Map;

/**
 * What {@code POST /oauth2/token} does once the web adapter has checked the method and the
 * {@code application/x-www-form-urlencoded} body: authenticate the client first, so that a caller
 * without a valid secret learns nothing about its request, then run the client-credentials grant.
 */
public final class TokenEndpoint {
    private final ClientSecretAuthenticator authenticator;
    private final ClientCredentialsGrant grant;

    public TokenEndpoint(ClientSecretAuthenticator authenticator, ClientCredentialsGrant grant) {
        this.authenticator = authenticator;
        this.grant = grant;
    }

    /**
     * The token response, or {@link OAuthException} with the RFC 6749 §5.2 answer.
     * {@code authorization} is the {@code Authorization} header ({@code null} when absent);
     * {@code form} the decoded body parameters.
     */
    public TokenResponse exchange(String authorization, Map<String, List<String>> form) {
        TokenRequestForm parameters = new TokenRequestForm(form);
        return grant.grant(authenticator.authenticate(authorization, parameters), parameters);
    }
}
