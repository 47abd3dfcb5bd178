package dev.scimserver.access;

/**
 * Who makes an administrative change and in which request, for the change journal: the name of the
 * credential that authorised it (never a secret), the request id, and the request line
 * ({@code POST /api/admin/v1/workspaces}).
 */
public record ChangeOrigin(String credential, String requestId, String request) {
    /** What the journal names the holder of {@code SCIM_ADMIN_TOKEN}. */
    public static final String ADMIN = "admin";

    /** A change the holder of the admin token makes in the request {@code requestId}. */
    public static ChangeOrigin admin(String requestId, String request) {
        return new ChangeOrigin(ADMIN, requestId, request);
    }
}
