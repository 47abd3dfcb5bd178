package dev.scimserver.access;


import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        // Malformed (no client authentication, a bad Basic header, both methods, a secret without its
        // id): no secret is compared, so the refusal spends none of the address's budget.
        ClientSecretAuthenticator.Presented presented = ClientSecretAuthenticator.presented(authorization, parameters);
        RequestThrottle.Verdict<AuthenticatedClient> verdict = throttle.authenticate(client, presented.rememberedAs(),
                ignored -> {
                    try {
                        return Optional.of(authenticator.authenticate(presented));
                    } catch (OAuthException e) {
                        return Optional.empty();
                    }
                });
        if (verdict.throttled()) {
            throw OAuthException.throttled(verdict.retryAfterSeconds());
        }
        AuthenticatedClient authenticated = verdict.who().orElseThrow(OAuthException::invalidClient);
        Caller caller = ClientCredentialsGrant.caller(authenticated.client());
        // A client's token requests spend the same budget as the SCIM requests its tokens make: each
        // token costs a signature, and tokens minted without end would crowd out the ones in use.
        long rateWait = throttle.takeRequest(caller.rateLimitKey());
        if (rateWait > 0) {
            throw OAuthException.rateLimited(rateWait).of(caller);
        }
        try {
            return grant.grant(authenticated, parameters, reached);
        } catch (OAuthException e) {
            throw e.of(caller);
        }
    }
}
