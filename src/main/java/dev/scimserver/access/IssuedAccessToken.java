package dev.scimserver.access;

import java.time.Instant;

/** A signed access token just issued; {@link #toString()} never prints the token. */
record IssuedAccessToken(String jwt, Instant issuedAt, Instant expiresAt) {
    @Override
    public String toString() {
        return "IssuedAccessToken[jwt=redacted, issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
