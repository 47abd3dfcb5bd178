package dev.scimserver.access;

/**
 * A token just created, with its secret: the only time the secret exists outside the client that
 * receives it. Show it once; {@link #toString()} never prints it.
 */
public record NewApiToken(ApiToken token, String secret) {
    @Override
    public String toString() {
        return "NewApiToken[token=" + token + ", secret=redacted]";
    }
}
