package dev.scimserver.access;

import java.time.Instant;
import java.util.UUID;

/** The latest use of one credential, as {@link LastUseRecorder} hands it to the store. */
public record LastUse(CredentialKind kind, UUID id, Instant at) {
}
