package dev.scimserver.http.admin;

/**
 * A request the administration API refuses for a reason of its own (the body, the path, the token),
 * answered as an RFC 9457 problem with {@code status} and {@code detail}; {@code field} names the
 * input at fault, or is {@code null}.
 */
final class Problem extends RuntimeException {
    private final int status;
    private final String field;

    private Problem(int status, String field, String detail) {
        super(detail);
        this.status = status;
        this.field = field;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, null, detail);
    }

    static Problem badField(String field, String detail) {
        return new Problem(400, field, detail);
    }

    static Problem of(int status, String detail) {
        return new Problem(status, null, detail);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }

    String detail() {
        return getMessage();
    }
}
