package dev.scimserver.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /oauth2/token} does once the web adapter has checked the method and the
 * {@code application/x-www-form-urlencoded} body: authenticate the client first, so that a caller
 * without a valid secret learns nothing about its request, then run the client-credentials grant.
 *
 * <p>A client secret is a credential like any other, so the failed-authentication throttle of the
 * SCIM endpoints (the same {@link RequestThrottle}, the same budget per address) stands before it:
 * a request that presents client authentication takes an attempt from its address before the
 * secret is checked, a right secret gives it back, and an address with none left is answered 429
 * unchecked, unless right credentials have succeeded there before (see {@link RequestThrottle}).
 */
public final class TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final ClientSecretAuthenticator authenticator;
    private final ClientCredentialsGrant grant;
    private final RequestThrottle throttle;

    public TokenEndpoint(ClientSecretAuthenticator authenticator, ClientCredentialsGrant grant,
                         RequestThrottle throttle) {
        this.authenticator = authenticator;
        this.grant = grant;
        this.throttle = throttle;
    }

    /**
     * The token response, or {@link OAuthException} with the RFC 6749 §5.2 answer.
     * {@code authorization} is the {@code Authorization} header ({@code null} when absent);
     * {@code form} the decoded body parameters; {@code reached} the URLs the request came to, which
     * the token will open; {@code client} the address failures are counted by.
     */
    public TokenResponse exchange(String authorization, Map<String, List<String>> form, AuthorizationServerUrls reached,
                                  InetAddress client) {
        TokenRequestForm parameters = new TokenRequestForm(form);
        boolean presentsSecret = (authorization != null && !authorization.isBlank())
                || parameters.single("client_secret").isPresent();
        if (!presentsSecret) {
            // Guesses nothing, so it spends nothing.
            throw OAuthException.invalidClient();
        }
        RequestThrottle.AuthAttempt attempt = throttle.takeAuthAttempt(client);
        if (!attempt.mayCheckCredentials()) {
            throw OAuthException.throttled(attempt.secondsToWait());
        }
        AuthenticatedClient authenticated;
        try {
            authenticated = authenticator.authenticate(authorization, parameters);
        } catch (OAuthException e) {
            if (!attempt.taken()) {
                throw OAuthException.throttled(attempt.secondsToWait());
            }
            if (throttle.exhausted(attempt)) {
                LOG.warn("failed client authentications from {} exceed {}; throttled", attempt.clientKey(),
                        RequestThrottle.AUTH_FAILURE_BURST);
            }
            throw e;
        }
        throttle.authenticated(attempt);
        return grant.grant(authenticated, parameters, reached);
    }
}
