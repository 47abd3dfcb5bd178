package dev.scimserver.access;

/** The kinds of credential whose use is recorded and which a {@link Caller} can present. */
public enum CredentialKind {
    /** The environment's Basic pair or token, which act on the Default Workspace. */
    ENVIRONMENT,
    /** A workspace's named bearer token ({@link ApiToken}). */
    API_TOKEN,
    /** An OAuth client, presenting an access token issued to it ({@link OAuthClient}). */
    OAUTH_CLIENT,
    /** One secret of an OAuth client, presented to the token endpoint ({@link ClientSecret}); never a {@link Caller}. */
    CLIENT_SECRET
}
