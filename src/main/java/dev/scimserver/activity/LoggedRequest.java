package dev.scimserver.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the provisioning log without its bodies, as searches list it. Times are in
 * microseconds, as PostgreSQL keeps them.
 *
 * @param workspaceId {@code null} for a request refused before any workspace was known
 * @param credential  the credential's journal name ({@code basic}, {@code token}, {@code api-token:okta},
 *                    {@code oauth-client:entra}), {@code null} when none was recognised; never a secret
 * @param query       the query string as sent, without {@code ?}, with any filter on a password withheld
 * @param resourceId  the id of the User or Group the path names, or {@code null}
 * @param scimType    the error's {@code scimType}, or {@code null}
 * @param detail      the error's {@code detail} (or an OAuth error's description), or {@code null}
 */
public record LoggedRequest(UUID id, Instant receivedAt, UUID workspaceId, String credential, String clientAddress,
                            String method, String path, String query, String resourceId, int status, String scimType,
                            String detail, long durationMicros, String requestId, long requestBytes,
                            long responseBytes) {
}
