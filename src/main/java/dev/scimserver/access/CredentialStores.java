package dev.scimserver.access;

/**
 * The credential stores, handed out per administrative change so that every write they make is
 * journaled as made by its {@link ChangeOrigin}, in the write's own transaction. {@code null} for
 * reads, and for writes the journal attributes to nobody.
 */
public interface CredentialStores {
    TokenStore tokens(ChangeOrigin by);

    OAuthClientStore oauthClients(ChangeOrigin by);
}
