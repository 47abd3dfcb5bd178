package dev.scimserver.events;

import java.time.Instant;

/**
 * A webhook subscription's secrets as stored, sealed ({@link WebhookSecrets}): {@code current} signs
 * every delivery; {@code previous}, the secret it replaced, signs beside it until {@code previousUntil}
 * (both null when it no longer does). {@code version} counts the replacements, from 1.
 */
public record SealedSecrets(int version, byte[] current, byte[] previous, Instant previousUntil) {
}
