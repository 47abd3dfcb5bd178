package dev.scimserver.access;

import java.time.Instant;

/**
 * The latest use of one credential, as {@link LastUseRecorder} hands it to the store: {@code id} is a
 * stored credential's id, or the name of one of the environment's ({@link EnvironmentCredentials#BASIC},
 * {@link EnvironmentCredentials#TOKEN}), which have none.
 */
public record LastUse(CredentialKind kind, String id, Instant at) {
}
