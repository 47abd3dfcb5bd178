package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A client that has just proven it holds one of its secrets at the token endpoint, and how it did;
 * {@code secretExpiresAt} is when the secret it used stops, {@code null} for never.
 */
public record AuthenticatedClient(OAuthClient client, UUID secretId, Instant secretExpiresAt, Method method) {

    /** The client authentication methods of RFC 6749 §2.3.1, by their RFC 8414 names. */
    public enum Method {
        CLIENT_SECRET_BASIC("client_secret_basic"),
        CLIENT_SECRET_POST("client_secret_post");

        private final String registeredName;

        Method(String registeredName) {
            this.registeredName = registeredName;
        }

        public String registeredName() {
            return registeredName;
        }
    }
}
