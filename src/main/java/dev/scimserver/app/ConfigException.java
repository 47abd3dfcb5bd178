package dev.scimserver.app;

/** The configuration cannot start a server; the message names the variable to fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
