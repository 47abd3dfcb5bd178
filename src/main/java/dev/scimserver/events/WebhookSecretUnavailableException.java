package dev.scimserver.events;

/**
 * A stored webhook secret that cannot be opened: sealed under a key the server no longer has
 * ({@code SCIM_EVENTS_SECRET_KEY} unset or changed). Nothing can be signed for its subscription
 * until the operator sets the key back, so each attempt fails as a receiver's failure would.
 */
public final class WebhookSecretUnavailableException extends RuntimeException {
    WebhookSecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
