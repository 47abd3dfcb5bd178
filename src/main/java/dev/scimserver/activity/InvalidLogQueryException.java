package dev.scimserver.activity;

/** A search in the log that cannot be run as asked: {@code parameter} names the input at fault. */
public final class InvalidLogQueryException extends RuntimeException {
    private final String parameter;

    InvalidLogQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
