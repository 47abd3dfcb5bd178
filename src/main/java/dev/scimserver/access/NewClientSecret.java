package dev.scimserver.access;

/** A client secret just made, with its value: shown once; {@link #toString()} never prints it. */
public record NewClientSecret(ClientSecret secret, String value) {
    @Override
    public String toString() {
        return "NewClientSecret[secret=" + secret + ", value=redacted]";
    }
}
