package dev.scimserver.access;

import java.time.Duration;
import java.util.Arrays;

/**
 * The client-credentials grant of RFC 6749 §4.4, for a client {@link ClientSecretAuthenticator}
 * has authenticated: checks the grant type and the scope, then issues an access token for the
 * client's workspace. The one scope, {@link #SCOPE}, is the whole SCIM API of that workspace; a
 * request without {@code scope} gets it.
 */
public final class ClientCredentialsGrant {
    public static final String GRANT_TYPE = "client_credentials";
    public static final String SCOPE = "scim";

    private final AccessTokenIssuer issuer;

    public ClientCredentialsGrant(AccessTokenIssuer issuer) {
        this.issuer = issuer;
    }

    /** The token for {@code client}, issued for the URLs the request reached. */
    public TokenResponse grant(AuthenticatedClient client, TokenRequestForm form, AuthorizationServerUrls reached) {
        String grantType = form.single("grant_type")
                .orElseThrow(() -> OAuthException.invalidRequest("grant_type is missing"));
        if (!grantType.equals(GRANT_TYPE)) {
            throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "the only grant type is client_credentials");
        }
        form.single("scope").ifPresent(ClientCredentialsGrant::checkScope);
        IssuedAccessToken token = issuer.issue(client.client(), SCOPE, reached, client.secretExpiresAt());
        // The lifetime as issued: measured from a later clock reading it would come out a second short.
        long expiresIn = Duration.between(token.issuedAt(), token.expiresAt()).toSeconds();
        return new TokenResponse(token.jwt(), expiresIn, SCOPE, caller(client.client()));
    }

    /** The client as the logs and the journal name a caller: the tokens it is issued act as it. */
    static Caller caller(OAuthClient client) {
        return new Caller(client.workspaceId(), CredentialKind.OAUTH_CLIENT, client.id(), client.name());
    }

    /** A space-separated list of scope tokens (RFC 6749 §3.3), each of which must be ours. */
    private static void checkScope(String scope) {
        if (Arrays.stream(scope.split(" ", -1)).anyMatch(token -> !token.equals(SCOPE))) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "the only scope is scim");
        }
    }
}
