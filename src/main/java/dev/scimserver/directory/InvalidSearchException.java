package dev.scimserver.directory;

/** An operator's search that cannot be run as asked ({@link OperatorSearch}): {@code parameter} names the input at fault. */
public final class InvalidSearchException extends RuntimeException {
    private final String parameter;

    InvalidSearchException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
