package dev.scimserver.access;

import java.util.Optional;

/**
 * Which workspace a SCIM request's bearer credential opens, whether it is one of the workspaces'
 * API tokens or an access token from the token endpoint. Unknown, revoked, expired, forged and
 * malformed credentials are all the same empty answer, so each gets the same 401. (The
 * environment's own credentials, which open the Default Workspace, stay with the web adapter.)
 */
public final class BearerAuthentication implements BearerCredentials {
    private final CredentialCache credentials;
    private final AccessTokenVerifier accessTokens;

    public BearerAuthentication(CredentialCache credentials, AccessTokenVerifier accessTokens) {
        this.credentials = credentials;
        this.accessTokens = accessTokens;
    }

    /**
     * The caller the bearer value (the header's value after {@code Bearer }) stands for, in a request
     * that reached {@code reached}: an access token opens only the SCIM base URL it was issued for.
     * {@link CredentialsUnavailableException} when the database is needed and cannot be reached.
     */
    @Override
    public Optional<Caller> authenticate(String bearer, AuthorizationServerUrls reached) {
        if (bearer == null) {
            return Optional.empty();
        }
        if (SecretFormat.API_TOKEN.fits(bearer)) {
            return credentials.apiToken(bearer);
        }
        return accessTokens.verify(bearer, reached)
                .flatMap(claims -> credentials.oauthClient(claims.clientId(), claims.workspaceId()));
    }

    @Override
    public boolean isSignedAccessToken(String bearer, AuthorizationServerUrls reached) {
        return bearer != null && !SecretFormat.API_TOKEN.fits(bearer) && accessTokens.verify(bearer, reached).isPresent();
    }
}
