package dev.scimserver.activity;

/**
 * One entry of the provisioning log with its bodies: every secret in them replaced by
 * {@value Redaction#MARK}, each cut at {@value StoredBody#MAX_BYTES} bytes of UTF-8 with a mark
 * saying so. A body is {@code null} when the request or the answer had none, or when
 * {@code bodiesDropped}: the queue was full and only the rest was kept.
 */
public record LogEntry(LoggedRequest request, String requestBody, String responseBody, boolean bodiesDropped,
                       Preconditions preconditions) {
    /** Whether the request's body is kept only in part: sent again as kept, it is not what was sent. */
    public boolean requestBodyCut() {
        return StoredBody.isCut(requestBody);
    }
}
