package dev.scimserver.directory;

import java.util.Optional;

/**
 * Who is changing the directory and in which request, for the change journal: the name of the
 * credential (never a secret), the request id, and the request line. The web adapter sets it for
 * the thread that serves a request; the store hands it to the database with each transaction.
 */
public record ChangeContext(String credential, String requestId, String request) {
    private static final ThreadLocal<ChangeContext> CURRENT = new ThreadLocal<>();

    public static Optional<ChangeContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static void set(ChangeContext context) {
        CURRENT.set(context);
    }

    public static void clear() {
        CURRENT.remove();
    }
}
