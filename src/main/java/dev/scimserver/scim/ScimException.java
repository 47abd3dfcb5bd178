package dev.scimserver.scim;

import java.util.Optional;

/**
 * A request the client got wrong, answered with a SCIM error body (RFC 7644 §3.12). Our own
 * bugs are never this type: they are {@link IllegalStateException}s and end as a 500.
 */
public final class ScimException extends RuntimeException {
    private final int status;
    private final ScimType scimType;

    private ScimException(int status, ScimType scimType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.scimType = scimType;
    }

    public int status() {
        return status;
    }

    public Optional<ScimType> scimType() {
        return Optional.ofNullable(scimType);
    }

    public String detail() {
        return getMessage();
    }

    public static ScimException of(int status, ScimType scimType, String detail) {
        return new ScimException(status, scimType, detail);
    }

    public static ScimException badRequest(ScimType scimType, String detail) {
        return new ScimException(400, scimType, detail);
    }

    public static ScimException invalidFilter(int position, String reason) {
        return badRequest(ScimType.INVALID_FILTER, "invalid filter at position " + position + ": " + reason);
    }

    public static ScimException invalidFilter(String reason) {
        return badRequest(ScimType.INVALID_FILTER, reason);
    }

    public static ScimException invalidPath(String reason) {
        return badRequest(ScimType.INVALID_PATH, reason);
    }

    public static ScimException invalidValue(String reason) {
        return badRequest(ScimType.INVALID_VALUE, reason);
    }

    public static ScimException invalidSyntax(String reason) {
        return badRequest(ScimType.INVALID_SYNTAX, reason);
    }

    public static ScimException noTarget(String reason) {
        return badRequest(ScimType.NO_TARGET, reason);
    }

    public static ScimException mutability(String reason) {
        return badRequest(ScimType.MUTABILITY, reason);
    }

    public static ScimException uniqueness(String reason) {
        return new ScimException(409, ScimType.UNIQUENESS, reason);
    }

    public static ScimException notFound(String reason) {
        return new ScimException(404, null, reason);
    }

    public static ScimException conflict(String reason) {
        return new ScimException(409, null, reason);
    }

    public static ScimException preconditionFailed(String reason) {
        return new ScimException(412, null, reason);
    }

    public static ScimException tooLarge(String reason) {
        return new ScimException(413, null, reason);
    }

    public static ScimException notImplemented(String reason) {
        return new ScimException(501, null, reason);
    }
}
