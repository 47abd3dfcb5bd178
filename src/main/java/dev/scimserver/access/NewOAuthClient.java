package dev.scimserver.access;

/** A client just registered, with its first secret (shown once). */
public record NewOAuthClient(OAuthClient client, NewClientSecret secret) {
}
