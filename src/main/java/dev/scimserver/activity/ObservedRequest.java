package dev.scimserver.activity;

import java.time.Instant;
import java.util.UUID;

/**
 * One request as the web adapter saw it, handed to the {@link ProvisioningLogRecorder} once answered.
 * The bodies are as they went over the wire, secrets and all: they are redacted off the request
 * thread, before anything is stored. {@code responseBodyHead} may be only the first bytes of the
 * response ({@code responseBytes} says how many there were); either body is {@code null} when there
 * was none or it could not be read.
 *
 * @param workspaceId {@code null} when the request was refused before a workspace was known
 * @param credential  the credential's journal name ({@code basic}, {@code api-token:okta}), never a secret
 * @param location    the answer's {@code Location} when it was 201 Created (the resource it made), else {@code null}
 */
public record ObservedRequest(Instant receivedAt, UUID workspaceId, String credential, String clientAddress,
                              String method, String path, String query, int status, String scimType, String detail,
                              long durationMicros, String requestId, String requestContentType, long requestBytes,
                              byte[] requestBody, long responseBytes, byte[] responseBodyHead,
                              Preconditions preconditions, String location) {

    /** The bytes this request holds in the queue: what the queue's body budget counts. */
    long bodyBytes() {
        return (requestBody == null ? 0 : requestBody.length) + (responseBodyHead == null ? 0 : responseBodyHead.length);
    }

    /** The same request without its bodies: what is kept when the queue has no room left for them. */
    ObservedRequest withoutBodies() {
        return new ObservedRequest(receivedAt, workspaceId, credential, clientAddress, method, path, query, status,
                scimType, detail, durationMicros, requestId, requestContentType, requestBytes, null, responseBytes, null,
                preconditions, location);
    }
}
